package pipedrive_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSetTokenReplacesARejectedOne: calls after SetToken carry the new
// token (the operator's fix, reloaded on SIGHUP), and a pinned company is
// read again before the next write, since the new token may be another
// company's.
func TestSetTokenReplacesARejectedOne(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{AccountID: 4242}, pipedrive.Options{Token: "revoked", Pin: &crm.Pin{Want: "4242"}})
	cs, ds := crmtest.Leads(1)
	var ce *syncd.CRMError
	if err := a.UpsertContacts(context.Background(), cs)[0].Err; !errors.As(err, &ce) || ce.Class != syncd.ErrAuth {
		t.Fatalf("with a revoked token: %v, want a rejected token", err)
	}
	reads := srv.CountRequests(http.MethodGet, "/api/v1/users/me", 0)
	a.SetToken(token)
	if cr, dr := deliver(t, a, cs, ds); failing(cr) || failing(dr) {
		t.Fatalf("with the new token: %v %v", cr, dr)
	}
	if n := srv.CountRequests(http.MethodGet, "/api/v1/users/me", 0); n != reads+1 {
		t.Fatalf("the pinned company read %d times after the new token, want once", n-reads)
	}
}
