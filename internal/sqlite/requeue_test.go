package sqlite_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeMapsLeadsIgnoredForTheirTypesCase: an older syncd stored an
// EAF lead whose eaf_type the sender wrote "Email_Lead" as a type of its
// own, which no rule maps: ignored, "no rule for eaf Email_Lead", never
// sent to the CRM (syncd at e11a13ee^, schema 18, did so). Migration 0019
// gave it its documented type, but the mapper maps pending events alone:
// the lead stayed out of the CRM until someone ran syncd replay. The
// upgrade (migration 0021) hands it back to the mapper, which makes its
// deal; not where the CRM may know the lead (a deal queued, a CRM link of
// its lead id) or the sender sent it again (another event holds its
// delivery id's key, or a twin spelt otherwise came first). From schema 18
// (before 0019), 19 (0019 alone) and 20 (0020 rekeyed them too); and
// beside 600 more such leads, which the upgrade looks up otherwise than a
// few hundred (storesql's heldKeys and knownLeads).
func TestUpgradeMapsLeadsIgnoredForTheirTypesCase(t *testing.T) {
	for _, run := range []struct{ from, more int }{{18, 0}, {19, 0}, {20, 0}, {18, 600}} {
		from := run.from
		path, raw := oldSchema(t, from)
		cases, other := storetest.LeadKeysBeforeUpgrade()
		otherID := oldEvent(t, raw, "eaf", other.Kind, other.Type, other.Key, string(other.Body))
		if _, err := raw.Exec(`UPDATE events SET map_state = 'ignored', map_error = 'no rule for eaf email_lead' WHERE id = ?`, otherID); err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(cases))
		for i, c := range cases {
			typ, key := c.Type, c.Key
			if from >= 19 { // 0019 gave it its documented type already
				typ = sender.DocumentedType(c.Kind, c.Type)
			}
			if from >= 20 { // and 0020 its key
				key = c.Want
			}
			ids[i] = oldEvent(t, raw, "eaf", c.Kind, typ, key, string(c.Body))
			if _, err := raw.Exec(`UPDATE events SET map_state = ?, map_error = ? WHERE id = ?`,
				c.MapState, "no rule for eaf "+c.Type, ids[i]); err != nil {
				t.Fatal(err)
			}
			if c.Deal {
				oldOps(t, raw, []syncd.Op{{EventID: ids[i], Target: "hubspot", Kind: syncd.RecordDeal,
					Key: storetest.LeadKey(key), Properties: map[string]string{}, MappingFile: "eaf.yaml", MappingHash: "h"}})
			}
			if c.Linked {
				if _, err := raw.Exec(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES ('hubspot', 'deal', ?, '77', ?)`,
					storetest.LeadKey(key), oldAt); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range run.more {
			body := fmt.Sprintf(`{"eaf_type":"Email_Lead","eaf_id":"%d","contact_email":"more%d@example.com"}`, 5000+i, i)
			sum := sha256.Sum256([]byte(body))
			id := oldEvent(t, raw, "eaf", syncd.KindEAF, "Email_Lead", "sha256:"+hex.EncodeToString(sum[:]), body)
			if _, err := raw.Exec(`UPDATE events SET map_state = 'ignored' WHERE id = ?`, id); err != nil {
				t.Fatal(err)
			}
		}
		db := upgraded(t, path, raw)
		if f, _ := db.Migrated(); f != from {
			t.Fatalf("migrated from %d, want %d", f, from)
		}
		// counted, for the operator to be told (cmd/syncd's leadsNote)
		if got, want := db.LeadsUpgraded(), storetest.WantLeadsUpgraded(cases, from < 20, run.more); got != want {
			t.Errorf("from schema %d: LeadsUpgraded %+v, want %+v", from, got, want)
		}
		if from < 20 {
			storetest.CheckLeadKeysUpgraded(t, db, func(w time.Duration) storetest.Intake {
				return db.NewIntake(sqlite.IntakeOptions{Window: w})
			}, cases, ids)
		}
		storetest.CheckIgnoredForTheirCaseMapped(t, db, "../../mappings/hubspot", cases, ids, otherID)
	}
}
