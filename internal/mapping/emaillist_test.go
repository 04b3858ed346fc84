package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTwoAddressesInTheEmailField: a client who typed two addresses into
// the form's one email field ("a@x.dk; b@y.dk") was a contact without an
// email: with no phone, the lead was unmappable, waiting for a person.
// The first address is the contact's (for HubSpot the first it takes),
// and the event's reason names the others, left out; a remark in
// brackets after one is a comment, as in a mail's address; what holds
// anything else is as before.
func TestTwoAddressesInTheEmailField(t *testing.T) {
	for _, c := range []struct {
		email, hubspot, pipedrive, reason string
	}{
		{"kim@x.dk; jo@y.dk", "kim@x.dk", "kim@x.dk",
			`contact's email "kim@x.dk; jo@y.dk" holds 2 addresses: the contact is kim@x.dk, and jo@y.dk is left out (add it in the CRM by hand)`},
		{"Kim@X.dk, jo@y.dk", "kim@x.dk", "kim@x.dk",
			`contact's email "kim@x.dk, jo@y.dk" holds 2 addresses: the contact is kim@x.dk, and jo@y.dk is left out (add it in the CRM by hand)`},
		{"kim@x.dk / jo@y.dk og@z.dk", "kim@x.dk", "kim@x.dk",
			`contact's email "kim@x.dk / jo@y.dk og@z.dk" holds 3 addresses: the contact is kim@x.dk, and jo@y.dk, og@z.dk are left out (add them in the CRM by hand)`},
		{"<kim@x.dk>; mailto:jo@y.dk", "kim@x.dk", "kim@x.dk",
			`contact's email "<kim@x.dk>; mailto:jo@y.dk" holds 2 addresses: the contact is kim@x.dk, and jo@y.dk is left out (add it in the CRM by hand)`},
		{"Kim Hansen <kim@x.dk>, Jo <jo@y.dk>", "kim@x.dk", "kim@x.dk",
			`contact's email "kim hansen <kim@x.dk>, jo <jo@y.dk>" holds 2 addresses: the contact is kim@x.dk, and jo@y.dk is left out (add it in the CRM by hand)`},
		{"kim@x.dk; KIM@X.DK", "kim@x.dk", "kim@x.dk", ""},
		{"kim@x.dk;", "kim@x.dk", "kim@x.dk", ""},
		{"kim@hotmail.con; jo@y.dk", "jo@y.dk", "kim@hotmail.con", "*"},
		{"kim@x.dk (arbejde)", "kim@x.dk", "kim@x.dk", ""}, // a comment, as mail has them
		{"kim@x.dk arbejde", "", "", `contact has no valid email ("kim@x.dk arbejde" is not one) and no phone`},
		{"kim@x.dk; nej tak", "", "", `contact has no valid email ("kim@x.dk; nej tak" is not one) and no phone`},
	} {
		for target, want := range map[string]string{"hubspot": c.hubspot, "pipedrive": c.pipedrive} {
			r, err := Load(filepath.Join(mappingsDir, target), target)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
				"location": map[string]any{"id": "1"}, "client": map[string]any{"email": c.email, "name": "Kim Hansen"}}})
			res := r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", body))
			if want == "" {
				if res.State != syncd.MapUnmappable || res.Reason != `rule "lokalebasen-enquiry": `+c.reason {
					t.Errorf("%s, %q: %s %q, want unmappable %q", target, c.email, res.State, res.Reason, c.reason)
				}
				continue
			}
			if res.State != syncd.MapMapped || len(res.Ops) != 2 {
				t.Errorf("%s, %q: %s %q, want mapped", target, c.email, res.State, res.Reason)
				continue
			}
			if res.Ops[0].Key != want || res.Ops[0].Properties["email"] != want || res.Ops[1].ContactKey != want {
				t.Errorf("%s, %q: contact %q (email %q), want %q", target, c.email, res.Ops[0].Key, res.Ops[0].Properties["email"], want)
			}
			switch {
			case c.reason == "*":
				if res.Reason == "" {
					t.Errorf("%s, %q: no reason names the address left out", target, c.email)
				}
			case c.reason == "" && res.Reason != "", c.reason != "" && res.Reason != `rule "lokalebasen-enquiry": `+c.reason:
				t.Errorf("%s, %q: reason %q, want %q", target, c.email, res.Reason, c.reason)
			}
		}
	}
}
