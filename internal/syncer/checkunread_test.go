package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestConfigPauseOverWhileTheDailyLimitIsSpentPausesForTheLimit: the
// adapter is paused for the account's setup (a lead-id property without
// unique values) when another integration spends HubSpot's daily limit.
// The check run as the pause ends cannot read the account (every read a
// 429 DAILY), which says nothing of how it is set up: the pause ends, and
// the next call's DAILY answer pauses the adapter for the daily limit.
// (Before, the adapter stayed paused for its configuration, "CRM check
// failing", told to fix what `syncd crm check` lists, and ran the whole
// check again every 2 minutes, each read one more refusal, until the
// limit reset.)
func TestConfigPauseOverWhileTheDailyLimitIsSpentPausesForTheLimit(t *testing.T) {
	t.Parallel()
	var check func(ctx context.Context) error
	checks := 0
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Check = func(ctx context.Context) error { checks++; return check(ctx) }
	})
	a := hubspot.New(hubspot.Options{BaseURL: r.srv.BaseURL(), Token: fakeToken, HTTP: crm.Options{RateLimit: -1}})
	check = func(ctx context.Context) error { // as the daemon's
		fs, err := a.Check(ctx, nil)
		switch {
		case err != nil:
			return err
		case syncd.Failed(fs) && onlyUnread(fs):
			return fmt.Errorf("%w: %s", syncer.ErrCheckUnread, fs[0].Problem)
		case syncd.Failed(fs):
			return errors.New(fs[0].Name + ": " + fs[0].Problem)
		}
		return nil
	}
	r.srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "string", FieldType: "text"})
	enqueueLeads(t, r.db, hubspot.Name, 0, 3)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "syncd_lead_id") {
		t.Fatalf("not paused for the account's setup: %+v", sum)
	}

	r.srv.AddFault(crmfake.Fault{Path: "/**", Action: crmfake.ActDailyLimit})
	r.clk.Advance(sum.PausedUntil.Sub(r.clk.Now()) + 1)
	again, err := r.s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if checks != 1 {
		t.Errorf("%d checks as the pause ended, want 1", checks)
	}
	if again.PausedUntil.IsZero() || strings.Contains(again.PauseReason, "check failing") ||
		!strings.Contains(again.PauseReason, "daily limit") {
		t.Fatalf("with the daily limit spent: paused until %v for %q, want a pause for the daily limit",
			again.PausedUntil, again.PauseReason)
	}
	if h := syncer.ResumeHint(again.PauseKind); strings.Contains(h, "crm check") {
		t.Errorf("a pause for the daily limit is told %q", h)
	}
	for _, op := range allOps(t, r.db) {
		if op.State == syncd.OpDead {
			t.Errorf("op %d dead: %s", op.ID, op.LastError)
		}
	}
}

// onlyUnread reports whether every error finding of fs is a read that
// failed.
func onlyUnread(fs []syncd.Finding) bool {
	for _, f := range fs {
		if f.Severity == syncd.SevError && !f.Unread {
			return false
		}
	}
	return true
}
