package hubspot_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDailyLimitResetsAtMidnightInAccountZone: at 22:00 in New York (03:00
// UTC) a spent daily limit comes back at New York's midnight, 2 h later,
// not at UTC midnight 21 h later. The adapter learns the zone from the
// account details API.
func TestDailyLimitResetsAtMidnightInAccountZone(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv, a := setup(t, crmfake.Options{DailyLimit: 3, TimeZone: ny, Now: clock}, hubspot.Options{Now: clock})
	cs, _ := leads(3)
	var last syncd.Result
	for i := range cs {
		last = a.UpsertContacts(context.Background(), cs[i:i+1])[0]
	}
	var ce *syncd.CRMError
	if !errors.As(last.Err, &ce) || ce.Class != syncd.ErrDailyLimit {
		t.Fatalf("third contact: %v", last.Err)
	}
	if ce.RetryAfter != 2*time.Hour {
		t.Fatalf("retry after %v, want 2h (midnight in New York)", ce.RetryAfter)
	}
	if n := srv.CountRequests("GET", "/account-info/", 200); n != 1 {
		t.Fatalf("%d account details requests, want 1", n)
	}
}

// TestDailyLimitInBodyOnlyPauses: a 429 that says DAILY only in its body
// is a daily limit, sent once, not a burst limit resent three times.
func TestDailyLimitInBodyOnlyPauses(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{TimeZone: time.UTC, HTTP: crm.Options{RetryMax: 3}})
	srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 429,
		Body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`})
	c, _ := lead(0)
	r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrDailyLimit || ce.RetryAfter <= 0 {
		t.Fatalf("err %v", r.Err)
	}
	if n := srv.CountRequests("POST", "/crm/", 0); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// TestLockedAndMigratingWait: 423 Locked (high-volume upserts) and 477
// Migration in Progress are waits, not a record's fault.
func TestLockedAndMigratingWait(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault crmfake.Fault
		after time.Duration
	}{
		{crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 423}, 2 * time.Second},
		{crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 477, RetryAfter: "3600"}, time.Hour},
	} {
		srv, a := setup(t, crmfake.Options{}, hubspot.Options{TimeZone: time.UTC})
		srv.AddFault(tc.fault)
		c, _ := lead(0)
		r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrRetry || ce.RetryAfter < tc.after {
			t.Fatalf("%d: %v (%+v)", tc.fault.Status, r.Err, ce)
		}
	}
}

// TestDailyLimitSpentBeforeTheZoneIsKnown: a Copenhagen account whose
// daily limit another integration spent before syncd (re)started: the
// look-up of the account's time zone is refused too. The pause ended at UTC
// midnight, an hour after Copenhagen's (two in summer), where the comment
// said "early rather than late". While the zone is unknown, the adapter
// now tries again at the next full hour, which is never after the reset.
func TestDailyLimitSpentBeforeTheZoneIsKnown(t *testing.T) {
	t.Parallel()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	now := time.Date(2026, 3, 2, 22, 10, 0, 0, time.UTC) // 23:10 in Copenhagen
	clock := func() time.Time { return now }
	srv, a := setup(t, crmfake.Options{DailyLimit: 1, TimeZone: cph, Now: clock}, hubspot.Options{Now: clock})
	req, _ := http.NewRequest(http.MethodGet, srv.BaseURL()+"/crm/v3/properties/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 { // another integration's request
		t.Fatalf("%v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	c, _ := lead(0)
	r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrDailyLimit {
		t.Fatalf("err %v", r.Err)
	}
	if ce.RetryAfter != 50*time.Minute {
		t.Fatalf("retry after %v, want 50m (the next full hour; Copenhagen's midnight is at 23:00 UTC)", ce.RetryAfter)
	}
}

// TestZoneUnknownInAnOutageIsNoWarning: `syncd sync` with the CRM down
// warned "hubspot: account time zone unknown; a spent daily limit is tried
// again every hour" beside the outage it told, which an operator cannot
// act on. With the CRM answering 503 (or nothing) that look-up's failure is
// the outage's, and only debug; refused by the CRM (a 404 here), it is
// still a warning.
func TestZoneUnknownInAnOutageIsNoWarning(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		warn   bool
	}{{503, false}, {502, false}, {429, false}, {404, true}} {
		var logs bytes.Buffer
		srv, a := setup(t, crmfake.Options{}, hubspot.Options{Logger: zerolog.New(&logs).Level(zerolog.InfoLevel), HTTP: crm.Options{RetryMax: 1}})
		srv.AddFault(crmfake.Fault{Path: "/account-info/**", Action: crmfake.ActError, Status: tc.status})
		c, _ := lead(0)
		_ = a.UpsertContacts(context.Background(), []syncd.Contact{c})
		if got := strings.Contains(logs.String(), "time zone unknown"); got != tc.warn {
			t.Errorf("account details answering %d: warned of the zone %v, want %v\n%s", tc.status, got, tc.warn, logs.String())
		}
	}
}
