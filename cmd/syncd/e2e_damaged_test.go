package main_test

import (
	"bytes"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDamagedDatabaseIsSaidWithTheWayOut: an operator's syncd.db had a
// few bytes written over its events page (a failing disk). validate said
// "database: …/syncd.db", exit 0; serve exited 1 logging "start: skip
// lost event ids: database disk image is malformed"; events list said
// "list events: database disk image is malformed"; status printed its
// figures with nothing of it. None named the file as damaged or what to
// do. Now validate, serve (before writing into it) and a command (exit 2:
// a person restores it) and status (exit 5, beside "no syncd answers") say the
// file is damaged and how to set it aside, kept, and go on from a backup
// or an empty database; the commands printed do so.
func TestDamagedDatabaseIsSaidWithTheWayOut(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	for _, f := range []string{"eaf/email_lead.json", "lokalebasen/enquiry_created.json"} {
		postTestdata(t, d, f)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	path := filepath.Join(data, "syncd.db")
	writeOverRootPage(t, path, "events")
	damaged, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	aside := "mkdir -p " + sq(filepath.Join(data, "damaged")) + " && mv " + sq(path) + "* " + sq(filepath.Join(data, "damaged")) + "/"
	way := []string{path + " is damaged (SQLite: ", aside, "restore the newest copy syncd backup made", "syncd serve -fresh"}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"validate", "-offline"}, 2}, // as serve: a person restores it
		{[]string{"serve"}, 2},                // not restarted by the unit
		{[]string{"events", "list"}, 2},
		{[]string{"status"}, 5},
	} {
		stdout, stderr, code := syncdRun(t, append(c.args, "-config", config)...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", c.args, code, c.code, stdout, stderr)
		}
		said := way
		if c.args[0] == "serve" { // its log: JSON
			said = []string{way[0], inJSON(aside), way[2], way[3]}
		}
		mustContain(t, strings.Join(c.args, " "), stdout+stderr, said...)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, damaged) {
		t.Error("the damaged file was written into")
	}

	if out, err := exec.Command("sh", "-c", aside).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", aside, err, out)
	}
	if kept, _ := os.ReadFile(filepath.Join(data, "damaged", "syncd.db")); !bytes.Equal(kept, damaged) {
		t.Fatal("the damaged file was not kept aside")
	}
	fresh := startCmd(t, syncdCmd("serve", "-fresh", "-config", config))
	if a := postTestdata(t, fresh, "eaf/email_lead.json"); a.Status != "accepted" {
		t.Fatalf("after serve -fresh: %+v", a)
	}
	if err := fresh.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// writeOverRootPage writes over the header of the root page of table in
// the database at path, stopped cleanly, as a failing disk would.
func writeOverRootPage(t *testing.T, path, table string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var root, size int64
	err = raw.QueryRow(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&root)
	if err == nil {
		err = raw.QueryRow(`PRAGMA page_size`).Scan(&size)
	}
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xde, 0xad}, 4), (root-1)*size); err != nil {
		t.Fatal(err)
	}
}

// TestCheckOfALargeDatabaseExtendsTheStartTimeout: serve checks the whole
// file for damage as it starts (PRAGMA quick_check), some 5 s for 300 MB
// not in the page cache; a database of a few GB outlasted systemd's start
// timeout, and the daemon was killed and restarted before it served, again
// and again. The check of a large file is said in the status line with the
// timeout extended, as a migration is.
func TestCheckOfALargeDatabaseExtendsTheStartTimeout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "data", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	// A table of another program's: the file's size is what counts.
	_, err = raw.Exec(`CREATE TABLE padding(b BLOB); INSERT INTO padding VALUES (zeroblob(70 * 1024 * 1024))`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	before := strings.Join(n.await(t, "READY=1"), " | ")
	mustContain(t, "sd_notify messages before READY=1", before,
		"STATUS=checking the database file for damage (70 MB: read once at each start)\nEXTEND_TIMEOUT_USEC=30000000")
}
