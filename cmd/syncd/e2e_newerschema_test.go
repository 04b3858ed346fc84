package main_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/holdlock"
)

// TestNewerSchemaIsRefusedWithTheWayBack: a database a newer syncd
// migrated (simulated by a schema version one past this binary's, on a
// database an older syncd filled and this one upgraded), as after the
// operator rolls the package back. validate said it was fine (exit 0)
// while serve refused it; serve and the commands said only "database
// schema N is newer than this binary's M", not what to do. Now validate
// and the commands exit 2 as serve does (a person acts: a retry changes
// nothing; they exited 1), each says (serve in its log) to install the newer syncd again or restore the
// copy the upgrade took beside the database, and none changes the file.
func TestNewerSchemaIsRefusedWithTheWayBack(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
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
	for _, args := range [][]string{{"validate", "-offline"}, {"serve"}, {"sync"}, {"outbox", "list"}, {"events", "show", "1"},
		{"export", "-email", "a@example.com"}, {"backup", "-out", filepath.Join(dir, "copy.db")}, {"purge"}, {"report"}} {
		stdout, stderr, code := syncdRun(t, append(args, "-config", config)...)
		want := 2 // a person installs the newer syncd or restores; serve is not restarted by the unit
		if code != want {
			t.Errorf("%v: exit %d, want %d (the database refused): %s", args, code, want, stderr)
		}
		mustContain(t, fmt.Sprint(args), stdout+stderr, newer, "install that newer syncd again",
			"restore "+path+".schema-6.bak, the copy the upgrade took") // events list's upgrade above took it
		if args[0] == "serve" { // its -h names a start refused so (TestServeHelpSaysWhyAnAgencysAddressExits2)
			continue
		}
		sub := args[:1] // its -h gives exit 2 to it
		if args[0] == "outbox" || args[0] == "events" {
			sub = args[:2]
		}
		help, _, _ := syncdRun(t, append(slices.Clone(sub), "-h")...)
		if !strings.Contains(help, "\n  2  ") || !regexp.MustCompile(`(?s)\n  2  [^\n]*(\n     [^\n]*)*a database (only a person mends|serve refuses for what only a person mends)`).MatchString(help) {
			t.Errorf("syncd %v -h does not give exit 2 to a database only a person mends:\n%s", sub, help)
		}
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
//
// Upgrade step 4 validates with the new binary before the restart: on
// SQLite it said only `database: PATH`, not that serve would migrate it
// (as it says on PostgreSQL); it now says the schema and what the restart
// does to it, and leaves it as it is.
func TestUpgradeOnSQLiteExtendsTheStartTimeout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	u := loadUpgradeFixture(t, "../../testdata/upgrade/v6-ba9134d.sql", dir)
	config := writeConfig(t, dir)
	known := latestSchema(t, "../../internal/sqlite/migrations")
	stdout, stderr, code := syncdRun(t, "validate", "-config", config)
	if code != 0 {
		t.Fatalf("validate on the older database: exit %d: %s", code, stderr)
	}
	mustContain(t, "validate on the older database", stdout, fmt.Sprintf("schema %d, older than this syncd's %d: serve "+
		"migrates it, after which an older syncd no longer starts on it; it copies it first to %s.schema-%d.bak, the way back",
		u.version, known, filepath.Join(dir, "data", "syncd.db"), u.version))
	if v := userVersion(t, filepath.Join(dir, "data", "syncd.db")); v != u.version {
		t.Fatalf("schema %d after validate, want %d as it was", v, u.version)
	}
	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	before := strings.Join(n.await(t, "READY=1"), " | ")
	mustContain(t, "sd_notify messages before READY=1", before, "STATUS=migrating the database schema\nEXTEND_TIMEOUT_USEC=30000000")
	mustContain(t, "serve's log", d.log(), "start: migrating the database schema", "database schema migrated")
}

// TestCommandDoesNotMigrateUnderAnOlderDaemon: the new binary installed
// (upgrade step 2) while the older daemon still serves, a command run
// before the restart (a monitoring script's syncd status, an operator's
// events list) migrated the database under that daemon, without a word:
// the old daemon went on writing a schema it does not know, refused to
// start once restarted, and rolling the binary back needed a backup. Now
// the command refuses while a daemon (here: this test, holding its lock as
// an older daemon does) serves the older schema, naming it and saying to
// restart it on the new syncd first (exit 4; status 5), and the schema is
// left as it is; once no daemon serves it the command migrates it.
func TestCommandDoesNotMigrateUnderAnOlderDaemon(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	u := loadUpgradeFixture(t, "../../testdata/upgrade/v6-ba9134d.sql", dir)
	config := writeConfig(t, dir)
	path := filepath.Join(dir, "data", "syncd.db")
	lock, err := holdlock.Take(path+"-daemon.lock", 0o600)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		exit int
	}{{[]string{"events", "list"}, 4}, {[]string{"status"}, 5}, {[]string{"sync"}, 4}} {
		_, stderr, code := syncdRun(t, append(c.args, "-config", config)...)
		if code != c.exit {
			t.Errorf("%v beside an older daemon: exit %d, want %d: %s", c.args, code, c.exit, stderr)
		}
		mustContain(t, fmt.Sprint(c.args), stderr, fmt.Sprintf("serves %s on database schema %d", path, u.version),
			"restart the daemon on this syncd first")
	}
	if v := userVersion(t, path); v != u.version {
		t.Fatalf("schema %d after the commands beside the older daemon, want %d as it was", v, u.version)
	}
	lock.Release()
	if _, stderr, code := syncdRun(t, "events", "list", "-config", config); code != 0 {
		t.Fatalf("events list with no daemon serving: exit %d: %s", code, stderr)
	}
	if v, want := userVersion(t, path), latestSchema(t, "../../internal/sqlite/migrations"); v != want {
		t.Errorf("schema %d once no daemon serves it, want this syncd's %d", v, want)
	}
}
