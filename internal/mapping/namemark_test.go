package mapping

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestANamesDirectionalMarksAreNotSentWithIt: a name copied from a
// right-to-left page carries an invisible mark ("\u200fمحمد علي"), which
// the CRM's first name then started with, and which its search and sort
// take for a character; so did a soft hyphen from a word processor, or a
// left-to-right mark after a Latin name. The contact's names, Pipedrive's
// person and both CRMs' deal name are the name without them, as its email
// and phone already were.
func TestANamesDirectionalMarksAreNotSentWithIt(t *testing.T) {
	const marks = "\u200e\u200f\u061c\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
	cases := []struct{ name, first, last, whole string }{
		{"\u200fمحمد علي", "محمد", "علي", "محمد علي"},
		{"\u061cمحمد علي\u200f", "محمد", "علي", "محمد علي"},
		{"Kim Hansen\u200e", "Kim", "Hansen", "Kim Hansen"},
		{"\u200eKim \u200eHansen", "Kim", "Hansen", "Kim Hansen"},
		{"Kim Ørsted\u00adHansen", "Kim", "ØrstedHansen", "Kim ØrstedHansen"},
		{"\u2067\u200fمحمد علي\u2069", "محمد", "علي", "محمد علي"},
	}
	for _, target := range []string{"hubspot", "pipedrive"} {
		r, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			eaf, _ := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "email_source": "rightmove",
				"contact_name": c.name, "contact_email": "\u200fmo@x.dk\u00ad", "contact_phone": "\u202a+44 20 3870 4550\u202c",
				"eaf_reference": "87654321"})
			lb, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
				"location": map[string]any{"id": "1", "external_key": "K1"},
				"client":   map[string]any{"email": "\u200fmo@x.dk\u00ad", "phone": "\u202a52 25 05 59\u202c", "name": c.name}}})
			for _, ev := range []syncd.Event{
				testEvent(syncd.KindEAF, "email_lead", "eaf:1", eaf),
				testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", lb),
			} {
				res := r.Map(ev)
				if res.State != syncd.MapMapped || len(res.Ops) != 2 {
					t.Fatalf("%s, name %q: %+v", target, c.name, res)
				}
				contact, deal := res.Ops[0].Properties, res.Ops[1].Properties
				want := map[string]string{"email": "mo@x.dk"}
				if target == "hubspot" {
					want["firstname"], want["lastname"] = c.first, c.last
				} else {
					want["name"] = c.whole
				}
				for k, w := range want {
					if got := contact[k]; got != w {
						t.Errorf("%s, %s, name %q: contact's %s %q, want %q", target, ev.Kind, c.name, k, got, w)
					}
				}
				if got := contact["phone"]; strings.ContainsAny(got, marks) || got == "" {
					t.Errorf("%s, %s: contact's phone %q", target, ev.Kind, got)
				}
				prop := map[string]string{"hubspot": "dealname", "pipedrive": "title"}[target]
				if got := deal[prop]; !strings.HasSuffix(got, ": "+c.whole) || strings.ContainsAny(got, marks) {
					t.Errorf("%s, %s, name %q: deal's %s %q, want it to end in %q", target, ev.Kind, c.name, prop, got, ": "+c.whole)
				}
			}
		}
	}
}
