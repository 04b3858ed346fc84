package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestContactDeletedInHubSpotIsSaidWhenMadeAgain: a contact syncd wrote
// (by email, and one by phone alone) that a salesperson deleted in HubSpot
// is made again at the person's next lead, as before, and the log now says
// so with the old contact's id (no email or phone): the new contact came
// without a word, the old id left on the person's earlier report rows.
func TestContactDeletedInHubSpotIsSaidWhenMadeAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []syncd.Contact{
		{Key: "per@hansen.dk", Email: "per@hansen.dk", Phone: "+4533445566",
			Properties: map[string]string{"email": "per@hansen.dk", "firstname": "Per", "company": "A"}},
		{Key: "+4533445566", Phone: "+4533445566", Properties: map[string]string{"firstname": "Per", "company": "A"}},
	} {
		var log logtest.Buffer
		links := &crm.MemLinks{}
		srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links, Logger: zerolog.New(&log).Level(zerolog.InfoLevel)})
		first := a.UpsertContacts(ctx, []syncd.Contact{c})[0]
		if first.Err != nil {
			t.Fatal(first.Err)
		}
		// The syncer links what it wrote (its outbox records the done op's CRM id).
		_ = links.SetLink(ctx, hubspot.Name, syncd.RecordContact, c.Key, first.ID)
		if err := srv.DeleteContact(first.ID); err != nil {
			t.Fatal(err)
		}
		c.Properties["company"] = "B"
		again := a.UpsertContacts(ctx, []syncd.Contact{c})[0]
		if again.Err != nil || again.ID == "" || again.ID == first.ID {
			t.Fatalf("%s: not made again: %+v", c.Key, again)
		}
		out := log.String()
		if !strings.Contains(out, `"contact_id":"`+first.ID+`"`) || !strings.Contains(out, "contact was deleted in HubSpot") {
			t.Errorf("%s: the log does not say the contact was deleted and made again:\n%s", c.Key, out)
		}
		if strings.Contains(out, "hansen.dk") || strings.Contains(out, "33445566") {
			t.Errorf("%s: the log names the person:\n%s", c.Key, out)
		}
	}
}
