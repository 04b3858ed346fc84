package hubspot_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPhoneOnlyLeadsKeepToTheSearchLimit: HubSpot limits its search API on
// its own, 5 requests a second per account, and its search answers carry
// no rate-limit headers. A run of phone-only leads, each looked up by
// search, sent its searches as fast as the 10-second window let it: the
// sixth in a second earned a 429, which, saying nothing of the window,
// held every HubSpot call back for the whole window, 10 seconds a time,
// and spent the account's error allowance. The searches now keep to a
// budget of their own.
func TestPhoneOnlyLeadsKeepToTheSearchLimit(t *testing.T) {
	// Not parallel: a search budget timed by both sides in wall time, which other tests' CPU would disturb.
	srv, a := setup(t, crmfake.Options{RateLimit: 100, SearchLimit: 5, SearchLag: time.Millisecond},
		hubspot.Options{Links: &crm.MemLinks{}, SearchLag: time.Millisecond,
			HTTP: crm.Options{RateLimit: 100, RateInterval: 10 * time.Second}})
	var cs []syncd.Contact
	for i := range 10 {
		p := fmt.Sprintf("+452012340%d", i)
		cs = append(cs, syncd.Contact{Key: p, Phone: p, Properties: map[string]string{"phone": p}})
	}
	for i, r := range a.UpsertContacts(context.Background(), cs) {
		if r.Err != nil {
			t.Errorf("contact %d: %v", i, r.Err)
		}
	}
	const search = "/crm/v3/objects/contacts/search"
	if n := srv.CountRequests(http.MethodPost, search, http.StatusTooManyRequests); n > 0 {
		t.Errorf("%d of %d searches refused with 429: HubSpot's search limit was not kept to",
			n, srv.CountRequests(http.MethodPost, search, 0))
	}
	if c, _ := srv.Count(); c != len(cs) {
		t.Errorf("HubSpot holds %d contacts of %d persons", c, len(cs))
	}
}
