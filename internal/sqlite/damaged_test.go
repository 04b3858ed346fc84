package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// damagePage writes over the header of the root page of table in the
// database at path (stopped cleanly: no -wal), as a failing disk or a
// stray write would: SQLite finds it only when a query reads that page.
func damagePage(t *testing.T, path, table string) {
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
	if _, err := f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef}, (root-1)*size); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedFileIsRefusedAtStartAndSaidWhereMet: a database whose events
// page was written over (a failing disk) was served as if sound: the
// daemon's start failed on the first query that read the page ("skip lost
// event ids: database disk image is malformed") or, the page read later,
// every delivery failed with that line alone, and a command said "list
// events: database disk image is malformed", none naming the file or what
// to do. The daemon's Open now checks the file (quick_check) and refuses
// it, ErrDamaged naming it, the commands that set it aside and the ways
// on; CheckIntact (validate, status) finds it without a daemon; a
// command's query and the intake's commit that meet the damage say so.
func TestDamagedFileIsRefusedAtStartAndSaidWhereMet(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, stop := startIntake(t, db, sqlite.IntakeOptions{})
	for i := range 20 {
		if _, err := in.Store(ctx, incoming(fmt.Sprintf("sha256:%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	stop()
	db.Close()
	if err := sqlite.CheckIntact(ctx, path); err != nil {
		t.Fatalf("CheckIntact of a sound database: %v", err)
	}
	damagePage(t, path, "events")

	way := []string{path + " is damaged (SQLite: ", "serve refuses to start on it",
		"mkdir -p " + shellescape.Quote(filepath.Join(dir, "damaged")) + " && mv " + shellescape.Quote(path) + "* " + shellescape.Quote(filepath.Join(dir, "damaged")) + "/",
		"restore the newest copy syncd backup made", "syncd serve -fresh"}
	_, err = sqlite.Open(ctx, path, sqlite.Options{Daemon: true, DeferSync: true})
	mustBeDamaged(t, "the daemon's Open", err, way)
	mustBeDamaged(t, "CheckIntact", sqlite.CheckIntact(ctx, path), way)

	cmd, err := sqlite.Open(ctx, path, sqlite.Options{}) // a command reads only what it needs
	if err != nil {
		t.Fatalf("a command's Open: %v", err)
	}
	defer cmd.Close()
	_, err = cmd.Events(ctx, sqlite.EventFilter{})
	mustBeDamaged(t, "a command's query", sqlite.ExplainDamaged(path, err), way)
	if again := sqlite.ExplainDamaged(path, sqlite.ExplainDamaged(path, err)); strings.Count(again.Error(), "is damaged") != 1 {
		t.Errorf("explained twice: %v", again)
	}

	var mu sync.Mutex
	var told []error
	cmd.OnError = func(err error) { mu.Lock(); told = append(told, err); mu.Unlock() }
	in, stop = startIntake(t, cmd, sqlite.IntakeOptions{})
	if _, err := in.Store(ctx, incoming("sha256:after")); err == nil {
		t.Fatal("a delivery was stored into the damaged events table")
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if len(told) == 0 {
		t.Fatal("the failed commit was not told")
	}
	mustBeDamaged(t, "the intake's failed commit", told[0], way)
}

func mustBeDamaged(t *testing.T, what string, err error, way []string) {
	t.Helper()
	if !errors.Is(err, sqlite.ErrDamaged) || syncd.ErrorCode(err) != syncd.EInternal {
		t.Fatalf("%s: %v (code %q), want ErrDamaged, EInternal", what, err, syncd.ErrorCode(err))
	}
	for _, w := range way {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %v\nlacks %q", what, err, w)
		}
	}
}
