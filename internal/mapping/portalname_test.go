package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTheDealIsNamedAfterThePortalAsAgentsKnowIt: an EAF deal was named
// after the sender's code for the portal ("rightmove enquiry 87654321:
// …"), which agents scan in the CRM's pipeline beside the daily report's
// "Rightmove". Both CRMs' deal name starts with the portal's name as the
// report gives it (sender.Label, one list), whatever the code's case; a
// code syncd does not know with its first letter in upper case; a lead
// without email_source is the sender's, Estate Agent Feeds', as the
// report shows it.
func TestTheDealIsNamedAfterThePortalAsAgentsKnowIt(t *testing.T) {
	for source, want := range map[string]string{
		"rightmove":            "Rightmove",
		"zoopla":               "Zoopla",
		"onthemarket":          "OnTheMarket",
		"primelocation":        "PrimeLocation",
		"ZOOPLA":               "Zoopla",
		" Rightmove ":          "Rightmove",
		"rightmove_commercial": "Rightmove_commercial",
		"":                     "Estate Agent Feeds",
		"\u200b":               "Estate Agent Feeds",
	} {
		if l, ok := sender.Label(source); ok && l != want {
			t.Fatalf("the report names %q %q, the test %q", source, l, want)
		}
		for target, prop := range map[string]string{"hubspot": "dealname", "pipedrive": "title"} {
			r, err := Load(filepath.Join(mappingsDir, target), target)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "email_source": source,
				"contact_name": "Kim Hansen", "contact_email": "kim@x.dk", "eaf_reference": "87654321"})
			res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", b))
			if res.State != syncd.MapMapped || len(res.Ops) != 2 {
				t.Fatalf("%s, email_source %q: %+v", target, source, res)
			}
			if got, w := res.Ops[1].Properties[prop], want+" enquiry 87654321: Kim Hansen"; got != w {
				t.Errorf("%s, email_source %q: %s %q, want %q", target, source, prop, got, w)
			}
		}
	}
}
