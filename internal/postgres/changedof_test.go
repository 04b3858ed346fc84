package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeRecordsWhichBodiesAreChangedDeliveries: the bodies kept in
// the quarantine before migration 0013 get their answer from their reason
// (the SQLite store's test of the same name): a changed delivery of event
// N its N, a body that did not read 0.
func TestUpgradeRecordsWhichBodiesAreChangedDeliveries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	lead := func(id, phone string) syncd.Incoming {
		return syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "email_lead", Key: "eaf:" + id, Parse: syncd.ParseStrict,
			Body: []byte(`{"eaf_type":"email_lead","eaf_id":"` + id + `","contact_phone":"` + phone + `"}`)}
	}
	var first, changed, unread syncd.Receipt
	withIntake(db, func(in *postgres.Intake) {
		if first, err = in.Store(ctx, lead("31", "+44 20 1")); err != nil {
			t.Fatal(err)
		}
		if changed, err = in.Store(ctx, lead("31", "+44 20 2")); err != nil || changed.Kept == 0 {
			t.Fatalf("changed delivery = %+v, %v", changed, err)
		}
		bad := lead("32", "+44 20 3")
		bad.Key, bad.Quarantine, bad.Reason = "sha-32", true, "not_utf8"
		if unread, err = in.Store(ctx, bad); err != nil {
			t.Fatal(err)
		}
	})
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `ALTER TABLE quarantine DROP COLUMN changed_of;
		ALTER TABLE reports DROP COLUMN mail_refused, DROP COLUMN mail_refused_who, DROP COLUMN mail_held,
			DROP COLUMN mail_unattached;
		DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		DELETE FROM schema_version WHERE version >= 13`); err != nil {
		t.Fatal(err)
	}
	if db, err = postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, want := range map[int64]int64{changed.Kept: first.ID, unread.ID: 0} {
		if got, err := db.QuarantinedBody(ctx, id); err != nil || got.ChangedOf != want {
			t.Fatalf("quarantined body %d after the upgrade: ChangedOf %d, %v; want %d (%s)", id, got.ChangedOf, err, want, got.Reason)
		}
	}
}
