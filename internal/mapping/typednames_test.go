package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestNamesAsClientsTypeThem: what clients type into a portal's name
// field reaches HubSpot as a usable first and last name. A salutation
// with one word after it is the last name ("Mrs. Baker" was the first
// name Baker, greeted "Hi Baker"); a couple's salutations ("Mr & Mrs
// Smith", "Hr. og Fru Hansen") go as one does ("&" and "og" were first
// names); a company after a comma ("Jens Hansen, Bakers ApS") is no
// first name (the contact was "Bakers ApS Jens Hansen"); a name of only
// punctuation ("-", "...", typed to get past a required field) is none.
// German and French salutations ("Herr", "Frau", "Mme") are salutations.
func TestNamesAsClientsTypeThem(t *testing.T) {
	r, err := Load(filepath.Join(mappingsDir, "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][2]string{
		"Mrs. Baker":               {"", "Baker"},
		"Hr. Hansen":               {"", "Hansen"},
		"Mr & Mrs Smith":           {"", "Smith"},
		"Mr and Mrs John Smith":    {"John", "Smith"},
		"Hr. og Fru Hansen":        {"", "Hansen"},
		"Mr/Mrs Smith":             {"", "Smith"},
		"Herr Jürgen Müller":       {"Jürgen", "Müller"},
		"Frau Müller":              {"", "Müller"},
		"Mme Claire Dubois":        {"Claire", "Dubois"},
		"Jens Hansen, Bakers ApS":  {"Jens", "Hansen"},
		"Jens Hansen, Bakers A/S":  {"Jens", "Hansen"},
		"Bakers Ltd., Jane Doe":    {"Jane", "Doe"},
		"Hansen, Jens, Bakers ApS": {"Jens", "Hansen"},
		"Bakers ApS,":              {"Bakers", "ApS"},
		"Baker, Mrs Angela":        {"Angela", "Baker"},
		"Baker, Mrs.":              {"", "Baker"},
		"-":                        {"", ""},
		"...":                      {"", ""},
		"12345678":                 {"", ""},
		"\u200b":                   {"", ""},
		// as they were
		"Dr. Jens Hansen":       {"Jens", "Hansen"},
		"Prof. Dr. Hans Müller": {"Hans", "Müller"},
		"HANSEN, JENS":          {"JENS", "HANSEN"},
		"Baker, Angela":         {"Angela", "Baker"},
		"Madonna":               {"Madonna", ""},
		"Ludwig van der Berg":   {"Ludwig", "van der Berg"},
		"Søren Ærø-Østergaard":  {"Søren", "Ærø-Østergaard"},
		"Jens & Karen Hansen":   {"Jens", "& Karen Hansen"},
		"Mr":                    {"Mr", ""},
		"Marianne As":           {"Marianne", "As"},
	} {
		body, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
			"location": map[string]any{"id": "1"}, "client": map[string]any{"email": "kim@x.dk", "name": name}}})
		res := r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", body))
		if res.State != syncd.MapMapped || len(res.Ops) != 2 {
			t.Fatalf("%q: %+v", name, res)
		}
		p := res.Ops[0].Properties
		if p["firstname"] != want[0] || p["lastname"] != want[1] {
			t.Errorf("name %q: first %q, last %q; want %q, %q", name, p["firstname"], p["lastname"], want[0], want[1])
		}
	}
}
