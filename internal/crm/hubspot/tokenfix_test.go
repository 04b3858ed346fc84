package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestRefusedTokenFixSaysToReloadTheDaemon: crm check of a token HubSpot
// no longer takes (revoked, the private app removed) said to set a valid
// one, and no more, while a running daemon keeps the old token until a
// reload; with the account pinned its fix said so. Either says it now.
func TestRefusedTokenFixSaysToReloadTheDaemon(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{}, hubspot.Options{Token: "revoked"})
	fs, err := a.Check(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := crmtest.FindingOf(t, fs, "properties")
	if f.Object != "token" || !strings.Contains(f.Fix, "run the check again, then systemctl reload syncd so that the daemon takes it") {
		t.Fatalf("check of a refused token: %+v, want the fix to say to reload the daemon", fs)
	}
}
