package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// crmErr is err's CRMError, or fails the test.
func crmErr(t *testing.T, what string, err error) *syncd.CRMError {
	t.Helper()
	var ce *syncd.CRMError
	if !errors.As(err, &ce) {
		t.Fatalf("%s: %v, want a CRMError", what, err)
	}
	return ce
}

// onlyReads fails unless every request the stand-in saw was a GET.
func onlyReads(t *testing.T, srv *crmfake.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Fatalf("%s %s reached the account of another client", r.Method, r.Path)
		}
	}
	if c, d := srv.Count(); c+d != 0 {
		t.Fatalf("%d contacts and %d deals written", c, d)
	}
}

// TestPinnedToAnotherAccountWritesNothing: a token of another HubSpot
// account than crm.hubspot.hub_id writes, erases and sets up nothing:
// every write is refused as a rejected token is (the syncer pauses, no
// dead letter), naming both accounts and the fix, and the check fails
// with that one finding.
func TestPinnedToAnotherAccountWritesNothing(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{AccountID: 7654321}, hubspot.Options{Pin: &crm.Pin{Want: "1111111", Fix: "put the client's token in"}})
	ctx := context.Background()
	c, d := lead(0)
	errs := map[string]error{
		"contacts": a.UpsertContacts(ctx, []syncd.Contact{c})[0].Err,
		"deals":    a.UpsertDeals(ctx, []syncd.Deal{d})[0].Err,
		"erase":    a.Erase(ctx, "101", []string{"202"}, nil),
	}
	_, errs["erase holders"] = a.EraseHolders(ctx, "jane@example.com", syncd.PersonKeys{})
	_, errs["setup"] = a.Setup(ctx, specs(), false)
	for what, err := range errs {
		ce := crmErr(t, what, err)
		if ce.Class != syncd.ErrAuth || ce.Code != crm.CodeWrongAccount ||
			!strings.Contains(ce.Message, "hub id 7654321 (app-eu1.hubspot.com") || !strings.Contains(ce.Message, "pinned hub id 1111111") ||
			!strings.Contains(ce.Message, "put the client's token in") {
			t.Errorf("%s: %v (class %s)", what, ce, ce.Class)
		}
	}
	fs, err := a.Check(ctx, specs())
	if err != nil || len(fs) != 1 || fs[0].Severity != syncd.SevError || fs[0].Name != "hub id 7654321" || fs[0].Fix == "" {
		t.Fatalf("check: %+v %v", fs, err)
	}
	onlyReads(t, srv)
}

// TestPinnedAccountSendsAndRereadsAfterANewToken: the token of the pinned
// account writes; its account is read once, not before every call, and
// again after the token changed. An account that cannot be read then
// (the network) sends nothing and asks for a retry; an answer that is
// neither a retry nor a rejected token pauses.
func TestPinnedAccountSendsAndRereadsAfterANewToken(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{AccountID: 7654321}, hubspot.Options{Pin: &crm.Pin{Want: "7654321"}})
	ctx := context.Background()
	cs, ds := leads(2)
	r := a.UpsertContacts(ctx, cs[:1])
	if r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	ds[0].ContactID = r[0].ID
	reads := srv.CountRequests(http.MethodGet, "/account-info/v3/details", 0)
	if r := a.UpsertContacts(ctx, cs[1:]); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	if n := srv.CountRequests(http.MethodGet, "/account-info/v3/details", 0); n != reads {
		t.Fatalf("the account was read again (%d reads, then %d) while the token stayed", reads, n)
	}

	a.SetToken(token)
	srv.AddFault(crmfake.Fault{Path: "/account-info/v3/details", Action: crmfake.ActDrop})
	r = a.UpsertDeals(ctx, ds[:1])
	if ce := crmErr(t, "unreadable account", r[0].Err); ce.Class != syncd.ErrRetry || !strings.Contains(ce.Message, "pinned") {
		t.Fatalf("unreadable account: %v (class %s)", ce, ce.Class)
	}
	srv.ClearFaults()
	a.SetToken(token)
	srv.AddFault(crmfake.Fault{Path: "/account-info/v3/details", Action: crmfake.ActError, Status: http.StatusNotFound})
	r = a.UpsertDeals(ctx, ds[:1])
	if ce := crmErr(t, "account answered 404", r[0].Err); ce.Class != syncd.ErrAuth {
		t.Fatalf("account answered 404: %v (class %s), want a pause", ce, ce.Class)
	}
	if _, d := srv.Count(); d != 0 {
		t.Fatalf("%d deals written while the account could not be read", d)
	}
	srv.ClearFaults()
	if r = a.UpsertDeals(ctx, ds[:1]); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	if c, d := srv.Count(); c != 2 || d != 1 {
		t.Fatalf("%d contacts, %d deals, want 2 and 1", c, d)
	}
}

