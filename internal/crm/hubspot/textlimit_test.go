package hubspot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestLongTextIsCutToHubSpotsLimit: a lead whose message is longer than
// the 65,536 characters HubSpot holds (a whole mail thread quoted, say)
// was refused by HubSpot and dead-lettered: the lead never reached the
// CRM. The message is now cut to the limit, counted as HubSpot may count
// (UTF-16 units: an emoji is two), with a mark saying so; the lead goes
// in, and a warning names the lead and the property, not the text.
func TestLongTextIsCutToHubSpotsLimit(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Logger: zerolog.New(&logs)})
	cs, ds := hubspotLeads(3)
	long := strings.Repeat("Hej 😀 ", 20000) // 140,000 UTF-16 units
	cs[2].Properties["message"] = long
	cr, _ := deliver(t, a, cs, nil, 1)
	for i, r := range cr {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("contact %d: %+v", i, r)
		}
	}
	for i := range ds {
		ds[i].ContactID = cr[i].ID
	}
	ds[1].Properties["description"] = long
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("deal %d: %+v", i, r)
		}
	}
	var got string
	for _, d := range srv.State().Deals {
		if d.Properties["syncd_lead_id"] == ds[1].LeadID {
			got = d.Properties["description"]
		}
	}
	for _, c := range srv.State().Contacts {
		if n := len(utf16.Encode([]rune(c.Properties["message"]))); n > 65536 {
			t.Fatalf("contact's message: %d UTF-16 units", n)
		}
	}
	if n := len(utf16.Encode([]rune(got))); n > 65536 || n < 65000 || !strings.HasPrefix(long, strings.SplitN(got, " […]", 2)[0]) || !strings.Contains(got, "cut by syncd") {
		t.Fatalf("stored description: %d UTF-16 units, ends %q", n, got[max(len(got)-120, 0):])
	}
	if l := logs.String(); !strings.Contains(l, ds[1].LeadID) || !strings.Contains(l, `"description"`) || strings.Contains(l, "Hej") {
		t.Fatalf("log: %.500s", l)
	}
}
