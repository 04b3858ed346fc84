package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUnknownScopesNameThoseNoReadShows: HubSpot does not say which scopes
// the token has (its introspection answers 404, or 503), and the token
// lacks every crm.objects scope, which sending leads needs. The check's
// warning said "none needed (to send leads): the reads below show a
// missing scope as a 403", but its reads are of the account's schema and
// show none of those: it passed, and the first lead paused the adapter. It
// now names the scopes no read of it shows, and what a missing one does.
func TestUnknownScopesNameThoseNoReadShows(t *testing.T) {
	t.Parallel()
	for _, status := range []int{404, 503} {
		srv, a := setup(t, crmfake.Options{Scopes: []string{"crm.schemas.contacts.read", "crm.schemas.deals.read"}}, hubspot.Options{})
		srv.AddFault(crmfake.Fault{Path: "/oauth/**", Action: crmfake.ActError, Status: status})
		fs, err := a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "dealname"}})
		if err != nil || syncd.Failed(fs) || len(fs) != 1 {
			t.Fatalf("introspection %d: %+v, %v", status, fs, err)
		}
		said := fs[0].Problem + " | " + fs[0].Fix
		if strings.Contains(said, "none needed") || !strings.Contains(said, "crm.objects.contacts.write") ||
			!strings.Contains(said, "crm.objects.deals.write") || !strings.Contains(said, "pauses") {
			t.Errorf("introspection %d: %q; want the crm.objects scopes named as not checked, and what a missing one does", status, said)
		}
	}
}
