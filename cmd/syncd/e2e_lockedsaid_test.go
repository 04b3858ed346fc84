package main_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLockHeldByAnotherProcessIsSaid: docs/troubleshooting.md names a lock
// held by another process (a sqlite3 shell or a database browser left in a
// transaction) as a cause of deliveries answered 503. The log said only
// "begin intake: database is locked", and syncd status blamed the disk
// ("its disk full or read-only: df -h, and mount for "ro""): an operator
// freed space that was not wanting. The log now says another process holds
// the lock and how to find it, and status names the lock among the causes.
func TestLockHeldByAnotherProcessIsSaid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	path := filepath.Join(dir, "data", "syncd.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lock, err := db.BeginTx(context.Background(), nil) // BEGIN EXCLUSIVE
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`UPDATE state SET value = value`); err != nil {
		t.Fatal(err)
	}
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"locked-1"}`))
	if err != nil || a.Code != 503 {
		t.Fatalf("delivery under the lock: %+v, %v; want 503", a, err)
	}
	waitFor(t, "the store's error logged", func() bool { return strings.Contains(d.log(), `"message":"store"`) })
	var line string
	for _, l := range strings.Split(d.log(), "\n") {
		if strings.Contains(l, `"message":"store"`) {
			line = l
		}
	}
	mustContain(t, "the store line", line, "another process holds a lock on the database", "fuser -v "+path)
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Errorf("status exit %d under the lock, want 5:\n%s", code, out)
	}
	mustContain(t, "status", out, "REFUSED", "or its database locked by another process: fuser -v "+path)
	lock.Rollback()
	deadline := time.Now().Add(time.Minute)
	for {
		a, err = post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"locked-1"}`))
		if err == nil && a.Code == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if a.Code != 200 {
		t.Fatalf("the lock released, the retry: %+v, %v; want 200", a, err)
	}
}
