package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeRecordsWhichBodiesAreChangedDeliveries: the bodies kept in
// the quarantine before migration 0013 get their answer from their reason
// (the SQLite store's test of the same name): a changed delivery of event
// N its N, a body that did not read 0.
func TestUpgradeRecordsWhichBodiesAreChangedDeliveries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, conn := postgres.AtSchema(t, 12) // as a syncd before 0013 left it
	lead := func(id, phone string) []byte {
		return []byte(`{"eaf_type":"email_lead","eaf_id":"` + id + `","contact_phone":"` + phone + `"}`)
	}
	keep := func(body []byte, reason string) int64 {
		t.Helper()
		var id int64
		if err := conn.QueryRow(ctx, `INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at)
			VALUES ('eaf', 'eaf', $1, $2, $3, now(), now()) RETURNING id`, body, sender.QuarantineKey(body), reason).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := oldEvent(t, conn, "eaf", "eaf", "email_lead", "eaf:31", lead("31", "+44 20 1"), time.Now())
	changed := keep(lead("31", "+44 20 2"), sender.ChangedReason(syncd.KindEAF, first))
	unread := keep(lead("32", "+44 20 3"), "not_utf8")
	db := upgraded(t, dsn)
	for id, want := range map[int64]int64{changed: first, unread: 0} {
		if got, err := db.QuarantinedBody(ctx, id); err != nil || got.ChangedOf != want {
			t.Fatalf("quarantined body %d after the upgrade: ChangedOf %d, %v; want %d (%s)", id, got.ChangedOf, err, want, got.Reason)
		}
	}
}
