package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/storetest"
)

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
	stored := storetest.StoreEAFKeysBeforeUpgrade(t, in, now)
	waitSealed(t, db, len(stored))
	stop()
	// as before 0009, 0010 (reports made before their day was over),
	// 0011 (unmappable leads dealt with), 0012 (recipients refused for now)
	// and 0015 (the mail note)
	if _, err := db.w.ExecContext(ctx, `DROP INDEX events_unmappable_waiting; ALTER TABLE events DROP COLUMN dealt_at;
		ALTER TABLE reports DROP COLUMN partial; ALTER TABLE reports DROP COLUMN mail_waiting;
		ALTER TABLE quarantine DROP COLUMN changed_of;
		ALTER TABLE reports DROP COLUMN mail_refused; ALTER TABLE reports DROP COLUMN mail_refused_who;
		ALTER TABLE reports DROP COLUMN mail_held; ALTER TABLE reports DROP COLUMN mail_unattached;
		DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		PRAGMA user_version = 8`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if db, err = Open(ctx, path, Options{ContactKey: mapping.EmailKey}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if from, to := db.Migrated(); from != 8 || to < 9 {
		t.Fatalf("migrated %d -> %d", from, to)
	}
	in, _ = runIntake(t, db, defaultSealEvery, nil)
	storetest.CheckEAFKeysAfterUpgrade(t, in, now, stored)
	if n := count(t, db, fmt.Sprintf(`SELECT count(*) FROM events WHERE id = %d AND idem_key = 'eaf.portal_submission:604'`, stored["eaf:604"])); n != 1 {
		t.Error("the submission of five days ago kept its old key")
	}
}
