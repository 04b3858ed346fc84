package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// TestLeadsNoteCountsOnly: what the upgrade says of the leads it keyed by
// their delivery id and handed to the mapper, one or several, as the
// daemon (which maps them now) or a command (syncd serve will) says it;
// and nothing when it did neither, as for a database with no such lead.
func TestLeadsNoteCountsOnly(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		leads   storesql.LeadsUpgraded
		serving bool
		want    string
	}{
		{storesql.LeadsUpgraded{}, true, ""},
		{storesql.LeadsUpgraded{Rekeyed: 1}, true, "; 1 lead keyed by its delivery id (eaf:<eaf_id>), which an older syncd " +
			"keyed by its body's hash: the sender sending it again is the same lead, not a second deal"},
		{storesql.LeadsUpgraded{Requeued: 1}, true, "; 1 lead an older syncd ignored for its type's spelling (Email_Lead " +
			"for email_lead) is handed to the mapper, which maps it now with the rules in use (a deal made where a rule maps it)"},
		{storesql.LeadsUpgraded{Requeued: 1}, false, "; 1 lead an older syncd ignored for its type's spelling (Email_Lead " +
			"for email_lead) is handed to the mapper: syncd serve maps it with the rules in use as it starts (a deal made " +
			"where a rule maps it)"},
		{storesql.LeadsUpgraded{Rekeyed: 2, Requeued: 3}, true, "; 2 leads keyed by their delivery id (eaf:<eaf_id>), which " +
			"an older syncd keyed by their body's hash: the sender sending one again is the same lead, not a second deal; " +
			"3 leads an older syncd ignored for their type's spelling (Email_Lead for email_lead) are handed to the mapper, " +
			"which maps them now with the rules in use (deals made where a rule maps them)"},
	} {
		if got := leadsNote(c.leads, c.serving); got != c.want {
			t.Errorf("leadsNote(%+v, serving %v):\n%q\nwant\n%q", c.leads, c.serving, got, c.want)
		}
	}
}
