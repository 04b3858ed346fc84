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
// reads as stored, and leaves the key (the lead id of its deal) and the
// body as they were; a type spelt otherwise ("email-lead") stays.
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
		if ev.Type != o.Want || ev.Key != o.Key || !bytes.Equal(ev.Body, o.Body) {
			t.Errorf("%s %q after the upgrade: type %q, key %s; want type %q, the key and body as stored (%s)",
				o.Kind, o.Type, ev.Type, ev.Key, o.Want, o.Key)
		}
	}
}
