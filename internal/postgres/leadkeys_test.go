package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeKeysOddLeadsByTheirDeliveryID: an older syncd keyed an EAF
// lead whose eaf_type the sender wrote "Email_Lead" by its body's hash;
// intake keys it "eaf:<eaf_id>" since, so the sender sending that lead
// again after the upgrade was a second lead, and a second deal. The
// upgrade (migration 0022, after 0021 gave it its documented type) gives
// it that key, in intake_keys too, so the lead sent again is a duplicate of
// it; a lead the CRM may know under its old key (mapped, a deal queued, a
// CRM link) keeps it, as does one whose new key another event holds or
// another such event would take. A retry with the old key, which an
// instance still on the older syncd gives it, is a duplicate of it still.
func TestUpgradeKeysOddLeadsByTheirDeliveryID(t *testing.T) {
	t.Parallel()
	_, newest := upgraded(t, pgtest.DSN(t)).Migrated()
	for _, from := range []int{20, 21} { // before 0021, and after it alone
		ctx := context.Background()
		dsn, conn := postgres.AtSchema(t, from)
		cases, other := storetest.LeadKeysBeforeUpgrade()
		now := time.Now()
		oldEvent(t, conn, "eaf", string(other.Kind), other.Type, other.Key, other.Body, now)
		ids := make([]int64, len(cases))
		for i, c := range cases {
			typ := c.Type
			if from >= 21 { // 0021 gave it its documented type already
				typ = sender.DocumentedType(c.Kind, c.Type)
			}
			ids[i] = oldEvent(t, conn, "eaf", string(c.Kind), typ, c.Key, c.Body, now)
			if _, err := conn.Exec(ctx, `UPDATE events SET map_state = $1 WHERE id = $2`, c.MapState, ids[i]); err != nil {
				t.Fatal(err)
			}
			if c.Deal {
				if _, err := conn.Exec(ctx, `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash,
					mapping_file, mapping_hash, next_attempt_at, created_at, updated_at)
					VALUES ($1, 'hubspot', 'deal', $2, '', '{}', 'h', 'eaf.yaml', 'h', now(), now(), now())`,
					ids[i], storetest.LeadKey(c.Key)); err != nil {
					t.Fatal(err)
				}
			}
			if c.Linked {
				if _, err := conn.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
					VALUES ('hubspot', 'deal', $1, '77', now())`, storetest.LeadKey(c.Key)); err != nil {
					t.Fatal(err)
				}
			}
		}
		db := upgraded(t, dsn)
		if f, to := db.Migrated(); f != from || to != newest {
			t.Fatalf("migrated %d -> %d, want %d -> %d", f, to, from, newest)
		}
		newIntake := func(w time.Duration) storetest.Intake { return db.NewIntake(postgres.IntakeOptions{Window: w}) }
		storetest.CheckLeadKeysUpgraded(t, db, newIntake, cases, ids)

		// a retry of the first as it came, which an instance still on the
		// older syncd keys by its body's hash
		in := newIntake(14 * 24 * time.Hour)
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { in.Run(rctx); close(done) }()
		c := cases[0]
		rec, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: c.Kind, Type: c.Type, Key: c.Key, Body: c.Body,
			Parse: syncd.ParseStrict, RemoteAddr: "192.0.2.3", ReceivedAt: time.Now()})
		cancel()
		<-done
		if err != nil || rec.Outcome != syncd.Duplicate || rec.ID != ids[0] {
			t.Errorf("%s retried with its old key %s by an older instance after the upgrade: %+v, %v; want a duplicate of event %d",
				c.Name, c.Key, rec, err, ids[0])
		}
	}
}
