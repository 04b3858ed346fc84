package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestNewerPostgresSchemaSaysTheWayBack: this syncd put back on a
// PostgreSQL database a newer one migrated (an operator's rollback, every
// instance on it) said only "another instance runs a newer syncd; install
// it here too", in serve's log, its commands and validate: no way back,
// though the docs' is the dump taken before the upgrade. Each says it
// now, beside installing the newer syncd again; and validate, before an
// upgrade that migrates, says to take that dump first, as on SQLite it
// names the copy serve takes.
func TestNewerPostgresSchemaSaysTheWayBack(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	older, newer := pgtest.DSN(t), pgtest.DSN(t)
	n := latestSchema(t, "../../internal/postgres/migrations")
	pgMigrate(t, older, fmt.Sprintf(`DELETE FROM schema_version WHERE version = %d`, n))
	pgMigrate(t, newer, fmt.Sprintf(`INSERT INTO schema_version (version) VALUES (%d)`, n+1))
	write := func(name, dsn string) string {
		file := filepath.Join(dir, name+".yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, dsn)), 0o600)
		return file
	}
	file := write("newer", newer)
	for _, args := range [][]string{{"validate"}, {"serve"}, {"outbox", "list"}} {
		stdout, stderr, code := syncdRun(t, append(args, "-config", file)...)
		t.Logf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		if code == 0 {
			t.Errorf("%v: exit 0 on a schema newer than its own", args)
		}
		mustContain(t, fmt.Sprint(args), stdout+stderr, fmt.Sprintf("schema %d is newer than this", n+1),
			"install that newer syncd here too", "restore the pg_dump taken before the upgrade")
	}
	stdout, stderr, code := syncdRun(t, "validate", "-config", write("older", older))
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("(older: serve migrates it to %d", n)) ||
		!strings.Contains(stdout, "pg_dump the database first, the way back") {
		t.Errorf("validate on an older schema: exit %d, want 0 saying to pg_dump it first:\n%s%s", code, stdout, stderr)
	}
}
