package mapping

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTheDryRunJudgesEmailsAsHubSpotDoes: the example configuration's dry
// run (crm.kind dryrun) loads the shipped HubSpot files, but judged a
// lead's email by neither CRM's rules: a trial kept kim@hotmail.con as the
// contact's email and named the deal after it, and the domain of
// kim@møller.dk stayed in Unicode, where HubSpot, once configured, leaves
// the first out (the contact going by its phone) and keys the second in
// ASCII. An operator trialling the mappings saw another contact than the
// CRM gets. The dry run maps each such lead as HubSpot's target does.
func TestTheDryRunJudgesEmailsAsHubSpotDoes(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lead map[string]any
	if err := json.Unmarshal(body, &lead); err != nil {
		t.Fatal(err)
	}
	dry, err := Load(filepath.Join(mappingsDir, "hubspot"), "dryrun")
	if err != nil {
		t.Fatal(err)
	}
	hub, err := Load(filepath.Join(mappingsDir, "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, email, key, dealname string }{
		{"", "kim@hotmail.con", "+442038704550", "Rightmove enquiry 87654321: +442038704550"},
		{"", "Kim@Møller.dk", "kim@xn--mller-vua.dk", "Rightmove enquiry 87654321: kim@xn--mller-vua.dk"},
	} {
		lead["contact_name"], lead["contact_email"] = tc.name, tc.email
		b, _ := json.Marshal(lead)
		ev := testEvent(syncd.KindEAF, "email_lead", "eaf:1", b)
		got, want := dry.Map(ev), hub.Map(ev)
		if len(got.Ops) != 2 || got.Ops[0].Key != tc.key || got.Ops[1].Properties["dealname"] != tc.dealname ||
			got.Reason != want.Reason || got.Ops[0].Properties["email"] != want.Ops[0].Properties["email"] {
			t.Errorf("dry run of a lead from %q: %s %q %v\nwant as HubSpot: contact %s, deal %q, %q %v",
				tc.email, got.State, got.Reason, opsShown(got.Ops), tc.key, tc.dealname, want.Reason, opsShown(want.Ops))
		}
	}
}

// opsShown is what a failure shows of ops: each one's key and properties.
func opsShown(ops []syncd.Op) []string {
	var out []string
	for _, op := range ops {
		out = append(out, fmt.Sprintf("%s %s %v", op.Kind, op.Key, op.Properties))
	}
	return out
}
