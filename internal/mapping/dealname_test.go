package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDealNameWithoutAReference: a lead's references are optional (Estate
// Agent Feeds sends eaf_development_reference null in its own example; an
// enquiry about no one property has none), and the shipped mappings named
// such a deal "rightmove enquiry : Jo" or "Lokalebasen : Jo", a space
// where the reference would be. Without one the name leaves it out.
func TestDealNameWithoutAReference(t *testing.T) {
	cases := []struct {
		kind          syncd.Kind
		file, want    string
		drop          func(map[string]any)
		withReference string
	}{
		{syncd.KindEAF, "eaf/email_lead.json", "Rightmove enquiry: EAF Support", func(p map[string]any) {
			p["eaf_reference"], p["eaf_portal_reference"], p["eaf_development_reference"] = nil, "", nil
		}, "Rightmove enquiry 87654321: EAF Support"},
		{syncd.KindLokalebasen, "lokalebasen/enquiry_created.json", "Lokalebasen: Angela Baker", func(p map[string]any) {
			delete(p["payload"].(map[string]any), "location")
		}, "Lokalebasen EJ-593915GV: Angela Baker"},
	}
	for _, c := range cases {
		body, err := os.ReadFile(filepath.Join(webhooksDir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = hujson.Standardize(body); err != nil {
			t.Fatal(err)
		}
		for target, prop := range map[string]string{"hubspot": "dealname", "pipedrive": "title"} {
			rules, err := Load(filepath.Join(mappingsDir, target), target)
			if err != nil {
				t.Fatal(err)
			}
			for _, drop := range []bool{false, true} {
				var payload map[string]any
				if err := json.Unmarshal(body, &payload); err != nil {
					t.Fatal(err)
				}
				want := c.withReference
				if drop {
					c.drop(payload)
					want = c.want
				}
				b, _ := json.Marshal(payload)
				path := filepath.Join(t.TempDir(), "body.json")
				if err := os.WriteFile(path, b, 0o600); err != nil {
					t.Fatal(err)
				}
				res := rules.Map(fixtureEvent(t, c.kind, path))
				if len(res.Ops) != 2 {
					t.Fatalf("%s %s: %s %s, %d operations", target, c.file, res.State, res.Reason, len(res.Ops))
				}
				if got := res.Ops[1].Properties[prop]; got != want {
					t.Errorf("%s %s (references dropped: %v): %s %q, want %q", target, c.file, drop, prop, got, want)
				}
			}
		}
	}
}
