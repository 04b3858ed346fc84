package pipedrive_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPinnedToAnotherCompanyWritesNothing: a token of another Pipedrive
// company than crm.pipedrive.company_id sends nothing, not even the
// searches by email that precede a create: every write is refused as a
// rejected token is, naming both companies, and the check fails with that
// one finding. The pinned company's token writes, its company read once.
func TestPinnedToAnotherCompanyWritesNothing(t *testing.T) {
	t.Parallel()
	pin := &crm.Pin{Want: "1111"}
	srv, a, _ := setup(t, crmfake.Options{AccountID: 4242}, pipedrive.Options{Pin: pin})
	ctx := context.Background()
	cs, ds := crmtest.Leads(1)
	errs := map[string]error{
		"persons": a.UpsertContacts(ctx, cs)[0].Err,
		"deals":   a.UpsertDeals(ctx, ds)[0].Err,
		"erase":   a.Erase(ctx, "101", []string{"202"}, nil),
		"check":   a.CheckShared(ctx, "101", nil),
	}
	_, errs["erase holders"] = a.EraseHolders(ctx, "jane@example.com", syncd.PersonKeys{})
	_, errs["setup"] = a.Setup(ctx, nil, false)
	for what, err := range errs {
		var ce *syncd.CRMError
		if !errors.As(err, &ce) || ce.Class != syncd.ErrAuth || ce.Code != crm.CodeWrongAccount ||
			!strings.Contains(ce.Message, `company 4242 "Fake 4242" (fake4242.pipedrive.com`) || !strings.Contains(ce.Message, "pinned company 1111") {
			t.Errorf("%s: %v", what, err)
		}
	}
	if fs, err := a.Check(ctx, nil); err != nil || len(fs) != 1 || fs[0].Name != "company 4242" {
		t.Fatalf("check: %+v %v", fs, err)
	}
	for _, r := range srv.Requests() {
		if r.Path != "/api/v1/users/me" {
			t.Fatalf("%s %s reached another company's Pipedrive", r.Method, r.Path)
		}
	}

	pin.Want = "4242" // as a restart with the pin corrected
	cr, dr := deliver(t, a, cs, ds)
	if failing(cr) || failing(dr) {
		t.Fatalf("pinned company: %v %v", cr, dr)
	}
	if n := srv.CountRequests(http.MethodGet, "/api/v1/users/me", 0); n != len(errs)+2 {
		t.Fatalf("users/me read %d times, want once more than the %d refusals and the check", n, len(errs)+1)
	}
}

// TestUnpinnedReadsNoAccount: without a pin nothing changes: no account
// is read before the writes.
func TestUnpinnedReadsNoAccount(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	cs, ds := crmtest.Leads(1)
	if cr, dr := deliver(t, a, cs, ds); failing(cr) || failing(dr) {
		t.Fatalf("%v %v", cr, dr)
	}
	if n := srv.CountRequests("", "/api/v1/users/me", 0); n != 0 {
		t.Fatalf("users/me read %d times", n)
	}
}

// TestRevokedTokenUnderRecordedAccountDoesNotClaimAPin: with nothing
// pinned in the configuration, a run that holds the CRM ids of a recorded
// company (syncd sync after the daemon's first writes) and whose token
// Pipedrive rejects said "the CRM account is pinned and the account the
// token belongs to cannot be read": the operator looked for a
// crm.pipedrive.company_id never written. It says the token was refused,
// and which company the ids were made in; so does crm check, whose row
// said "pinned, and the account the token belongs to cannot be read".
func TestRevokedTokenUnderRecordedAccountDoesNotClaimAPin(t *testing.T) {
	t.Parallel()
	pin := &crm.Pin{Want: "4242", Of: "the account the CRM ids syncd holds were made in"}
	srv, a, _ := setup(t, crmfake.Options{AccountID: 4242}, pipedrive.Options{Pin: pin})
	srv.AddFault(crmfake.Fault{Path: "/api/**", Action: crmfake.ActError, Status: http.StatusUnauthorized})
	cs, _ := crmtest.Leads(1)
	err := a.UpsertContacts(context.Background(), cs)[0].Err
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Class != syncd.ErrAuth {
		t.Fatalf("revoked token: %v; want a rejected token's pause", err)
	}
	for _, w := range []string{"401", "4242", "the account the CRM ids syncd holds were made in"} {
		if !strings.Contains(ce.Message, w) {
			t.Errorf("message %q; want %q in it", ce.Message, w)
		}
	}
	if strings.Contains(ce.Message, "is pinned") {
		t.Errorf("message %q claims a pin the configuration does not have", ce.Message)
	}
	fs, err := a.Check(context.Background(), nil)
	if err != nil || len(fs) == 0 || fs[0].Name != "4242" {
		t.Fatalf("check: %+v %v; want the account's row first", fs, err)
	}
	if p := fs[0].Problem; strings.Contains(p, "pinned") || !strings.Contains(p, "the account the CRM ids syncd holds were made in") {
		t.Errorf("check's problem %q; want the account the ids were made in, and no pin", p)
	}
}
