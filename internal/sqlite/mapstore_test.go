package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

func mapOpenDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// mapInsertEvent stores a minimal event straight into the table.
func mapInsertEvent(t *testing.T, db *DB, source string, received time.Time) int64 {
	t.Helper()
	res, err := db.w.Exec(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at)
		VALUES (?, 'eaf', 'email_lead', ?, ?, 'strict', ?, ?)`,
		source, "eaf:"+received.String(), []byte(`{}`), fmtTime(received), fmtTime(received))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func mapOps(eventID int64, company string) []syncd.Op {
	return []syncd.Op{
		{EventID: eventID, Target: "hubspot", Kind: syncd.RecordContact, Key: "a@example.com",
			Properties:  map[string]string{"email": "a@example.com", "company": company},
			MappingFile: "hubspot/eaf.yaml", MappingHash: "h1"},
		{EventID: eventID, Target: "hubspot", Kind: syncd.RecordDeal, Key: "eaf:eaf:1", ContactKey: "a@example.com",
			Properties:  map[string]string{"dealname": "x"},
			MappingFile: "hubspot/eaf.yaml", MappingHash: "h1"},
	}
}

func TestRecordMapping(t *testing.T) {
	ctx := context.Background()
	db := mapOpenDB(t)
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return t0 }
	id := mapInsertEvent(t, db, "eaf-main", t0)

	pending, err := db.PendingEvents(ctx, 0, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != id {
		t.Fatalf("pending before = %v, %v; want event %d", pending, err, id)
	}
	n, err := db.RecordMapping(ctx, id, syncd.MapMapped, "", mapOps(id, "Acme"))
	if err != nil || n != 2 {
		t.Fatalf("RecordMapping = %d, %v; want 2 new ops", n, err)
	}
	ev, err := db.Event(ctx, id)
	if err != nil || ev.MapState != syncd.MapMapped || ev.MapError != "" {
		t.Fatalf("event after = %+v, %v", ev, err)
	}
	var mappedAt string
	if err := db.r.QueryRow(`SELECT mapped_at FROM events WHERE id = ?`, id).Scan(&mappedAt); err != nil || mappedAt != fmtTime(t0) {
		t.Fatalf("mapped_at = %q, %v; want %q", mappedAt, err, fmtTime(t0))
	}
	if pending, _ := db.PendingEvents(ctx, 0, 10); len(pending) != 0 {
		t.Fatalf("still pending: %v", pending)
	}

	// Re-mapping with identical ops adds nothing; a changed property adds
	// exactly the changed op.
	if n, err := db.RecordMapping(ctx, id, syncd.MapMapped, "", mapOps(id, "Acme")); err != nil || n != 0 {
		t.Fatalf("same ops again = %d, %v; want 0", n, err)
	}
	if n, err := db.RecordMapping(ctx, id, syncd.MapMapped, "", mapOps(id, "Acme Ltd")); err != nil || n != 1 {
		t.Fatalf("changed contact = %d, %v; want 1", n, err)
	}
	ops, err := db.ListOps(ctx, OpFilter{Limit: -1})
	if err != nil || len(ops) != 3 || ops[0].EventID != id || ops[2].EventID != id {
		t.Fatalf("ops for event = %d, %v; want 3", len(ops), err)
	}
}

func TestRecordMappingUnmappableAndMissing(t *testing.T) {
	ctx := context.Background()
	db := mapOpenDB(t)
	id := mapInsertEvent(t, db, "eaf-main", time.Now())
	if n, err := db.RecordMapping(ctx, id, syncd.MapUnmappable, "no email and no phone", nil); err != nil || n != 0 {
		t.Fatalf("RecordMapping = %d, %v", n, err)
	}
	ev, _ := db.Event(ctx, id)
	if ev.MapState != syncd.MapUnmappable || ev.MapError != "no email and no phone" {
		t.Fatalf("event = %s %q", ev.MapState, ev.MapError)
	}
	_, err := db.RecordMapping(ctx, id+100, syncd.MapMapped, "", mapOps(id+100, "x"))
	if syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("missing event: err = %v, want not found", err)
	}
	var count int
	db.r.QueryRow(`SELECT count(*) FROM outbox`).Scan(&count)
	if count != 0 {
		t.Fatalf("outbox has %d rows after a failed RecordMapping; want 0 (one transaction)", count)
	}
}

// TestRecordMappingAtomic: when inserting an op fails, the event's state is
// not changed either.
func TestRecordMappingAtomic(t *testing.T) {
	ctx := context.Background()
	db := mapOpenDB(t)
	id := mapInsertEvent(t, db, "eaf-main", time.Now())
	bad := mapOps(id, "x")
	// Make the deal's insert fail after the contact's went in.
	if _, err := db.w.Exec(`CREATE TRIGGER map_fail BEFORE INSERT ON outbox WHEN NEW.kind = 'deal'
		BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordMapping(ctx, id, syncd.MapMapped, "", bad); err == nil {
		t.Fatal("RecordMapping succeeded despite a failing insert")
	}
	ev, _ := db.Event(ctx, id)
	var count int
	db.r.QueryRow(`SELECT count(*) FROM outbox`).Scan(&count)
	if ev.MapState != syncd.MapPending || count != 0 {
		t.Fatalf("after a failed transaction: state %s, %d ops; want pending, 0", ev.MapState, count)
	}
}

func TestReplayEvents(t *testing.T) {
	ctx := context.Background()
	db := mapOpenDB(t)
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	a := mapInsertEvent(t, db, "a", t0)
	b := mapInsertEvent(t, db, "b", t0.Add(time.Hour))
	c := mapInsertEvent(t, db, "a", t0.Add(2*time.Hour))
	db.RecordMapping(ctx, c, syncd.MapUnmappable, "x", nil)
	ids := func(evs []syncd.Event, err error) []int64 {
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, e := range evs {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		since  time.Time
		source string
		after  int64
		want   []int64
	}{
		{"all", time.Time{}, "", 0, []int64{a, b, c}},
		{"source", time.Time{}, "a", 0, []int64{a, c}},
		{"since", t0.Add(30 * time.Minute), "", 0, []int64{b, c}},
		{"after", time.Time{}, "", a, []int64{b, c}},
	} {
		got := ids(db.ReplayEvents(ctx, tc.since, tc.source, tc.after, 10))
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) || got[len(got)-1] != tc.want[len(tc.want)-1] {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
