package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys: before per-type keys, a
// portal_submission or feed_import with eaf_id N was keyed "eaf:N", as a
// lead is. Stored so by the version before and met after the upgrade, a
// retry of the submission must still be a duplicate, and a lead that
// shares its id must not be one.
func TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	_, newest := db.Migrated()
	now := time.Now().UTC()
	var stored map[string]int64
	withIntake(db, func(in *postgres.Intake) { stored = storetest.StoreEAFKeysBeforeUpgrade(t, in, now) })
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// as before 0008, 0009 (reports made before their day was over),
	// 0010 (the dead letters by id), 0011 (unmappable leads dealt with),
	// 0012 (recipients refused for now) and 0013 (changed deliveries' events)
	if _, err := conn.Exec(ctx, `ALTER TABLE reports DROP COLUMN partial; DROP INDEX outbox_dead_id; DROP INDEX events_unmappable_waiting; ALTER TABLE events DROP COLUMN dealt_at;
		ALTER TABLE reports DROP COLUMN mail_waiting; ALTER TABLE quarantine DROP COLUMN changed_of;
		ALTER TABLE reports DROP COLUMN mail_refused, DROP COLUMN mail_refused_who, DROP COLUMN mail_held,
			DROP COLUMN mail_unattached;
		DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		DELETE FROM schema_version WHERE version >= 8`); err != nil {
		t.Fatal(err)
	}

	if db, err = postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if from, to := db.Migrated(); from != 7 || to != newest {
		t.Fatalf("migrated %d -> %d, want 7 -> %d", from, to, newest)
	}
	withIntake(db, func(in *postgres.Intake) { storetest.CheckEAFKeysAfterUpgrade(t, in, now, stored) })
	var key string
	if err := conn.QueryRow(ctx, `SELECT idem_key FROM events WHERE id = $1`, stored["eaf:604"]).Scan(&key); err != nil || key != "eaf.portal_submission:604" {
		t.Errorf("the submission of five days ago has key %q (%v)", key, err)
	}
}

// withIntake runs fn with db's intake running.
func withIntake(db *postgres.DB, fn func(*postgres.Intake)) {
	in := db.NewIntake(postgres.IntakeOptions{})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	defer func() { stop(); <-done }()
	fn(in)
}
