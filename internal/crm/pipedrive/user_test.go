package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func warningsOf(fs []syncd.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if f.Severity == syncd.SevWarn {
			out[f.Name] = f.Problem + " | " + f.Fix
		}
	}
	return out
}

// TestCheckWarnsOfARegularUsersToken: Pipedrive shows a regular user only
// the persons its visibility group allows, so syncd's search for an
// existing person can miss one another user owns and create a second one
// for the same email. crm check said nothing of it; it now warns.
func TestCheckWarnsOfARegularUsersToken(t *testing.T) {
	for _, regular := range []bool{false, true} {
		_, a, _ := setup(t, crmfake.Options{RegularUser: regular}, pipedrive.Options{})
		fs, err := a.Check(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		w := warningsOf(fs)["token"]
		if regular != strings.Contains(w, "not an admin") || syncd.Failed(fs) {
			t.Fatalf("regular user %v: %+v", regular, fs)
		}
	}
}
