package webhook_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestLockHeldPastTheDeadlineAnswers503: another process holds the
// database's write lock for longer than a delivery may wait. The sender
// gets 503 with Retry-After while the lock is still held (not silence until
// it ends); once it ends the event is stored, and the retry is a duplicate.
func TestLockHeldPastTheDeadlineAnswers503(t *testing.T) {
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
	srv := newServerFor(t, webhook.Options{Store: in, AnswerWithin: 300 * time.Millisecond, Log: zerolog.Nop(),
		Sources: []webhook.Source{{Name: "eaf", Kind: syncd.KindEAF, Tokens: []string{eafToken}}}})

	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	lock.Exec(`UPDATE state SET value = value`)
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"held"}`)
	resp, err := http.Post(srv+"/hooks/eaf/"+eafToken, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("under a held lock: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if err := lock.Rollback(); err != nil { // the lock was held until now: the answer came first
		t.Fatal(err)
	}
	waitStored(t, db, 1)
	a := (&rig{url: srv}).post(t, "/hooks/eaf/"+eafToken, body)
	if a.Code != 200 || a.Status != "duplicate" {
		t.Fatalf("retry after the lock: %+v", a)
	}
}

// TestFailingStoreLogsOncePerInterval: a store that fails every commit (a
// full disk) answers every delivery 503 but logs it once per interval.
func TestFailingStoreLogsOncePerInterval(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	os.Remove(r.db.Path()) // every commit fails from now on
	for i := 0; i < 200; i++ {
		resp, err := http.Post(r.url+"/hooks/eaf/"+eafToken, "application/json", bytes.NewReader([]byte(`{"eaf_type":"x"}`)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 503 {
			t.Fatalf("delivery %d: %d", i, resp.StatusCode)
		}
	}
	if n := strings.Count(r.log.String(), "\n"); n > 2 {
		t.Fatalf("%d log lines for 200 failed deliveries:\n%.2000s", n, r.log.String())
	}
}

func newServerFor(t *testing.T, opts webhook.Options) string {
	t.Helper()
	srv := httptest.NewServer(webhook.New(opts).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func waitStored(t *testing.T, db *sqlite.DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if evs, _ := db.Events(context.Background(), sqlite.EventFilter{}); len(evs) == n {
			return
		}
	}
	t.Fatalf("not %d events stored", n)
}
