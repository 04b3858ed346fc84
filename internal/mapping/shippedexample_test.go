package mapping

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTheShippedFilesCommentedRuleMapsAPortalError: each CRM's eaf.yaml
// comment gives a rule to make a CRM record of a portal's refusal. Taken
// out of its comment into the file as it is written, it loads beside the
// file's own rule and maps the documented error example to a contact and
// a deal named as the comment's expression says. HubSpot's dealname,
// written always while the file's rule writes it on create, made the file
// refuse to load, and its address, in a domain that is no top-level
// domain, made every such lead unmappable; Pipedrive's file sent the
// operator to HubSpot's rule, whose deal has no title.
func TestTheShippedFilesCommentedRuleMapsAPortalError(t *testing.T) {
	for target, props := range map[string][2]string{
		"hubspot":   {"dealname", "description"},
		"pipedrive": {"title", "syncd message"},
	} {
		b, err := os.ReadFile(repoRoot + "/mappings/" + target + "/eaf.yaml")
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^#   - name: eaf-portal-error\n(?:#    .*\n)+`).Find(b)
		if m == nil {
			t.Errorf("%s/eaf.yaml gives no rule for portal_submission in a comment", target)
			continue
		}
		rule := regexp.MustCompile(`(?m)^# `).ReplaceAllString(string(m), "")
		r, err := Parse("eaf.yaml", append(b, rule...), target)
		if err != nil {
			t.Errorf("%s/eaf.yaml with its commented rule taken in does not load: %v\n%s", target, err, rule)
			continue
		}
		body, err := os.ReadFile(webhooksDir + "/eaf/portal_submission_error.json")
		if err != nil {
			t.Fatal(err)
		}
		res := r.Map(testEvent("eaf", "portal_submission", "k", body))
		if res.State != syncd.MapMapped || res.Rule != "eaf-portal-error" || len(res.Ops) != 2 {
			t.Errorf("%s: the portal's error example: %s %s %q %+v", target, res.State, res.Rule, res.Reason, res.Ops)
			continue
		}
		if got := res.Ops[1].Properties[props[0]]; got != "Rightmove rejected 87654321_EAF_67004" {
			t.Errorf("%s: %s = %q", target, props[0], got)
		}
		if got := res.Ops[1].Properties[props[1]]; !strings.Contains(got, "account allowance") {
			t.Errorf("%s: %s = %q", target, props[1], got)
		}
	}
}
