package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeN stores n new events through in and returns their ids.
func storeN(t *testing.T, in *sqlite.Intake, prefix string, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		r, err := in.Store(context.Background(), incoming(fmt.Sprintf("sha256:%s-%d", prefix, i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// restoredCopy backs db up, lets the original go on receiving events, and
// opens the copy as a restore taken age ago: it returns the copy and the
// ids the original gave after the backup.
func restoredCopy(t *testing.T, db *sqlite.DB, in *sqlite.Intake, age time.Duration) (*sqlite.DB, []int64) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	lost := storeN(t, in, "after", 3)
	c, err := sqlite.Open(context.Background(), out, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.Now = func() time.Time { return time.Now().Add(age) }
	return c, lost
}

// A restored backup used to give the ids of the events received after the
// backup again; now its first writer skips them, once, and a backup of the
// restore is a restore of its own again.
func TestRestoredBackupSkipsTheLostEventIDs(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	kept := storeN(t, in, "before", 2)
	c, lost := restoredCopy(t, db, in, 30*time.Hour) // two days, or part of them
	r, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Body: []byte("{lost"),
		Quarantine: true, Reason: "invalid JSON"}) // quarantined after the backup
	if err != nil {
		t.Fatal(err)
	}
	lostQ := r.ID
	first, last, err := c.SkipLostEventIDs(ctx)
	if err != nil || first != kept[1]+1 || last != 2_999_999 {
		t.Fatalf("skipped %d to %d (%v); want %d to 2999999", first, last, err, kept[1]+1)
	}
	if f, l, err := c.SkipLostEventIDs(ctx); f != first || l != last || err != nil {
		t.Fatalf("again: skipped %d to %d (%v); want the same", f, l, err)
	}
	cin, _ := startIntake(t, c, sqlite.IntakeOptions{})
	got := storeN(t, cin, "restored", 1)[0]
	if got != last+2 || got <= lost[len(lost)-1] {
		t.Fatalf("a new event got id %d; want %d, after the lost %v", got, last+2, lost)
	}
	q, err := cin.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Body: []byte("{nope"),
		Quarantine: true, Reason: "invalid JSON"})
	if err != nil || q.ID != 3_000_001 || lostQ >= q.ID {
		t.Fatalf("a new quarantined body got id %d (%v); want 3000001, after the lost %d", q.ID, err, lostQ)
	}
	ev, err := c.Event(ctx, last+1)
	if err != nil || ev.Kind != syncd.KindRestore || len(ev.Body) != 0 {
		t.Fatalf("the row holding the ids: %+v %v", ev, err)
	}
	n := 0
	day := time.Now().Truncate(24 * time.Hour)
	if err := c.EachAttention(ctx, day.Add(-48*time.Hour), day.Add(72*time.Hour), func(r *syncd.AttentionRow) error {
		if r.Source == "syncd" {
			n++
			t.Errorf("attention: %+v", r)
		}
		return nil
	}); err != nil || n != 0 {
		t.Fatalf("the restore's own rows need attention in the report (%v)", err)
	}

	again, _ := restoredCopy(t, c, cin, 0)
	if f, l, err := again.SkipLostEventIDs(ctx); f != got+1 || l != 4_999_999 || err != nil {
		t.Fatalf("a backup of the restore: skipped %d to %d (%v); want %d to 4999999", f, l, err, got+1)
	}
	if f, l, err := db.SkipLostEventIDs(ctx); f != 0 || l != 0 || err != nil {
		t.Fatalf("the database backed up skipped %d to %d (%v); want none", f, l, err)
	}
}
