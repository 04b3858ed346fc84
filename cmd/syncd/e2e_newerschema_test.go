package main_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewerSchemaIsRefusedWithTheWayBack: a database a newer syncd
// migrated (simulated by a schema version one past this binary's, on a
// database an older syncd filled and this one upgraded), as after the
// operator rolls the package back. validate said it was fine (exit 0)
// while serve refused it; serve and the commands said only "database
// schema N is newer than this binary's M", not what to do. Now validate
// exits 1 too, each says (serve in its log) to install the newer syncd again or restore the
// backup taken before the upgrade, and none changes the file.
func TestNewerSchemaIsRefusedWithTheWayBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	loadUpgradeFixture(t, "../../testdata/upgrade/v6-ba9134d.sql", dir)
	config := writeConfig(t, dir)
	if _, stderr, code := syncdRun(t, "events", "list", "-config", config); code != 0 {
		t.Fatalf("events list on the older database: exit %d: %s", code, stderr)
	}
	known := latestSchema(t, "../../internal/sqlite/migrations")
	path := filepath.Join(dir, "data", "syncd.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, known+1)); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	newer := fmt.Sprintf("database schema %d is newer than this binary's %d", known+1, known)
	for _, args := range [][]string{{"validate", "-offline"}, {"serve"}, {"sync"}, {"outbox", "list"}} {
		stdout, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1 (the database refused): %s", args, code, stderr)
		}
		mustContain(t, fmt.Sprint(args), stdout+stderr, newer, "install that newer syncd again", "restore the backup taken before the upgrade")
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the database a newer syncd migrated was changed by this one")
	}
}

// TestUpgradeOnSQLiteExtendsTheStartTimeout: serve migrating an SQLite
// database an older syncd made said nothing until it was done and kept
// systemd's start timeout (TimeoutStartSec=2min) as it was: a migration
// over millions of events (0009 rewrites their keys: 14 s for 200,000 on
// two loaded cores) was killed and rolled back at every restart, and syncd
// never came up. Now, as on PostgreSQL, it logs `start: migrating the
// database schema`, shows it in systemctl status and extends the timeout
// every 10 s until the migration is done.
func TestUpgradeOnSQLiteExtendsTheStartTimeout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	loadUpgradeFixture(t, "../../testdata/upgrade/v6-ba9134d.sql", dir)
	config := writeConfig(t, dir)
	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	before := strings.Join(n.await(t, "READY=1"), " | ")
	mustContain(t, "sd_notify messages before READY=1", before, "STATUS=migrating the database schema\nEXTEND_TIMEOUT_USEC=30000000")
	mustContain(t, "serve's log", d.log(), "start: migrating the database schema", "database schema migrated")
}
