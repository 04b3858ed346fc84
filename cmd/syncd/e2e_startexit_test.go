package main_test

import (
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStartRefusalsAPersonMendsAreNotRestarted: serve on a database a
// newer syncd migrated (a package rolled back) exited 1, and the units
// (Restart=on-failure, RestartPreventExitStatus=2) started it again every
// 2 s for ever, the same refusal in the journal each time; so did every
// start refused for what only a person mends. Each now exits 2, which the
// units do not restart, as a configuration that does not load does; a start
// a restart may mend (an address another program holds) still exits 1.
func TestStartRefusalsAPersonMendsAreNotRestarted(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	serve := func(what, config string, want int, says ...string) {
		t.Helper()
		out, errOut, code := syncdRun(t, "serve", "-config", config)
		if code != want || strings.Contains(out, `"serving"`) {
			t.Errorf("serve, %s: exit %d, want %d\n%s%s", what, code, want, out, errOut)
		}
		mustContain(t, "serve, "+what, out+errOut, says...)
	}
	made := func(t *testing.T) (dir, config, db string) {
		dir = t.TempDir()
		config = writeConfig(t, dir)
		start(t, config).stop(t, syscall.SIGTERM)
		return dir, config, filepath.Join(dir, "data", "syncd.db")
	}

	t.Run("newer schema", func(t *testing.T) {
		t.Parallel()
		_, config, db := made(t)
		known := latestSchema(t, "../../internal/sqlite/migrations")
		raw, err := sql.Open("sqlite3", db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, known+1)); err != nil {
			t.Fatal(err)
		}
		raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		raw.Close()
		serve("a database of a newer schema", config, 2, fmt.Sprintf("database schema %d is newer than this binary's %d", known+1, known))
	})
	t.Run("lost", func(t *testing.T) {
		t.Parallel()
		_, config, db := made(t)
		os.Remove(db)
		serve("the database gone", config, 2, "restore it from a backup", "-fresh")
	})
	t.Run("not a database", func(t *testing.T) {
		t.Parallel()
		_, config, db := made(t)
		os.WriteFile(db, []byte(strings.Repeat("not a database\n", 400)), 0o600)
		serve("another file in its place", config, 2, "is not an SQLite database")
	})
	t.Run("linked away", func(t *testing.T) {
		t.Parallel()
		dir, config, db := made(t)
		os.Remove(db)
		os.Symlink(filepath.Join(dir, "unmounted", "syncd.db"), db)
		serve("the database a link to a disk not mounted", config, 2, "which is not there: mount the disk it is on")
	})
	t.Run("second daemon", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		config := writeConfig(t, dir)
		first := start(t, config)
		defer first.stop(t, syscall.SIGTERM)
		serve("another daemon serving the database", config, 2, "another syncd daemon (pid")
	})
	t.Run("address taken", func(t *testing.T) {
		t.Parallel()
		other, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		dir := t.TempDir()
		config := writeConfig(t, dir)
		raw, _ := os.ReadFile(config)
		os.WriteFile(config, []byte(strings.Replace(string(raw), "listen: 127.0.0.1:0", "listen: "+other.Addr().String(), 1)), 0o600)
		serve("the address another program holds", config, 1, "address already in use")
	})
}
