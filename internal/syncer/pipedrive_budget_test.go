package syncer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestPipedriveSpentTokenBudgetPauses: once Pipedrive's daily token budget
// is spent every request answers 429 with room left in the 2-second window
// and no daily header; the syncer must pause the adapter with its alarm
// until the budget may have reset, not retry the leads toward dead letters.
func TestPipedriveSpentTokenBudgetPauses(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{RateLimit: 1000, DailyTokens: 300})
	enqueueLeads(t, r.db, pipedrive.Name, 0, 20)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("run = %+v, %v; want a pause and no dead letter", sum, err)
	}
	if !strings.Contains(sum.PauseReason, "daily limit") || !strings.Contains(sum.PauseReason, "DAILY_BUDGET") {
		t.Fatalf("pause reason %q", sum.PauseReason)
	}
	if wait := sum.PausedUntil.Sub(r.clk.Now()); wait <= 0 || wait > time.Hour {
		t.Fatalf("paused for %v: want until the next full hour", wait)
	}
	p, err := r.db.AdapterPause(context.Background(), pipedrive.Name)
	if err != nil || p.Until.Sub(sum.PausedUntil).Abs() > time.Second || p.Kind != syncd.PauseDailyBudget {
		t.Fatalf("the pause (the report's alarm) is not stored: %+v %v", p, err)
	}
	if n := r.srv.CountRequests("", "/api/v2/", 429); n > 4 {
		t.Fatalf("%d requests answered 429: the adapter kept calling", n)
	}
	for _, op := range allOps(t, r.db) {
		if op.State == syncd.OpDead || op.State == syncd.OpPending && op.Attempts > 1 {
			t.Fatalf("op %d %s after %d attempts", op.ID, op.State, op.Attempts)
		}
	}
}

// TestPipedriveDailyPauseSaysHourlyRetry: Pipedrive's daily requests spent
// (x-daily-requests-left: 0). Status said "PAUSED until 16:00 … it resumes
// by itself when the CRM's day turns", though the pause ends at the next
// full hour and syncd tries again then, hour by hour, Pipedrive not naming
// the midnight its day turns at. The advice now says so.
func TestPipedriveDailyPauseSaysHourlyRetry(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{RateLimit: 1000, DailyLimit: 3})
	enqueueLeads(t, r.db, pipedrive.Name, 0, 5)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "DAILY_BUDGET") {
		t.Fatalf("run = %+v, %v; want a pause for the daily budget", sum, err)
	}
	if wait := sum.PausedUntil.Sub(r.clk.Now()); wait <= 0 || wait > time.Hour {
		t.Fatalf("paused for %v: want until the next full hour", wait)
	}
	hint := syncer.ResumeHint(sum.PauseKind)
	t.Logf("paused until %s: %s. %s", sum.PausedUntil.Format("15:04"), sum.PauseReason, hint)
	if strings.Contains(hint, "day turns") && !strings.Contains(hint, "every full hour") {
		t.Errorf("hint %q: the pause ends at the next full hour, and syncd tries again hour by hour", hint)
	}
	for _, w := range []string{"tries again at the time shown and every full hour after", "resumes by itself"} {
		if !strings.Contains(hint, w) {
			t.Errorf("hint %q: no %q", hint, w)
		}
	}
}
