package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestRefusedTokenFixSaysToReloadTheDaemon: crm check of a token
// Pipedrive no longer takes (reset, its user deactivated) said to set
// another, and no more, while a running daemon keeps the old token until
// a reload; with the company pinned its fix said so. Either says it now.
func TestRefusedTokenFixSaysToReloadTheDaemon(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Token: "revoked"})
	fs, err := a.Check(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fix := ""
	for _, f := range fs {
		if f.Name == "token" {
			fix = f.Fix
		}
	}
	if !strings.Contains(fix, "run the check again, then systemctl reload syncd so that the daemon takes it") {
		t.Fatalf("check of a refused token: %+v, want the fix to say to reload the daemon", fs)
	}
}
