package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeRecordsWhichBodiesAreChangedDeliveries: the bodies kept in
// the quarantine before migration 0014 get their answer from their reason:
// a changed delivery of event N its N, a body that did not read 0, so one
// an older syncd kept because it could not read it, which this syncd
// reads, repaired as it is, counts its delivery on the event it joins (it
// was taken for a changed delivery, counted nowhere). A body an older
// instance kept after the upgrade (changed_of NULL) is judged as before.
func TestUpgradeRecordsWhichBodiesAreChangedDeliveries(t *testing.T) {
	ctx := context.Background()
	path, raw := oldSchema(t, 13) // as a syncd before 0014 left it
	lead := func(id, phone string) syncd.Incoming {
		return syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "email_lead", Key: "eaf:" + id, Parse: syncd.ParseStrict,
			Body: []byte(`{"eaf_type":"email_lead","eaf_id":"` + id + `","contact_phone":"` + phone + `"}`)}
	}
	event := func(in syncd.Incoming) int64 {
		return oldEvent(t, raw, in.Source, in.Kind, in.Type, in.Key, string(in.Body))
	}
	keep := func(in syncd.Incoming, reason string) int64 {
		t.Helper()
		now := syncd.FormatTime(time.Now())
		res, err := raw.ExecContext(ctx, `INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, in.Source, string(in.Kind), in.Body, sender.QuarantineKey(in.Body), reason, now, now)
		if err != nil {
			t.Fatal(err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := event(lead("31", "+44 20 1"))
	changed := keep(lead("31", "+44 20 2"), sender.ChangedReason(syncd.KindEAF, first))
	if _, err := raw.ExecContext(ctx, `UPDATE events SET deliveries = 2 WHERE id = ?`, first); err != nil {
		t.Fatal(err) // the changed delivery counted on its event, as intake counts one
	}
	q := keep(lead("32", "+44 20 3"), "not_utf8") // as an older syncd kept a body it could not read (UTF-16, say)
	later := event(lead("32", "+44 20 3"))        // the sender's delivery that read
	db := upgraded(t, path, raw)
	for id, want := range map[int64]int64{changed: first, q: 0} {
		if got, err := db.QuarantinedBody(ctx, id); err != nil || got.ChangedOf != want {
			t.Fatalf("quarantined body %d after the upgrade: ChangedOf %d, %v; want %d (%s)", id, got.ChangedOf, err, want, got.Reason)
		}
	}
	asIs := lead("32", "+44 20 3")
	asIs.Source, asIs.Kind = "", ""
	rec, err := db.RepairQuarantined(ctx, q, asIs, time.Hour)
	if err != nil || rec.ID != later {
		t.Fatalf("repair of the body kept unread = %+v, %v; want event %d", rec, err, later)
	}
	if ev, _ := db.Event(ctx, later); ev.Deliveries != 2 {
		t.Fatalf("event %d has %d deliveries after the repair; want 2", later, ev.Deliveries)
	}
	// Kept by an older instance after the upgrade: no answer, as before.
	if _, err := sqlite.RawWriter(db).ExecContext(ctx, `UPDATE quarantine SET changed_of = NULL WHERE id = ?`, changed); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.QuarantinedBody(ctx, changed); got.ChangedOf != syncd.ChangedUnknown {
		t.Fatalf("body with no answer: ChangedOf %d, want syncd.ChangedUnknown", got.ChangedOf)
	}
	asIs = lead("31", "+44 20 2")
	asIs.Source, asIs.Kind = "", ""
	if rec, err = db.RepairQuarantined(ctx, changed, asIs, time.Hour); err != nil || rec.ID != first || !rec.Changed {
		t.Fatalf("repair of a changed delivery with no answer = %+v, %v; want a changed duplicate of %d", rec, err, first)
	}
	if ev, _ := db.Event(ctx, first); ev.Deliveries != 2 {
		t.Fatalf("event %d has %d deliveries after its changed delivery was repaired; want 2", first, ev.Deliveries)
	}
}
