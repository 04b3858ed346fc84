package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusOnADatabaseThatTakesNoWrites: syncd status with a DSN reaching
// a database that takes no writes (a read replica's or a standby's
// endpoint, default_transaction_read_only on the role or the database)
// failed on its own housekeeping, "syncd: instances: ERROR: cannot execute
// DELETE in a read-only transaction", exit 5, the cluster not listed and
// no word of why. It lists what it reads there, the instance seen, and
// says the database takes no writes, why and the fix, as validate does:
// exit 5, something needs attention.
func TestStatusOnADatabaseThatTakesNoWrites(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	pgMigrate(t, dsn, `INSERT INTO instances (id, host, pid, listen, started_at, seen_at, leads, version, schema)
		VALUES ('web1:4242:x', 'web1', 4242, '10.0.0.1:8080', clock_timestamp() - interval '1 hour', clock_timestamp(), 'sync,report', 'dev', 1);
		DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$`)
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, dsn)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "status", "-config", file)
	if code != 5 || strings.Contains(out+stderr, "cannot execute") || !strings.Contains(out, "cluster: 1 instance seen") ||
		!strings.Contains(out, "web1 pid 4242 listen 10.0.0.1:8080") ||
		!strings.Contains(out, "TAKES NO WRITES: default_transaction_read_only is on for user postgres") ||
		!strings.Contains(out, "SET default_transaction_read_only = off") {
		t.Errorf("status on a database that takes no writes: exit %d, want 5, the instance and why it takes no writes\n%s%s", code, out, stderr)
	}
}
