package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCommentWithALessThanSignIsKept: Lokalebasen documents the comment as
// the client's own text, and clients write "<" and "&" as in "5000<x<8000
// kr" or "<ca. 200 m2". The shipped mappings read the comment as HTML (it
// may hold markup), and a "<" followed by a letter was taken for a tag that
// ran to the end: everything after it was missing from the CRM's deal. A
// "<" that starts no HTML tag is text; markup still reads as markup.
func TestCommentWithALessThanSignIsKept(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "lokalebasen", "enquiry_created.json"))
	if err != nil {
		t.Fatal(err)
	}
	if body, err = hujson.Standardize(body); err != nil { // the documented example's trailing commas
		t.Fatal(err)
	}
	for comment, want := range map[string]string{
		"Hej,\n\nVi søger 200-300 m2.\nBudget 5000<x<8000 kr & gerne p-plads.\n\nMvh A": "Hej,\n\nVi søger 200-300 m2.\nBudget 5000<x<8000 kr & gerne p-plads.\n\nMvh A",
		"Størrelse <ca. 200 m2, gerne >150":                                             "Størrelse <ca. 200 m2, gerne >150",
		"Budget <ca 200 m2<br />Tak":                                                    "Budget <ca 200 m2\nTak",
		"<p>Hej</p><p>Vi søger kontor</p>":                                              "Hej\n\nVi søger kontor",
	} {
		var payload map[string]any
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		payload["payload"].(map[string]any)["comment"] = comment
		b, _ := json.Marshal(payload)
		path := filepath.Join(t.TempDir(), "enquiry_created.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for target, prop := range map[string]string{"hubspot": "description", "pipedrive": "syncd comment"} {
			rules, err := Load(filepath.Join(mappingsDir, target), target)
			if err != nil {
				t.Fatal(err)
			}
			res := rules.Map(fixtureEvent(t, syncd.KindLokalebasen, path))
			if len(res.Ops) != 2 {
				t.Fatalf("%s, comment %q: %s %s, %d operations", target, comment, res.State, res.Reason, len(res.Ops))
			}
			if got := res.Ops[1].Properties[prop]; got != want {
				t.Errorf("%s, comment %q: %s %q, want %q", target, comment, prop, got, want)
			}
		}
	}
}
