package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAnInvisibleNameNamesTheDealAfterTheEmail: a name field holding only
// an invisible character (a zero-width space pasted from a web page, a
// byte order mark) named the deal "rightmove enquiry 87654321:" in both
// CRMs, since default() took it for a name and the character is sent
// without. default() and joinNonEmpty() take it for empty, as they do
// white space: the deal is named after the client's email.
func TestAnInvisibleNameNamesTheDealAfterTheEmail(t *testing.T) {
	for target, prop := range map[string]string{"hubspot": "dealname", "pipedrive": "title"} {
		r, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"\u200b", "\ufeff", " \u2060 ", "\u202a\u202c"} {
			eaf, _ := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "email_source": "rightmove",
				"contact_name": name, "contact_email": "kim@x.dk", "eaf_reference": "87654321"})
			lb, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
				"location": map[string]any{"id": "1", "external_key": "K1"}, "client": map[string]any{"email": "kim@x.dk", "name": name}}})
			for _, c := range []struct {
				ev   syncd.Event
				want string
			}{
				{testEvent(syncd.KindEAF, "email_lead", "eaf:1", eaf), "Rightmove enquiry 87654321: kim@x.dk"},
				{testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", lb), "Lokalebasen K1: kim@x.dk"},
			} {
				res := r.Map(c.ev)
				if res.State != syncd.MapMapped || len(res.Ops) != 2 {
					t.Fatalf("%s, name %q: %+v", target, name, res)
				}
				if got := res.Ops[1].Properties[prop]; got != c.want {
					t.Errorf("%s, %s, name %q: %s %q, want %q", target, c.ev.Kind, name, prop, got, c.want)
				}
			}
		}
	}
}
