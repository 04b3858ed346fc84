package mapping

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTheShippedFilesCommentedRuleMapsAPortalError: hubspot/eaf.yaml's
// comment gives a rule to make a CRM record of a portal's refusal. Taken
// out of its comment into the file as it is written, it loads beside the
// file's own rule and maps the documented error example to a contact and
// a deal named as the comment's expression says. Its dealname, written
// always while the file's rule writes it on create, made the file refuse
// to load; its address, in a domain that is no top-level domain, made
// every such lead unmappable for HubSpot.
func TestTheShippedFilesCommentedRuleMapsAPortalError(t *testing.T) {
	b, err := os.ReadFile(repoRoot + "/mappings/hubspot/eaf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^#   - name: eaf-portal-error\n(?:#    .*\n)+`).Find(b)
	if m == nil {
		t.Fatal("hubspot/eaf.yaml no longer gives a rule for portal_submission in a comment")
	}
	rule := regexp.MustCompile(`(?m)^# `).ReplaceAllString(string(m), "")
	r, err := Parse("eaf.yaml", append(b, rule...), "hubspot")
	if err != nil {
		t.Fatalf("the file with its commented rule taken in does not load: %v\n%s", err, rule)
	}
	body, err := os.ReadFile(webhooksDir + "/eaf/portal_submission_error.json")
	if err != nil {
		t.Fatal(err)
	}
	res := r.Map(testEvent("eaf", "portal_submission", "k", body))
	if res.State != syncd.MapMapped || res.Rule != "eaf-portal-error" || len(res.Ops) != 2 {
		t.Fatalf("the portal's error example: %s %s %q %+v", res.State, res.Rule, res.Reason, res.Ops)
	}
	if got := res.Ops[1].Properties["dealname"]; got != "rightmove rejected 87654321_EAF_67004" {
		t.Errorf("dealname = %q", got)
	}
	if got := res.Ops[1].Properties["description"]; !strings.Contains(got, "account allowance") {
		t.Errorf("description = %q", got)
	}
}
