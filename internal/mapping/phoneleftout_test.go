package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAPhoneLeftOutIsSaid: a lead with an email whose phone phone() could
// not read reached the CRM without a phone, and no one was told: a
// Swedish client's "070 123 45 67" written without +46 to a Danish
// agency, or "ring efter kl 16" (call after 4 pm); nor of the numbers
// after the first of several ("12345678 / 87654321"). The event's reason
// (syncd events show, the day's report under Needs attention) names what
// was left out. A phone read whole, with an extension or a word after it,
// none given, or text without a digit ("n/a") is no note.
func TestAPhoneLeftOutIsSaid(t *testing.T) {
	for _, target := range []string{"hubspot", "pipedrive"} {
		r, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ phone, reason string }{
			{"070 123 45 67", `contact's phone "070 123 45 67" left out, not a number to call as written (too short, too long, or from abroad without its country code)`},
			{"0171 1234567", `contact's phone "0171 1234567" left out, not a number to call as written (too short, too long, or from abroad without its country code)`},
			{"1234", `contact's phone "1234" left out, not a number to call as written (too short, too long, or from abroad without its country code)`},
			{"ring efter kl 16", `contact's phone "ring efter kl 16" left out, not a phone number`},
			{"12345678 87654321", `contact's phone "12345678 87654321" left out, not a number to call as written (too short, too long, or from abroad without its country code)`},
			{"12345678 / 87654321", `contact's phone "12345678 / 87654321" holds more than one number: the contact's is +4512345678, and "87654321" is left out (add it in the CRM by hand)`},
			{"52 25 05 59 (mobil), 87 65 43 21 (arb.)", `contact's phone "52 25 05 59 (mobil), 87 65 43 21 (arb.)" holds more than one number: the contact's is +4552250559, and "87 65 43 21 (arb.)" is left out (add it in the CRM by hand)`},
			{"12345678 eller +46 70 123 45 67", `contact's phone "12345678 eller +46 70 123 45 67" holds more than one number: the contact's is +4512345678, and "+46 70 123 45 67" is left out (add it in the CRM by hand)`},
			{"12345678 lok. 12", ""},
			{"52 25 05 59 (mobil)", ""},
			{"+46 70 123 45 67", ""},
			{"12 34 56 78", ""},
			{"n/a", ""},
			{"", ""},
		} {
			body, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
				"location": map[string]any{"id": "1"}, "client": map[string]any{"email": "kim@x.dk", "name": "Kim Hansen", "phone": c.phone}}})
			res := r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", body))
			want := ""
			if c.reason != "" {
				want = `rule "lokalebasen-enquiry": ` + c.reason
			}
			if res.State != syncd.MapMapped || len(res.Ops) != 2 || res.Reason != want {
				t.Errorf("%s, phone %q: %s %q, want mapped %q", target, c.phone, res.State, res.Reason, want)
			}
		}
	}
}
