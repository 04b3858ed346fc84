package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusTellsNoPaceWhileTheCRMSendsNothing: the CRM went down a
// minute after the daemon had sent four operations, and two leads came
// in. Status said, beside "every CRM call failing", that "the 2 pending
// go in about 1m at that pace": the pace of what went before the outage,
// as if they were going. While the adapter is paused or every call fails
// it now tells no pace (the adapters line says why they wait), nor
// between runs; while a run sends, it still does.
func TestStatusTellsNoPaceWhileTheCRMSendsNothing(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 0, 35, 36, 0, time.UTC)
	snap := func(hold func(*AdapterStatus)) Snapshot {
		s := Snapshot{At: at, OutboxKnown: true,
			Outbox: []metrics.OutboxDepth{{Target: "hubspot", Pending: 2, Done: 4, OldestPending: at.Add(-25 * time.Second)}},
			Sent:   map[string]sentRecently{"hubspot": {N: 4, Since: at.Add(-88 * time.Second), Running: at.Add(-5 * time.Second)}},
			Adapters: []AdapterStatus{{Name: "hubspot", LastSync: at.Add(-28 * time.Second),
				Checked: true}}}
		hold(&s.Adapters[0])
		return s
	}
	if out := statusText(t, snap(func(*AdapterStatus) {})); !strings.Contains(out, "the 2 pending go in about") {
		t.Errorf("sending: no pace told\n%s", out)
	}
	between := snap(func(*AdapterStatus) {})
	between.Sent["hubspot"] = sentRecently{N: 4, Since: at.Add(-88 * time.Second)} // no run under way
	if out := statusText(t, between); strings.Contains(out, "sending:") {
		t.Errorf("between runs: status tells a pace of sending\n%s", out)
	}
	for what, hold := range map[string]func(*AdapterStatus){
		"every CRM call failing": func(a *AdapterStatus) { a.FailingSince = at.Add(-17 * time.Second) },
		"rate-limited": func(a *AdapterStatus) {
			a.FailingSince, a.FailingWhy = at.Add(-17*time.Second), "429 Too Many Requests, Retry-After 1m0s"
		},
		"paused": func(a *AdapterStatus) {
			a.Paused, a.PausedUntil, a.PauseReason = true, at.Add(time.Minute), "CRM authentication: 401"
		},
	} {
		out := statusText(t, snap(hold))
		if strings.Contains(out, "sending:") || strings.Contains(out, "at that pace") {
			t.Errorf("%s: status tells a pace of sending\n%s", what, out)
		}
		if !strings.Contains(out, "hubspot: 2 pending") {
			t.Errorf("%s: the pending not said\n%s", what, out)
		}
	}
}
