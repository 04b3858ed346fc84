package syncer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestAddressNoLongerTheAPIPausesSayingSo: the company domain changed in
// Pipedrive, so crm.pipedrive.base_url answers 404 Not Found to every
// request, the read of the token's account first. The adapter paused as
// "authentication rejected", telling the operator to fix or reload the
// token, which changes nothing; the pause now says the address is not
// the CRM's API, and its way out is to correct base_url and restart (a
// reload keeps the address). No lead is sent, none dead-lettered.
func TestAddressNoLongerTheAPIPausesSayingSo(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: fakeToken})
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	a := pipedrive.New(pipedrive.Options{BaseURL: strings.Replace(base, "/api/v2", "/old-domain/api/v2", 1), Token: fakeToken,
		LeadIDField: crmfake.DefaultPipedriveLeadField, Links: db,
		Pin:  &crm.Pin{Record: func(_ context.Context, acc crm.Account) (string, error) { return acc.ID, nil }},
		HTTP: crm.Options{Timeout: time.Second, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RateLimit: -1}})
	s := newSyncer(t, db, a, clk, func(o *syncer.Options) { o.AuthPause = time.Minute })
	enqueueLeads(t, db, pipedrive.Name, 0, 2)
	sum, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dead != 0 || sum.Done != 0 || sum.PausedUntil.IsZero() {
		t.Fatalf("summary %+v", sum)
	}
	hint := syncer.ResumeHint(sum.PauseKind)
	t.Logf("pause: %s\n%s", sum.PauseReason, hint)
	if strings.HasPrefix(sum.PauseReason, "authentication rejected") || !strings.Contains(sum.PauseReason, "not the CRM's API address") ||
		!strings.Contains(hint, "base_url") || !strings.Contains(hint, "restart") || strings.Contains(hint, "A new token") {
		t.Fatalf("pause %q told %q", sum.PauseReason, hint)
	}
	if n := srv.CountRequests("", "/api/v2/", 0); n != 0 {
		t.Fatalf("%d requests reached the API", n)
	}
}
