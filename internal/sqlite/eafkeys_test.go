package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys: before per-type keys, a
// portal_submission or feed_import with eaf_id N was keyed "eaf:N", as a
// lead is. Stored so by the version before, sealed into seen_keys, and met
// after the upgrade: a retry of the submission (the sender retries for
// about an hour) must still be a duplicate, and a lead that shares its id
// must not be one, however old the submission is within the window.
// Sealed, the old keys are read from seen_keys alone: the migration must
// take the mark back for the intake to read the new keys.
func TestUpgradeGivesStoredEAFEventsTheirPerTypeKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	raw := sqlitetest.AtSchema(t, path, 8) // as 0008 left it
	now := time.Now().UTC()
	stored := map[string]int64{}
	for _, e := range storetest.EAFKeysBeforeUpgrade(now) {
		at := fmtTime(e.ReceivedAt)
		res, err := raw.ExecContext(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at)
			VALUES ('eaf', 'eaf', ?, ?, ?, 'strict', ?, ?)`, e.Type, e.Key, e.Body, at, at)
		if err != nil {
			t.Fatal(err)
		}
		if stored[e.Key], err = res.LastInsertId(); err != nil {
			t.Fatal(err)
		}
		// sealed into seen_keys under the old key, every event up to it
		// sealed, for the duplicate window intake keeps
		if _, err := raw.ExecContext(ctx, `INSERT INTO seen_keys (hash, event_id, received) VALUES (?, ?, ?);
			INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?), (?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
			sealedHash(seenKeyOf("eaf", e.Key)), stored[e.Key], e.ReceivedAt.Unix(),
			sealedMark, markValue(stored[e.Key]), at, sealedWindow, markValue(int64(DefaultDedupWindow/time.Second)), at); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path, Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if from, to := db.Migrated(); from != 8 || to < 9 {
		t.Fatalf("migrated %d -> %d", from, to)
	}
	in, _ := runIntake(t, db, defaultSealEvery, nil)
	storetest.CheckEAFKeysAfterUpgrade(t, in, now, stored)
	if n := count(t, db, fmt.Sprintf(`SELECT count(*) FROM events WHERE id = %d AND idem_key = 'eaf.portal_submission:604'`, stored["eaf:604"])); n != 1 {
		t.Error("the submission of five days ago kept its old key")
	}
}
