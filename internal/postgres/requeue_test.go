package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestUpgradeMapsLeadsIgnoredForTheirTypesCase: an older syncd stored an
// EAF lead whose eaf_type the sender wrote "Email_Lead" as a type of its
// own, which no rule maps: ignored, "no rule for eaf Email_Lead", never
// sent to the CRM. Migration 0021 gave it its documented type, but the
// mapper maps pending events alone: the lead stayed out of the CRM until
// someone ran syncd replay. The upgrade (migration 0023) hands it back to
// the mapper, which makes its deal; not where the CRM may know the lead (a
// deal queued, a CRM link of its lead id) or the sender sent it again
// (another event holds its delivery id's key, or a twin spelt otherwise
// came first). From schema 20 (before 0021), 21 (0021 alone) and 22 (0022
// rekeyed them too); and beside 600 more such leads, which the upgrade
// looks up otherwise than a few hundred (storesql's heldKeys and
// knownLeads).
func TestUpgradeMapsLeadsIgnoredForTheirTypesCase(t *testing.T) {
	t.Parallel()
	for _, run := range []struct{ from, more int }{{20, 0}, {21, 0}, {22, 0}, {20, 600}} {
		from := run.from
		ctx := context.Background()
		dsn, conn := postgres.AtSchema(t, from)
		cases, other := storetest.LeadKeysBeforeUpgrade()
		now := time.Now()
		otherID := oldEvent(t, conn, "eaf", string(other.Kind), other.Type, other.Key, other.Body, now)
		if _, err := conn.Exec(ctx, `UPDATE events SET map_state = 'ignored', map_error = 'no rule for eaf email_lead' WHERE id = $1`,
			otherID); err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(cases))
		for i, c := range cases {
			typ, key := c.Type, c.Key
			if from >= 21 { // 0021 gave it its documented type already
				typ = sender.DocumentedType(c.Kind, c.Type)
			}
			if from >= 22 { // and 0022 its key
				key = c.Want
			}
			ids[i] = oldEvent(t, conn, "eaf", string(c.Kind), typ, key, c.Body, now)
			if _, err := conn.Exec(ctx, `UPDATE events SET map_state = $1, map_error = $2 WHERE id = $3`,
				c.MapState, "no rule for eaf "+c.Type, ids[i]); err != nil {
				t.Fatal(err)
			}
			if c.Deal {
				if _, err := conn.Exec(ctx, `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash,
					mapping_file, mapping_hash, next_attempt_at, created_at, updated_at)
					VALUES ($1, 'hubspot', 'deal', $2, '', '{}', 'h', 'eaf.yaml', 'h', now(), now(), now())`,
					ids[i], storetest.LeadKey(key)); err != nil {
					t.Fatal(err)
				}
			}
			if c.Linked {
				if _, err := conn.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
					VALUES ('hubspot', 'deal', $1, '77', now())`, storetest.LeadKey(key)); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range run.more {
			body := fmt.Sprintf(`{"eaf_type":"Email_Lead","eaf_id":"%d","contact_email":"more%d@example.com"}`, 5000+i, i)
			sum := sha256.Sum256([]byte(body))
			id := oldEvent(t, conn, "eaf", "eaf", "Email_Lead", "sha256:"+hex.EncodeToString(sum[:]), []byte(body), now)
			if _, err := conn.Exec(ctx, `UPDATE events SET map_state = 'ignored' WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
		db := upgraded(t, dsn)
		if f, _ := db.Migrated(); f != from {
			t.Fatalf("migrated from %d, want %d", f, from)
		}
		// counted, for the operator to be told (cmd/syncd's leadsNote)
		if got, want := db.LeadsUpgraded(), storetest.WantLeadsUpgraded(cases, from < 22, run.more); got != want {
			t.Errorf("from schema %d: LeadsUpgraded %+v, want %+v", from, got, want)
		}
		if from < 22 {
			storetest.CheckLeadKeysUpgraded(t, db, func(w time.Duration) storetest.Intake {
				return db.NewIntake(postgres.IntakeOptions{Window: w})
			}, cases, ids)
		}
		storetest.CheckIgnoredForTheirCaseMapped(t, db, "../../mappings/hubspot", cases, ids, otherID)
	}
}
