package main_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDamagedUnderTheDaemonIsSaidOnce: the database file is damaged while
// the daemon serves from it (a page written over: a failing disk). SQLite
// finds it only as a query reads that page: intake answered 503 (right),
// but /readyz, the status line and syncd status said nothing (exit 0),
// and the mapping worker (the syncer too, on its next run) logged a bare
// "database disk image is malformed" each time it ran, never what to do.
// Now the first part to meet it logs one line with the way out (the words
// of the check at start), syncd_database_damaged is 1, and syncd status
// says DAMAGED with the way out (exit 5). Intake never answers 200 for a
// lead it could not store.
func TestDamagedUnderTheDaemonIsSaidOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		table string // the table written over
		met   []string
	}{
		{"events", []string{`"message":"delivery not stored: answered 503"`}}, // intake meets it
		{"outbox", []string{`"message":"map events"`}},                        // the mapping worker meets it; intake stores
		{"crm_links", []string{`"level":"error"`, `"message":"sync run"`}},    // the syncer meets it, the next lead's contact looked up
	} {
		t.Run(c.table, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			config := writeConfig(t, dir)
			d := start(t, config)
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("syncd's log:\n%s", d.log())
				}
			})
			postTestdata(t, d, "eaf/email_lead.json")
			path := filepath.Join(dir, "data", "syncd.db")
			waitFor(t, "the first lead sent", func() bool { return doneOps(t, path) == 2 }) // a contact and a deal
			damageUnderDaemon(t, path, c.table)

			body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body)
				if err != nil {
					t.Fatal(err)
				}
				if c.table == "events" && a.Code != 503 {
					t.Errorf("post into a damaged events table: %d %s, want 503 (senders retry)", a.Code, a.Status)
				}
			}
			for _, m := range c.met {
				waitFor(t, m, func() bool { return strings.Contains(d.log(), m) })
			}
			waitFor(t, "the damaged line", func() bool { return strings.Contains(d.log(), "database found damaged under the daemon") })

			if c.table == "events" { // intake's error lines come at most every 10 s: the next one
				time.Sleep(11 * time.Second)
				// Past ProbeEvery since the last delivery, /readyz made a probe write
				// of its own, elsewhere in the file, and answered 200 between the
				// deliveries' 503s: a load balancer kept sending them here.
				if code := status(t, d.url+"/readyz"); code != 503 {
					t.Errorf("/readyz with the events table damaged: %d, want 503 as every delivery gets", code)
				}
				if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 503 {
					t.Errorf("post into a damaged events table: %+v %v, want 503", a, err)
				}
				waitFor(t, "intake's next line", func() bool { return strings.Contains(d.log(), `"repeated":`) })
			}
			if n := strings.Count(d.log(), path+" is damaged (SQLite: "); n != 1 {
				t.Errorf("the way out was logged %d times, want once:\n%s", n, d.log())
			}

			aside := "mkdir -p " + sq(filepath.Join(dir, "data", "damaged")) + " && mv " + sq(path) + "* " + sq(filepath.Join(dir, "data", "damaged")) + "/"
			said := 0
			for _, l := range strings.Split(d.log(), "\n") {
				var line struct{ Message, Error string }
				if json.Unmarshal([]byte(l), &line) != nil || !strings.HasPrefix(line.Message, "database found damaged under the daemon") {
					continue
				}
				said++
				mustContain(t, "the damaged line", line.Error, path+" is damaged (SQLite: ", aside, "syncd serve -fresh")
			}
			if said != 1 {
				t.Errorf("the damage was said %d times, want once:\n%s", said, d.log())
			}
			if c.table != "events" && status(t, d.url+"/readyz") != 200 {
				t.Errorf("/readyz with the %s table damaged: not 200, though deliveries are stored", c.table)
			}
			if !strings.Contains(metricsText(t, d.url), "syncd_database_damaged 1") {
				t.Error("syncd_database_damaged not 1")
			}
			stdout, stderr, code := syncdRun(t, "status", "-config", config)
			if code != 5 {
				t.Errorf("status: exit %d, want 5\n%s%s", code, stdout, stderr)
			}
			mustContain(t, "status", stdout, "DAMAGED", aside, "restore the newest copy syncd backup made")
			if c.table == "events" {
				mustContain(t, "status", stdout, "every delivery is answered 503, its /readyz with it")
			}
			if strings.Contains(stdout, "REFUSED") { // its causes (a full disk) and "stores again by itself" are not this
				t.Errorf("status says deliveries REFUSED beside DAMAGED:\n%s", stdout)
			}
			if err := d.stop(t, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// damageUnderDaemon writes over the root page of table in the database at
// path while a daemon serves from it: the -wal checkpointed into the file
// first (so no newer copy of the page hides the damage), then a write of
// another connection, which makes the daemon's connections drop what they
// had cached and read the page from the file again.
func damageUnderDaemon(t *testing.T, path, table string) {
	t.Helper()
	c, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	if _, err := c.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	writeOverRootPage(t, path, table)
	if _, err := c.Exec(`CREATE TABLE damage_test_nudge (x); DROP TABLE damage_test_nudge`); err != nil {
		t.Fatal(err)
	}
}

// doneOps is the number of operations done in the outbox of the database
// at path, read by a connection of its own.
func doneOps(t *testing.T, path string) int {
	t.Helper()
	c, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	if err := c.QueryRow(`SELECT count(*) FROM outbox WHERE state = 'done'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
