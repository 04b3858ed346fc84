package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys: before per-type keys, a
// portal_submission or feed_import with eaf_id N was keyed "eaf:N", as a
// lead is. Stored so by the version before and met after the upgrade, a
// retry of the submission must still be a duplicate, and a lead that
// shares its id must not be one.
func TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, newest := db.Migrated()
	now := time.Now().UTC()
	stored := map[string]int64{}
	withIntake(t, db, func(in *postgres.Intake) {
		for _, d := range []struct {
			typ, key string
			at       time.Time
		}{
			{syncd.TypePortalSubmission, "eaf:603", now.Add(-time.Hour)},
			{syncd.TypeFeedImport, "eaf:605", now.Add(-time.Hour)},
			{syncd.TypePortalSubmission, "eaf:604", now.Add(-5 * 24 * time.Hour)},
			{syncd.TypeEmailLead, "eaf:700", now.Add(-time.Hour)},
		} {
			stored[d.key] = storeEAF(t, in, d.typ, d.key, d.at).ID
		}
	})
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DELETE FROM schema_version WHERE version >= 8`); err != nil {
		t.Fatal(err)
	}

	if db, err = postgres.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if from, to := db.Migrated(); from != 7 || to != newest {
		t.Fatalf("migrated %d -> %d, want 7 -> %d", from, to, newest)
	}
	withIntake(t, db, func(in *postgres.Intake) {
		for _, c := range []struct {
			typ, key string
			dup      int64 // the event it is a duplicate of; 0: a new event
		}{
			{syncd.TypePortalSubmission, "eaf.portal_submission:603", stored["eaf:603"]},
			{syncd.TypeFeedImport, "eaf.feed_import:605", stored["eaf:605"]},
			{syncd.TypeEmailLead, "eaf:603", 0},
			{syncd.TypeEmailLead, "eaf:604", 0},
			{syncd.TypeEmailLead, "eaf:700", stored["eaf:700"]},
		} {
			r := storeEAF(t, in, c.typ, c.key, now)
			switch {
			case c.dup != 0 && (r.Outcome != syncd.Duplicate || r.ID != c.dup):
				t.Errorf("%s %s after the upgrade: %+v, want a duplicate of %d", c.typ, c.key, r, c.dup)
			case c.dup == 0 && r.Outcome != syncd.Accepted:
				t.Errorf("%s %s after the upgrade: %+v, want a new event (it shares only an id with another type's)", c.typ, c.key, r)
			}
		}
	})
	var key string
	if err := conn.QueryRow(ctx, `SELECT idem_key FROM events WHERE id = $1`, stored["eaf:604"]).Scan(&key); err != nil || key != "eaf.portal_submission:604" {
		t.Errorf("the submission of five days ago has key %q (%v)", key, err)
	}
}

// withIntake runs fn with db's intake running.
func withIntake(t *testing.T, db *postgres.DB, fn func(*postgres.Intake)) {
	in := db.NewIntake(postgres.IntakeOptions{})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	defer func() { stop(); <-done }()
	fn(in)
}

// storeEAF stores an Estate Agent Feeds delivery of type typ under key, as
// received at.
func storeEAF(t *testing.T, in *postgres.Intake, typ, key string, at time.Time) syncd.Receipt {
	t.Helper()
	r, err := in.Store(context.Background(), syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: typ, Key: key,
		Body: []byte(fmt.Sprintf(`{"eaf_type":%q}`, typ)), Parse: syncd.ParseStrict, ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
