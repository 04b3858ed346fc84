package mapping

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReasonWithoutValuesLeavesOutEveryValue: the reasons the mapper
// stores with an event (its map_error) quote what the client typed: an
// email that is no address, the addresses and phone numbers of a field
// holding several, a date that does not read, a number no CRM holds, a
// sender's type. syncd events list printed them whole, though it prints no
// person's data. ReasonWithoutValues leaves each value out as "…", the
// rule's name and the words saying what was left out and why kept.
func TestReasonWithoutValuesLeavesOutEveryValue(t *testing.T) {
	lb := func(client map[string]any) syncd.Event {
		body, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
			"location": map[string]any{"id": "1"}, "client": client}})
		return testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", body)
	}
	eaf := func(fields map[string]any) syncd.Event {
		body, _ := json.Marshal(fields)
		return testEvent(syncd.KindEAF, "email_lead", "eaf:1", body)
	}
	for _, target := range []string{"hubspot", "pipedrive"} {
		r, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			ev     syncd.Event
			values []string // what the reason holds of the client's, lower case
			keep   string   // what it still says without them
		}{
			{"an email that is no address, a phone kept", lb(map[string]any{"email": "Zelda Canary at home", "phone": "61 99 88 77", "name": "Zelda Canary"}),
				[]string{"zelda canary at home"}, `rule "lokalebasen-enquiry": contact's email "…" left out, not an address; the contact goes by its phone`},
			{"two addresses", lb(map[string]any{"email": "zelda.canary@example.dk; canary.work@example.dk", "name": "Zelda Canary"}),
				[]string{"zelda.canary@example.dk", "canary.work@example.dk"}, `contact's email "…" holds 2 addresses: the contact is …, and … is left out (add it in the CRM by hand)`},
			{"three addresses", lb(map[string]any{"email": "zelda.canary@example.dk / canary.work@example.dk canary3@example.dk", "name": "Zelda Canary"}),
				[]string{"zelda.canary@example.dk", "canary.work@example.dk", "canary3@example.dk"}, `the contact is …, and … are left out (add them`},
			{"two phones", lb(map[string]any{"email": "zelda.canary@example.dk", "phone": "61 99 88 77 (mobil), 87 65 43 21 (arb.)"}),
				[]string{"61 99 88 77", "+4561998877", "87 65 43 21"}, `contact's phone "…" holds more than one number: the contact's is …, and "…" is left out`},
			{"a phone that is a note", lb(map[string]any{"email": "zelda.canary@example.dk", "phone": "ring til Zelda efter kl 16"}),
				[]string{"ring til zelda"}, `contact's phone "…" left out, not a phone number`},
			{"neither email nor phone", lb(map[string]any{"email": "zelda canary", "phone": "ring til Zelda"}),
				[]string{"zelda canary", "ring til zelda"}, `contact has no valid email ("…" is not one), and the phone given ("…") is not a phone number`},
			{"a date that does not read", eaf(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "contact_email": "zelda.canary@example.dk",
				"email_date_time": "Zelda Canary 61998877"}), []string{"zelda canary 61998877"}, `left out: cannot read "…" as a date`},
			{"a phone sent as a number no CRM holds", lb(map[string]any{"email": "zelda.canary@example.dk", "phone": json.RawMessage("-61998877e999999999")}),
				[]string{"61998877"}, `the sender's number … in payload.client.phone is beyond any number a CRM holds`},
			{"an address as the type", testEvent(syncd.KindEAF, "zelda.canary@example.dk", "eaf:2", []byte(`{"eaf_type":"zelda.canary@example.dk"}`)),
				[]string{"zelda.canary@example.dk"}, `no rule for eaf "…"`},
		} {
			res := r.Map(c.ev)
			reason := strings.ToLower(res.Reason)
			for _, v := range c.values {
				if !strings.Contains(reason, v) {
					t.Fatalf("%s, %s: the reason %q does not hold %q: nothing to leave out", target, c.name, res.Reason, v)
				}
			}
			got := ReasonWithoutValues(res.Reason)
			for _, v := range c.values {
				if strings.Contains(strings.ToLower(got), v) {
					t.Errorf("%s, %s: %q still holds %q", target, c.name, got, v)
				}
			}
			if !strings.Contains(got, c.keep) {
				t.Errorf("%s, %s: %q, want it to say %q", target, c.name, got, c.keep)
			}
		}
	}
}

// TestReasonWithoutValuesKeepsTheRulesNames: the rules' names quoted in a
// reason are the operator's, no lead's, and a quote that starts no quoted
// text is left as it is.
func TestReasonWithoutValuesKeepsTheRulesNames(t *testing.T) {
	for in, want := range map[string]string{
		`rule "eaf-email-lead": syncd_enquiry_at left out: cannot read "x y" as a date`: `rule "eaf-email-lead": syncd_enquiry_at left out: cannot read "…" as a date`,
		`no rule's when: holds for it (rules "a" at m.yaml:3, "b" at m.yaml:9)`:         `no rule's when: holds for it (rules "a" at m.yaml:3, "b" at m.yaml:9)`,
		`a 5" screen`:               `a 5" screen`,
		`payload is not valid JSON`: `payload is not valid JSON`,
	} {
		if got := ReasonWithoutValues(in); got != want {
			t.Errorf("ReasonWithoutValues(%q) = %q, want %q", in, got, want)
		}
	}
}
