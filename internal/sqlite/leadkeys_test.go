package sqlite_test

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeKeysOddLeadsByTheirDeliveryID: an older syncd keyed an EAF
// lead whose eaf_type the sender wrote "Email_Lead" by its body's hash;
// intake keys it "eaf:<eaf_id>" since, so the sender sending that lead
// again after the upgrade was a second lead, and a second deal. The
// upgrade (migration 0020, after 0019 gave it its documented type) gives
// it that key, so the lead sent again is a duplicate of it (the intake
// reads the window's keys again, its mark dropped); a lead the CRM
// may know under its old key (mapped, a deal queued, a CRM link) keeps
// it, as does one whose new key another event holds or another such
// event would take.
func TestUpgradeKeysOddLeadsByTheirDeliveryID(t *testing.T) {
	for _, from := range []int{18, 19} { // before 0019, and after it alone
		path, raw := oldSchema(t, from)
		cases, other := storetest.LeadKeysBeforeUpgrade()
		oldEvent(t, raw, "eaf", other.Kind, other.Type, other.Key, string(other.Body))
		ids := make([]int64, len(cases))
		for i, c := range cases {
			typ := c.Type
			if from >= 19 { // 0019 gave it its documented type already
				typ = sender.DocumentedType(c.Kind, c.Type)
			}
			ids[i] = oldEvent(t, raw, "eaf", c.Kind, typ, c.Key, string(c.Body))
			if _, err := raw.Exec(`UPDATE events SET map_state = ? WHERE id = ?`, c.MapState, ids[i]); err != nil {
				t.Fatal(err)
			}
			if c.Deal {
				oldOps(t, raw, []syncd.Op{{EventID: ids[i], Target: "hubspot", Kind: syncd.RecordDeal,
					Key: storetest.LeadKey(c.Key), MappingFile: "eaf.yaml", MappingHash: "h"}})
			}
			if c.Linked {
				if _, err := raw.Exec(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES ('hubspot', 'deal', ?, '77', ?)`,
					storetest.LeadKey(c.Key), oldAt); err != nil {
					t.Fatal(err)
				}
			}
		}
		// the intake of that syncd sealed every key, its window longer than the test's (seen_keys.go)
		if _, err := raw.Exec(`INSERT INTO state (name, value, updated_at) SELECT 'seen_keys.through', CAST(max(id) AS TEXT), ?1
			FROM events UNION ALL SELECT 'seen_keys.window', '31536000', ?1`, oldAt); err != nil {
			t.Fatal(err)
		}
		db := upgraded(t, path, raw)
		if _, to := db.Migrated(); to < 20 {
			t.Fatalf("migrated to %d, want 20 or later", to)
		}
		storetest.CheckLeadKeysUpgraded(t, db, func(w time.Duration) storetest.Intake {
			return db.NewIntake(sqlite.IntakeOptions{Window: w})
		}, cases, ids)
	}
}
