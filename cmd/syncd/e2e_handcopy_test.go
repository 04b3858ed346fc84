package main_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHandCopyOfARunningDatabaseIsRestoredByAcceptRestore: the copy an
// operator takes by hand while the daemon runs, with SQLite itself (the
// sqlite3 shell's .backup, or VACUUM INTO as here: one snapshot, whole,
// its -wal's commits in it), is not one syncd backup marked. Restored as
// Backup's steps say, the commands and the start refuse it as a database
// moved without its write-ahead log (it records that a daemon served it);
// syncd accept-restore takes it, as docs/backup.md says, and the start
// then serves it with every lead it holds.
func TestHandCopyOfARunningDatabaseIsRestoredByAcceptRestore(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	if a := postTestdata(t, d, "eaf/email_lead.json"); a.Code != 200 {
		t.Fatalf("delivery: %+v", a)
	}
	db := filepath.Join(dir, "data", "syncd.db")
	copied := filepath.Join(dir, "by-hand.db")
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`VACUUM INTO ?`, copied); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	restore(t, copied, db)
	_, stderr, code := syncdRun(t, "purge", "-config", config)
	if code != 2 || !strings.Contains(stderr, "write-ahead log left behind") || !strings.Contains(stderr, "syncd accept-restore") {
		t.Fatalf("purge on the copy by hand: exit %d, want 2 (as serve: a person acts) naming syncd accept-restore:\n%s", code, stderr)
	}
	syncdOK(t, "accept-restore", "-config", config)
	syncdOK(t, "purge", "-config", config)
	d = start(t, config)
	if out := syncdOK(t, "events", "show", "-config", config, "1"); !strings.Contains(out, "email_lead") {
		t.Errorf("the lead of the copy by hand, restored:\n%s", out)
	}
	if !strings.Contains(d.log(), "database restored from a backup") {
		t.Errorf("the first start on the copy by hand did not say it is a restored backup:\n%s", d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
