package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
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
	db := openTest(t)
	in, stop := startIntake(t, db, sqlite.IntakeOptions{})
	lead := func(id, phone string) syncd.Incoming {
		return syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "email_lead", Key: "eaf:" + id, Parse: syncd.ParseStrict,
			Body: []byte(`{"eaf_type":"email_lead","eaf_id":"` + id + `","contact_phone":"` + phone + `"}`)}
	}
	first, err := in.Store(ctx, lead("31", "+44 20 1"))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := in.Store(ctx, lead("31", "+44 20 2"))
	if err != nil || changed.Kept == 0 {
		t.Fatalf("changed delivery = %+v, %v", changed, err)
	}
	unread := lead("32", "+44 20 3") // as an older syncd kept a body it could not read (UTF-16, say)
	unread.Key, unread.Quarantine, unread.Reason = "sha-32", true, "not_utf8"
	q, err := in.Store(ctx, unread)
	if err != nil {
		t.Fatal(err)
	}
	later, err := in.Store(ctx, lead("32", "+44 20 3")) // the sender's delivery that read
	if err != nil || later.Outcome != syncd.Accepted {
		t.Fatalf("later delivery = %+v, %v", later, err)
	}
	stop()
	// As a syncd before 0014 left it.
	if _, err := sqlite.RawWriter(db).ExecContext(ctx, `ALTER TABLE quarantine DROP COLUMN changed_of;
		ALTER TABLE reports DROP COLUMN mail_refused; ALTER TABLE reports DROP COLUMN mail_refused_who;
		ALTER TABLE reports DROP COLUMN mail_held; ALTER TABLE reports DROP COLUMN mail_unattached;
		DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		PRAGMA user_version = 13`); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	db, err = sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatalf("open a database at schema 13: %v", err)
	}
	defer db.Close()
	for id, want := range map[int64]int64{changed.Kept: first.ID, q.ID: 0} {
		if got, err := db.QuarantinedBody(ctx, id); err != nil || got.ChangedOf != want {
			t.Fatalf("quarantined body %d after the upgrade: ChangedOf %d, %v; want %d (%s)", id, got.ChangedOf, err, want, got.Reason)
		}
	}
	asIs := lead("32", "+44 20 3")
	asIs.Source, asIs.Kind = "", ""
	rec, err := db.RepairQuarantined(ctx, q.ID, asIs, time.Hour)
	if err != nil || rec.ID != later.ID {
		t.Fatalf("repair of the body kept unread = %+v, %v; want event %d", rec, err, later.ID)
	}
	if ev, _ := db.Event(ctx, later.ID); ev.Deliveries != 2 {
		t.Fatalf("event %d has %d deliveries after the repair; want 2", later.ID, ev.Deliveries)
	}
	// Kept by an older instance after the upgrade: no answer, as before.
	if _, err := sqlite.RawWriter(db).ExecContext(ctx, `UPDATE quarantine SET changed_of = NULL WHERE id = ?`, changed.Kept); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.QuarantinedBody(ctx, changed.Kept); got.ChangedOf != syncd.ChangedUnknown {
		t.Fatalf("body with no answer: ChangedOf %d, want syncd.ChangedUnknown", got.ChangedOf)
	}
	asIs = lead("31", "+44 20 2")
	asIs.Source, asIs.Kind = "", ""
	if rec, err = db.RepairQuarantined(ctx, changed.Kept, asIs, time.Hour); err != nil || rec.ID != first.ID || !rec.Changed {
		t.Fatalf("repair of a changed delivery with no answer = %+v, %v; want a changed duplicate of %d", rec, err, first.ID)
	}
	if ev, _ := db.Event(ctx, first.ID); ev.Deliveries != 2 {
		t.Fatalf("event %d has %d deliveries after its changed delivery was repaired; want 2", first.ID, ev.Deliveries)
	}
}
