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
