package mapping

import (
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestANumberTypedWithTheNameIsNoPartOfIt: a client who types the phone,
// the company's CVR number or the address after the name, apart by a
// comma ("Søren Ærø, 20 30 40 50"), had it read as "last name, first
// name": HubSpot's contact got the first name "20 30 40 50" and the last
// name "Søren Ærø", and the report showed them so. A part between commas
// that holds a digit is no part of a name, as a company's is not; a name
// that is a company and its CVR number is split as the company alone is.
func TestANumberTypedWithTheNameIsNoPartOfIt(t *testing.T) {
	rules, err := Load(filepath.Join(mappingsDir, "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][2]string{
		"Søren Ærø, 20 30 40 50":                     {"Søren", "Ærø"},
		"Søren Ærø, +45 20 30 40 50":                 {"Søren", "Ærø"},
		"Mette Ødegård, CVR 12345678":                {"Mette", "Ødegård"},
		"Mette Ødegård, tlf. 20304050":               {"Mette", "Ødegård"},
		"Søren Ærø, Åboulevarden 12, 8000 Aarhus C":  {"Søren", "Ærø"},
		"Ærø-Østergaard, Søren, 2. sal":              {"Søren", "Ærø-Østergaard"},
		"Søren Ærø, Ærø Ejendomme ApS, CVR 12345678": {"Søren", "Ærø"},
		"Ærø Ejendomme ApS, CVR 12345678":            {"Ærø", "Ejendomme ApS"},
		"Ærø-Østergaard, Søren":                      {"Søren", "Ærø-Østergaard"}, // as before
		"Søren Ærø-Østergaard":                       {"Søren", "Ærø-Østergaard"},
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
