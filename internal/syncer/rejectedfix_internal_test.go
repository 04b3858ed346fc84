package syncer

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRejectedFixOffersAnOptionOnlyForADropdown: the fix of every value
// the CRM refused said to "make the CRM take it (an option added to a
// dropdown)", also of an email the CRM holds invalid or of text sent to a
// number property, where no option helps. Only a refused option is told
// to be added; every fix still names the operation and the other ways.
func TestRejectedFixOffersAnOptionOnlyForADropdown(t *testing.T) {
	t.Parallel()
	for code, option := range map[string]bool{"INVALID_OPTION": true, "INVALID_EMAIL": false, "INVALID_INTEGER": false, "FIELD_TYPE": false} {
		fix := rejectedFix(42, &syncd.CRMError{Code: code, Property: "p"})
		if got := strings.Contains(fix, "options in the CRM and syncd outbox retry 42"); got != option {
			t.Errorf("%s: the option offered %v; want %v: %s", code, got, option, fix)
		}
		for _, want := range []string{"syncd outbox show 42", "syncd outbox give-up 42", "syncd replay"} {
			if !strings.Contains(fix, want) {
				t.Errorf("%s: no %q in %s", code, want, fix)
			}
		}
		if strings.Contains(fix, "make the CRM take it") {
			t.Errorf("%s: %s", code, fix)
		}
	}
}

// TestRejectedFixOfAStageOrOwnerNamesNoDropdown: a deal stage, pipeline or
// owner a rule computed from the payload passes syncd crm check, and
// HubSpot's refusal of it (INVALID_OPTION) was dead-lettered with "add it
// to that dropdown's options in the CRM": nobody adds a stage id or an
// owner so. Each now says its own fix, on either CRM's property names.
func TestRejectedFixOfAStageOrOwnerNamesNoDropdown(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"dealstage": {"deal stage", "pipeline", "syncd replay"}, "stage": {"deal stage", "syncd replay"},
		"stage_id": {"deal stage"}, "pipeline": {"deal pipeline", "syncd replay"}, "pipeline_id": {"deal pipeline"},
		"hubspot_owner_id": {"owner", "active owner's id", "reactivate the user", "syncd outbox retry 42", "syncd replay"},
		"owner_id":         {"active owner's id", "reactivate"}, "user_id": {"active owner's id"},
	}
	for property, words := range want {
		for _, code := range []string{"INVALID_OPTION", "FIELD_UNKNOWN"} {
			fix := rejectedFix(42, &syncd.CRMError{Code: code, Property: property})
			if strings.Contains(fix, "dropdown") {
				t.Errorf("%s %s: %s", property, code, fix)
			}
			for _, w := range append(words, "syncd outbox show 42", "syncd outbox give-up 42", "("+property+")", code) {
				if !strings.Contains(fix, w) {
					t.Errorf("%s %s: no %q in %s", property, code, w, fix)
				}
			}
		}
	}
}
