package postgres_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestUpgradeGivesStoredEventsTheirDocumentedType: an older syncd stored a
// documented type written in another case or with white space around it
// as it came ("Email_Lead", "Enquiry_Created "), keyed by the body's hash;
// the report read it in SQL as the documented one. The upgrade (migration
// 0021) rewrites such a type to the documented one, which everything then
// reads as stored, and leaves the body as it was; the key of one whose
// documented type was written otherwise becomes the one intake gives it now
// (the next migration: TestUpgradeKeysOddLeadsByTheirDeliveryID); a type
// spelt otherwise ("email-lead") stays, and so does its key.
func TestUpgradeGivesStoredEventsTheirDocumentedType(t *testing.T) {
	t.Parallel()
	_, newest := upgraded(t, pgtest.DSN(t)).Migrated()
	dsn, conn := postgres.AtSchema(t, 20) // as 0020 left it
	old := storetest.TypesBeforeUpgrade()
	ids := make([]int64, len(old))
	for i, o := range old {
		ids[i] = oldEvent(t, conn, o.Source, string(o.Kind), o.Type, o.Key, o.Body, time.Now())
	}
	db := upgraded(t, dsn)
	if from, to := db.Migrated(); from != 20 || to != newest {
		t.Fatalf("migrated %d -> %d, want 20 -> %d", from, to, newest)
	}
	for i, o := range old {
		ev, err := db.Event(context.Background(), ids[i])
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type != o.Want || ev.Key != o.WantKey || !bytes.Equal(ev.Body, o.Body) {
			t.Errorf("%s %q after the upgrade: type %q, key %s; want type %q, key %s and the body as stored",
				o.Kind, o.Type, ev.Type, ev.Key, o.Want, o.WantKey)
		}
	}
}
