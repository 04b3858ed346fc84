package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestRepairQuarantined(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	bad := syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "sha256:bad", Body: []byte(`{"eaf_type":"email_lead" "eaf_id":"9"}`),
		Quarantine: true, Reason: "invalid JSON", ReceivedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond)}
	q, err := in.Store(ctx, bad)
	if err != nil {
		t.Fatal(err)
	}
	fixed := syncd.Incoming{Type: "email_lead", Key: "eaf:9", Body: []byte(`{"eaf_type":"email_lead","eaf_id":"9"}`), Parse: syncd.ParseStrict}
	rec, err := db.RepairQuarantined(ctx, q.ID, fixed, time.Hour)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("repair: %+v %v", rec, err)
	}
	ev, err := db.Event(ctx, rec.ID)
	if err != nil || ev.Source != "eaf" || ev.MapState != syncd.MapPending || !ev.ReceivedAt.Equal(bad.ReceivedAt) {
		t.Fatalf("repaired event %+v %v", ev, err)
	}
	qs, _ := db.Quarantined(ctx, syncd.EventFilter{})
	if len(qs) != 1 || qs[0].ResolvedEvent != rec.ID {
		t.Fatalf("quarantine row not resolved: %+v", qs)
	}
	if _, err := db.RepairQuarantined(ctx, q.ID, fixed, time.Hour); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("second repair: %v, want invalid", err)
	}
	if _, err := db.RepairQuarantined(ctx, 999, fixed, time.Hour); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("missing row: %v", err)
	}
	// The sender later delivers the same event properly: it is a duplicate of the repaired one.
	again := fixed
	again.Source, again.Kind = "eaf", syncd.KindEAF
	if r, _ := in.Store(ctx, again); r.Outcome != syncd.Duplicate || r.ID != rec.ID {
		t.Fatalf("redelivery after repair: %+v", r)
	}
}
