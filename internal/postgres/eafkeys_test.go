package postgres_test

import (
	"context"
	"testing"
	"time"

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
	_, newest := upgraded(t, pgtest.DSN(t)).Migrated()
	dsn, conn := postgres.AtSchema(t, 7) // as 0007 left it
	now := time.Now().UTC()
	stored := map[string]int64{}
	for _, e := range storetest.EAFKeysBeforeUpgrade(now) {
		stored[e.Key] = oldEvent(t, conn, "eaf", "eaf", e.Type, e.Key, e.Body, e.ReceivedAt)
	}
	db := upgraded(t, dsn)
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
