package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestWriteWithoutSchemaScopeGoesAsMapped: a write with no account check
// before it, as syncd sync asks (ReadPropertiesBeforeWrites), reads the
// properties first, to convert
// option labels; a token HubSpot refuses that read (403, no
// crm.schemas.contacts.read) still writes the lead, its values as mapped,
// and tries the read once, not before every write.
func TestWriteWithoutSchemaScopeGoesAsMapped(t *testing.T) {
	t.Parallel()
	scopes := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read", "crm.objects.deals.write"}
	srv, a := setup(t, crmfake.Options{Scopes: scopes}, hubspot.Options{})
	a.ReadPropertiesBeforeWrites()
	cs, _ := leads(2)
	for i := range cs {
		if r := a.UpsertContacts(context.Background(), cs[i:i+1])[0]; r.Err != nil || r.ID == "" {
			t.Fatalf("contact %d: %+v", i, r)
		}
	}
	if n := len(srv.State().Contacts); n != 2 {
		t.Errorf("%d contacts in HubSpot, want 2", n)
	}
	if n := srv.CountRequests("GET", "/crm/v3/properties/", 0); n != 1 {
		t.Errorf("%d property reads, want 1", n)
	}
}
