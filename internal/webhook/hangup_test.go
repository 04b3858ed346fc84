package webhook_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestSenderHangingUpIsNotAStoreFailure: a sender that gives up waiting
// (its own timeout, shorter than a slow commit: here a lock another process
// holds) hangs up with its delivery queued, which is then stored. That is
// not a store failure: it used to be logged at error as "delivery not
// stored: answered 503" and counted as store_unavailable, which raises the
// "deliveries not stored" alert and the status line's 503 warning, for a
// delivery that was stored (its retry is a duplicate).
func TestSenderHangingUpIsNotAStoreFailure(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{BusyTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(sqlite.IntakeOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go in.Run(ctx)
	obs, logs := &rejections{n: map[string]int{}}, &logtest.Buffer{}
	srv := newServerFor(t, webhook.Options{Store: in, Observer: obs, Log: zerolog.New(logs), LogEvery: time.Nanosecond,
		Sources: []webhook.Source{{Name: "eaf", Kind: syncd.KindEAF, Tokens: []string{eafToken}}}})

	lock := holdWriteLock(t, path)
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"gone"}`)
	impatient := &http.Client{Timeout: 300 * time.Millisecond}
	if resp, err := impatient.Post(srv+"/hooks/eaf/"+eafToken, "application/json", bytes.NewReader(body)); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d under a held lock", resp.StatusCode)
	}
	waitRejected(t, obs)
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	waitStored(t, db, 1)
	if a := (&rig{url: srv}).post(t, "/hooks/eaf/"+eafToken, body); a.Status != "duplicate" {
		t.Fatalf("retry: %+v", a)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	for seen := range obs.n {
		if webhook.NotStored(strings.TrimPrefix(seen, "eaf ")) {
			t.Errorf("a sender hanging up counted as %q, a delivery the store could not keep", seen)
		}
	}
	if log := logs.String(); strings.Contains(log, "not stored") || strings.Contains(log, `"level":"error"`) || !strings.Contains(log, "hung up") {
		t.Errorf("log:\n%s", log)
	}
}

// holdWriteLock takes the database's write lock from another connection,
// as another process would, until the returned transaction ends.
func holdWriteLock(t *testing.T, path string) *sql.Tx {
	t.Helper()
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	lock, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Rollback() })
	if _, err := lock.Exec(`UPDATE state SET value = value`); err != nil {
		t.Fatal(err)
	}
	return lock
}

// waitRejected waits until the receiver has counted a refused delivery.
func waitRejected(t *testing.T, obs *rejections) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		obs.mu.Lock()
		n := len(obs.n)
		obs.mu.Unlock()
		if n > 0 {
			return
		}
	}
	t.Fatal("the delivery the sender hung up on was never counted")
}
