package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestGiveUpSaysWhyItRefused: outbox give-up of an operation a syncer is
// sending now, or of one for a CRM crm.kind no longer names, says so and
// what to do (run it again after the lease; outbox drop), not "not found".
func TestGiveUpSaysWhyItRefused(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		op   syncd.Op
		code int
		want string
	}{
		{syncd.Op{ID: 7, Target: "hubspot", State: syncd.OpPending, LeaseUntil: now.Add(time.Minute)}, exitNotFound,
			"operation 7 is being sent now (a syncer holds it until 2025-01-02 09:01:00 +01:00): the CRM may yet take it;"},
		{syncd.Op{ID: 8, Target: "pipedrive", State: syncd.OpPending}, exitUsage,
			"operation 8 is for pipedrive, which crm.kind (hubspot) no longer names: nothing sends it; syncd outbox drop -crm pipedrive"},
		{syncd.Op{ID: 9, Target: "hubspot", State: syncd.OpDone, CRMID: "c-9"}, exitNotFound,
			"operation 9 is done: it reached the CRM (crm id c-9)"},
	} {
		why, code := notGivenUp(c.op, "hubspot", cph, now)
		if code != c.code || !strings.Contains(why, c.want) {
			t.Errorf("op %d: exit %d, %q; want exit %d, %q", c.op.ID, code, why, c.code, c.want)
		}
	}
}

// TestWhatWaitsClaimsNothingWaitedBehind: after a give-up, with a daemon
// serving and other operations still pending, the line said "what waited
// behind it goes at the daemon's next try", also when nothing waited behind
// the operation given up (a deal, whose contact was still pending: the
// trial of the outbox by hand). It says when the pending ones go, and no
// more than the count tells.
func TestWhatWaitsClaimsNothingWaitedBehind(t *testing.T) {
	t.Parallel()
	for _, w := range []serving{{shared: false}, {shared: true}} {
		got := whatWaits(2, false, false, w)
		if strings.Contains(got, "waited behind it") || !strings.Contains(got, "2 operations still pending: they go at "+w.whose("next try")) {
			t.Errorf("whatWaits(2, daemon serving, shared %v) = %q", w.shared, got)
		}
	}
}

// TestWhatWaitsSaysACoolDownOnlyWhileTheCRMFails: the line said the next
// try might be "up to 10 minutes away while it cools down after a failed
// call" with the CRM answering every call (the PostgreSQL trial). It says
// so only while the CRM fails every call.
func TestWhatWaitsSaysACoolDownOnlyWhileTheCRMFails(t *testing.T) {
	t.Parallel()
	const cooling = "cools down after a failed call"
	if got := whatWaits(2, false, false, serving{}); strings.Contains(got, cooling) {
		t.Errorf("the CRM answering: %q", got)
	}
	if got := whatWaits(2, false, true, serving{}); !strings.Contains(got, cooling) {
		t.Errorf("the CRM failing every call: %q; want the cool-down said", got)
	}
}
