package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeEAF stores an Estate Agent Feeds delivery of type typ under key, as
// received at.
func storeEAF(t *testing.T, in *Intake, typ, key string, at time.Time) syncd.Receipt {
	t.Helper()
	r, err := in.Store(context.Background(), syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: typ, Key: key,
		Body: []byte(fmt.Sprintf(`{"eaf_type":%q}`, typ)), Parse: syncd.ParseStrict, ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys: before per-type keys, a
// portal_submission or feed_import with eaf_id N was keyed "eaf:N", as a
// lead is. Stored so by the version before, sealed into seen_keys, and met
// after the upgrade: a retry of the submission (the sender retries for
// about an hour) must still be a duplicate, and a lead that shares its id
// must not be one, however old the submission is within the window.
func TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	in, stop := runIntake(t, db, 2, nil)
	sub := storeEAF(t, in, syncd.TypePortalSubmission, "eaf:603", now.Add(-time.Hour))
	imp := storeEAF(t, in, syncd.TypeFeedImport, "eaf:605", now.Add(-time.Hour))
	old := storeEAF(t, in, syncd.TypePortalSubmission, "eaf:604", now.Add(-5*24*time.Hour))
	lead := storeEAF(t, in, syncd.TypeEmailLead, "eaf:700", now.Add(-time.Hour))
	waitSealed(t, db, 4)
	stop()
	if _, err := db.w.ExecContext(ctx, `PRAGMA user_version = 8`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if db, err = Open(ctx, path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if from, to := db.Migrated(); from != 8 || to < 9 {
		t.Fatalf("migrated %d -> %d", from, to)
	}
	in, _ = runIntake(t, db, defaultSealEvery, nil)
	for _, c := range []struct {
		typ, key string
		dup      int64 // the event it is a duplicate of; 0: a new event
	}{
		{syncd.TypePortalSubmission, "eaf.portal_submission:603", sub.ID},
		{syncd.TypeFeedImport, "eaf.feed_import:605", imp.ID},
		{syncd.TypeEmailLead, "eaf:603", 0},
		{syncd.TypeEmailLead, "eaf:604", 0},
		{syncd.TypeEmailLead, "eaf:700", lead.ID},
	} {
		r := storeEAF(t, in, c.typ, c.key, now)
		switch {
		case c.dup != 0 && (r.Outcome != syncd.Duplicate || r.ID != c.dup):
			t.Errorf("%s %s after the upgrade: %+v, want a duplicate of %d", c.typ, c.key, r, c.dup)
		case c.dup == 0 && r.Outcome != syncd.Accepted:
			t.Errorf("%s %s after the upgrade: %+v, want a new event (it shares only an id with another type's)", c.typ, c.key, r)
		}
	}
	if n := count(t, db, fmt.Sprintf(`SELECT count(*) FROM events WHERE id = %d AND idem_key = 'eaf.portal_submission:604'`, old.ID)); n != 1 {
		t.Error("the submission of five days ago kept its old key")
	}
}
