package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// OldEAF is an Estate Agent Feeds event as syncd stored it before its
// keys were per type.
type OldEAF struct {
	Type, Key  string
	Body       []byte
	ReceivedAt time.Time
}

// EAFKeysBeforeUpgrade is what syncd stored before Estate Agent Feeds keys
// were per type: a portal_submission and a feed_import of an hour before
// now and a portal_submission of five days before, each keyed "eaf:<id>"
// as a lead is, and a lead. A test stores them in a database at that
// schema and gives their ids by key to CheckEAFKeysAfterUpgrade.
func EAFKeysBeforeUpgrade(now time.Time) []OldEAF {
	var out []OldEAF
	for _, d := range []struct {
		typ, key string
		at       time.Time
	}{
		{syncd.TypePortalSubmission, "eaf:603", now.Add(-time.Hour)},
		{syncd.TypeFeedImport, "eaf:605", now.Add(-time.Hour)},
		{syncd.TypePortalSubmission, "eaf:604", now.Add(-5 * 24 * time.Hour)},
		{syncd.TypeEmailLead, "eaf:700", now.Add(-time.Hour)},
	} {
		out = append(out, OldEAF{Type: d.typ, Key: d.key, Body: eafBody(d.typ), ReceivedAt: d.at})
	}
	return out
}

// CheckEAFKeysAfterUpgrade delivers through in, after the upgrade, a retry
// of each submission and import of EAFKeysBeforeUpgrade stored (with the
// key it has now: a duplicate), leads sharing the submissions' ids (new
// events, however old the submission is within the window) and the lead
// again (a duplicate).
func CheckEAFKeysAfterUpgrade(t *testing.T, in webhook.Store, now time.Time, stored map[string]int64) {
	t.Helper()
	for _, c := range []struct {
		typ, key string
		dup      int64 // the event it is a duplicate of; 0: a new event
	}{
		{syncd.TypePortalSubmission, "eaf.portal_submission:603", stored["eaf:603"]},
		{syncd.TypeFeedImport, "eaf.feed_import:605", stored["eaf:605"]},
		{syncd.TypeEmailLead, "eaf:603", 0},
		{syncd.TypeEmailLead, "eaf:604", 0},
		{syncd.TypeEmailLead, "eaf:700", stored["eaf:700"]},
	} {
		r := storeEAF(t, in, c.typ, c.key, now)
		switch {
		case c.dup != 0 && (r.Outcome != syncd.Duplicate || r.ID != c.dup):
			t.Errorf("%s %s after the upgrade: %+v, want a duplicate of %d", c.typ, c.key, r, c.dup)
		case c.dup == 0 && r.Outcome != syncd.Accepted:
			t.Errorf("%s %s after the upgrade: %+v, want a new event (it shares only an id with another type's)", c.typ, c.key, r)
		}
	}
}

// storeEAF stores an Estate Agent Feeds delivery of type typ under key, as
// received at.
func storeEAF(t *testing.T, in webhook.Store, typ, key string, at time.Time) syncd.Receipt {
	t.Helper()
	r, err := in.Store(context.Background(), syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: typ, Key: key,
		Body: eafBody(typ), Parse: syncd.ParseStrict, ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// eafBody is the body of an Estate Agent Feeds delivery of type typ.
func eafBody(typ string) []byte { return []byte(fmt.Sprintf(`{"eaf_type":%q}`, typ)) }
