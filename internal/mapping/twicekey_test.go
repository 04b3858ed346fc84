package mapping

import (
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestKeyGivenTwiceLastCopyEverywhere: a body giving a member twice (RFC
// 8259 leaves its meaning open) reaches the CRM and the report with the
// same copy, the last, as encoding/json and JSON.parse read it: the
// mapping's paths, its expressions and the report's lead columns once took
// the first copy, the last or the first that was not empty.
func TestKeyGivenTwiceLastCopyEverywhere(t *testing.T) {
	bodies := map[syncd.Kind]string{
		syncd.KindLokalebasen: `{"event_type":"enquiry_created","payload":{"location":{"id":"1","external_key":"K-1"},"enquiry":{"type":"client"},
			"client":{"email":"first@example.com","name":"Alice Able","email":"last@example.com","name":"Bob Baker"}}}`,
		syncd.KindEAF: `{"eaf_type":"email_lead","eaf_id":"7","email_source":"rightmove","contact_email":"first@example.com",
			"contact_name":"Alice Able","contact_email":"last@example.com","contact_name":"Bob Baker","eaf_reference":"R1"}`,
	}
	for _, target := range targets {
		rules, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		for kind, body := range bodies {
			ev, err := EventFromBody(kind, string(kind), "", []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			res := rules.Map(ev)
			if res.State != syncd.MapMapped {
				t.Fatalf("%s %s: %s %s", target, kind, res.State, res.Reason)
			}
			for _, op := range res.Ops {
				for name, v := range op.Properties {
					if v == "first@example.com" || v == "Alice" || v == "Alice Able" || v == "Able" {
						t.Errorf("%s %s: %s %s = %q, from the first copy", target, kind, op.Kind, name, v)
					}
				}
			}
			if lead := sender.For(kind).Lead(ev.Payload); lead.Email != "last@example.com" || lead.Name != "Bob Baker" {
				t.Errorf("%s %s: the report shows %q <%s>, not the last copy", target, kind, lead.Name, lead.Email)
			}
		}
	}
}
