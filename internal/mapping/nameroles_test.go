package mapping

import (
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAJobTitleOrAnAttentionWordIsNoPartOfTheName: a client's job title
// after a comma ("Søren Ærø, direktør") was read as "last name, first
// name", HubSpot's contact getting the first name "direktør"; "Att.: Søren
// Ærø" gave the first name "Att.:", and "Ærø Ejendomme ApS v/ Søren Ærø" (a
// company, by its person) the last name "Ejendomme ApS v/ Søren Ærø". The
// English forms were read alike. The name is the person's, in both
// languages, through the shipped mapping.
func TestAJobTitleOrAnAttentionWordIsNoPartOfTheName(t *testing.T) {
	rules, err := Load(filepath.Join(mappingsDir, "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][2]string{
		"Søren Ærø, direktør":               {"Søren", "Ærø"},
		"Søren Ærø, adm. direktør":          {"Søren", "Ærø"},
		"Direktør, Søren Ærø":               {"Søren", "Ærø"},
		"Att.: Søren Ærø":                   {"Søren", "Ærø"},
		"att. Søren Ærø":                    {"Søren", "Ærø"},
		"Ærø Ejendomme ApS v/ Søren Ærø":    {"Søren", "Ærø"},
		"Ærø Ejendomme ApS v/Søren Ærø":     {"Søren", "Ærø"},
		"Ærø Ejendomme ApS, att. Søren Ærø": {"Søren", "Ærø"},
		"John Smith, Director":              {"John", "Smith"},
		"John Smith, Sales Manager":         {"John", "Smith"},
		"Attn: John Smith":                  {"John", "Smith"},
		"Acme Ltd c/o John Smith":           {"John", "Smith"},
		"John Smith c/o Acme Ltd":           {"John", "Smith"},
		"FAO John Smith":                    {"John", "Smith"},
		"F.A.O. Mr John Smith":              {"John", "Smith"},
		"Smith, John":                       {"John", "Smith"}, // as before
		"Jens Hansen, Bakers ApS":           {"Jens", "Hansen"},
		"Attwood, John":                     {"John", "Attwood"},
		"Att.:":                             {"Att.:", ""}, // nothing else given: what the client typed
	} {
		res := rules.Map(danishEnquiry(t, name, "soren@aero.dk", "Ærø Ejendomme ApS", "20 30 40 50", "Vi søger 250 m²."))
		if res.State != syncd.MapMapped || len(res.Ops) != 2 {
			t.Fatalf("%q: %+v", name, res)
		}
		if p := res.Ops[0].Properties; p["firstname"] != want[0] || p["lastname"] != want[1] {
			t.Errorf("%q: first name %q, last name %q; want %q, %q", name, p["firstname"], p["lastname"], want[0], want[1])
		}
	}
}