// TestPinnedAccountUnreadableCheckSaysWhy: with an account pinned (in the
// configuration, or the one syncd's CRM ids were made in), a check whose
// read of the token's account failed gave as its fix the way out of a
// token of another account: put another client's token, or run `syncd
// crm forget-links` as if the agency had moved, when the CRM was only
// unreachable. Its fix is now the read's: the network and base_url, the
// token the CRM rejects, the daily limit; the row stays (nothing is sent
// while the account cannot be read).
func TestPinnedAccountUnreadableCheckSaysWhy(t *testing.T) {
	t.Parallel()
	const moved = "if the agency moved to this account, run syncd crm forget-links"
	for _, tc := range []struct {
		name  string
		fault crmfake.Fault
		token string
		want  string
	}{
		{"unreachable", crmfake.Fault{Path: "/account-info/v3/details", Action: crmfake.ActDrop}, "", "base_url and the network"},
		{"token rejected", crmfake.Fault{}, "pat-na1-revoked", "the CRM no longer takes this token"},
		{"daily limit", crmfake.Fault{Path: "/account-info/v3/details", Action: crmfake.ActDailyLimit}, "", "daily API limit"},
	} {
		srv, a := setup(t, crmfake.Options{AccountID: 1111111}, hubspot.Options{Token: tc.token, Pin: &crm.Pin{Want: "1111111", Fix: moved}})
		if tc.fault.Action != "" {
			srv.AddFault(tc.fault)
		}
		fs, err := a.Check(context.Background(), specs())
		if err != nil || len(fs) != 1 {
			t.Fatalf("%s: %+v %v; want the one account row", tc.name, fs, err)
		}
		f := fs[0]
		t.Logf("%s: %s | %s", tc.name, f.Problem, f.Fix)
		if f.Severity != syncd.SevError || f.Object != "account" || !strings.HasPrefix(f.Problem, "the account the token belongs to cannot be read (") ||
			!strings.HasSuffix(f.Problem, "), so whether it is the pinned account is not known: nothing is sent") {
			t.Errorf("%s: %+v; want the pinned account unreadable", tc.name, f)
		}
		if strings.Contains(f.Fix, "forget-links") || !strings.Contains(f.Fix, tc.want) {
			t.Errorf("%s: fix %q; want the read's (%q), not another account's", tc.name, f.Fix, tc.want)
		}
	}
}

// TestCheckRateLimitedSaysSo: a check whose read of the properties HubSpot
// refused with 429 (another integration spending the account's 10-second
// limit) said "look at the CRM's answer". It says the rate limit is spent
// for now, nothing to change, and when to run the check again.
func TestCheckRateLimitedSaysSo(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.AddFault(crmfake.Fault{Path: "/crm/v3/properties/**", Action: crmfake.ActRateLimit, RetryAfter: "120"})
	fs, err := a.Check(context.Background(), specs())
	if err != nil {
		t.Fatal(err)
	}
	var f syncd.Finding
	for _, x := range fs {
		if x.Severity == syncd.SevError {
			f = x
		}
	}
	t.Logf("%s | %s", f.Problem, f.Fix)
	if !strings.Contains(f.Problem, "rate limit") || !strings.Contains(f.Fix, "run the check again in 2 minutes") {
		t.Fatalf("problem %q, fix %q; want the rate limit and when to run the check again, in words", f.Problem, f.Fix)
	}
}

// TestRecordedBeforeTheFirstWrite: an adapter pinned to nothing, with a
// Record, hands the token's account to it before its first write, and
// writes nothing when Record answers that the CRM ids are another
// account's (recorded since): as if pinned to that one.
func TestRecordedBeforeTheFirstWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, recorded := range []string{"", "1111111"} {
		var got []string
		pin := &crm.Pin{Record: func(_ context.Context, acc crm.Account) (string, error) {
			got = append(got, acc.ID)
			if recorded != "" {
				return recorded, nil
			}
			return acc.ID, nil
		}}
		srv, a := setup(t, crmfake.Options{AccountID: 7654321}, hubspot.Options{Pin: pin})
		c, _ := lead(0)
		err := a.UpsertContacts(ctx, []syncd.Contact{c})[0].Err
		if len(got) != 1 || got[0] != "7654321" {
			t.Fatalf("recorded %q before the first write, want [7654321] once", got)
		}
		if recorded == "" {
			if n, _ := srv.Count(); err != nil || n != 1 {
				t.Fatalf("nothing recorded before: %v, %d contacts", err, n)
			}
			continue
		}
		if ce := crmErr(t, "contacts", err); ce.Code != crm.CodeWrongAccount || !strings.Contains(ce.Message, "hub id 1111111") {
			t.Errorf("ids recorded in 1111111, token of 7654321: %v", ce)
		}
		onlyReads(t, srv)
	}
}
