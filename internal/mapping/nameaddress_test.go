package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestANameTypedWithItsAddressIsTheNameAlone: a client who typed "Kim
// Hansen <kim@x.dk>" into a form's name field, as a mail program shows a
// sender, got the contact's last name "Hansen <kim@x.dk>", and the deal
// (and Pipedrive's person) was named "… : Kim Hansen <kim@x.dk>" in the
// shipped mappings. The address is no part of the name: the contact has
// it as its email. What is left without it is the name; an address alone,
// in whatever brackets, is no name (the deal named after the email the
// contact gets).
func TestANameTypedWithItsAddressIsTheNameAlone(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lead map[string]any
	if err := json.Unmarshal(body, &lead); err != nil {
		t.Fatal(err)
	}
	rules := map[string]*Rules{}
	for _, target := range []string{"hubspot", "pipedrive"} {
		if rules[target], err = Load(filepath.Join(mappingsDir, target), target); err != nil {
			t.Fatal(err)
		}
	}
	const deal = "Rightmove enquiry 87654321: "
	for _, tc := range []struct{ name, first, last, shown string }{
		{"Kim Hansen <kim@x.dk>", "Kim", "Hansen", "Kim Hansen"},
		{"Kim Hansen<kim@x.dk>", "Kim", "Hansen", "Kim Hansen"},
		{"Kim Hansen (kim@x.dk)", "Kim", "Hansen", "Kim Hansen"},
		{"Kim Hansen, kim@x.dk", "Kim", "Hansen", "Kim Hansen"},
		{"Kim Hansen - mailto:kim@x.dk", "Kim", "Hansen", "Kim Hansen"},
		{"kim@x.dk / Kim Hansen", "Kim", "Hansen", "Kim Hansen"},
		{"Hansen, Kim <kim@x.dk>", "Kim", "Hansen", "Kim Hansen"}, // the person as firstName and lastName read it
		{"\"Kim Hansen\" <kim@x.dk>", "Kim", "Hansen", "Kim Hansen"},
		{"<kim@hotmail>", "", "", "kim@x.dk"}, // an address alone, even one no CRM takes
		// no address: as it was
		{"Kim @ Acme", "Kim", "@ Acme", "Kim @ Acme"},
		{"Kim Hansen", "Kim", "Hansen", "Kim Hansen"},
	} {
		lead["contact_name"], lead["contact_email"] = tc.name, "kim@x.dk"
		b, _ := json.Marshal(lead)
		ev := testEvent(syncd.KindEAF, "email_lead", "eaf:1", b)
		hub := rules["hubspot"].Map(ev)
		if len(hub.Ops) != 2 {
			t.Fatalf("HubSpot, %q: %s %s", tc.name, hub.State, hub.Reason)
		}
		if c, d := hub.Ops[0].Properties, hub.Ops[1].Properties; c["firstname"] != tc.first || c["lastname"] != tc.last || d["dealname"] != deal+tc.shown {
			t.Errorf("HubSpot, a lead named %q: firstname %q, lastname %q, deal %q; want %q, %q, %q",
				tc.name, c["firstname"], c["lastname"], d["dealname"], tc.first, tc.last, deal+tc.shown)
		}
		pd := rules["pipedrive"].Map(ev)
		if len(pd.Ops) != 2 {
			t.Fatalf("Pipedrive, %q: %s %s", tc.name, pd.State, pd.Reason)
		}
		if p, d := pd.Ops[0].Properties, pd.Ops[1].Properties; p["name"] != tc.shown || d["title"] != deal+tc.shown {
			t.Errorf("Pipedrive, a lead named %q: person %q, deal %q; want %q, %q", tc.name, p["name"], d["title"], tc.shown, deal+tc.shown)
		}
	}
}
