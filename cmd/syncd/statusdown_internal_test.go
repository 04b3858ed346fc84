package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusSaysSinceWhenTheCRMFails: while every CRM call fails (the CRM
// refusing connections, 503s), status said "hubspot: running" and exited
// 0 all night, the leads piling up behind it. It says since when the CRM
// fails and that the leads wait for it, and past 30 minutes (the README's
// "CRM sync stuck" alert) it needs attention: exit 5. It said to give up
// the batch with syncd outbox give-up when syncd crm check passes; but the
// syncer runs that check itself at each failed call, and tells one batch
// the CRM never takes apart (ONE BATCH STUCK): a check that passes now
// means the CRM is back, and giving up then set aside leads about to go.
func TestStatusSaysSinceWhenTheCRMFails(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ago       time.Duration
		attention bool
		line      string
	}{
		{5 * time.Minute, false, "adapters      hubspot: running; every CRM call failing since 2025-01-02 09:14:03 +01:00 (5m ago), retried by itself"},
		{45 * time.Minute, true, "adapters      hubspot: CRM FAILING since 2025-01-02 08:34:03 +01:00 (45m ago): no answer, 429 or 5xx to every call;" +
			" the 12 pending wait and go out by themselves once it answers (why: the log, \"crm call failed as a whole\")\n" +
			"                syncd runs the account check when a call gets no answer or a 502-504, and a batch the CRM never takes" +
			" while it answers shows as ONE BATCH STUCK: this is the CRM down or limiting; if syncd crm check reads the account now" +
			" (exit 0, or 2 naming problems to fix), the CRM is back: what waits goes at the next try"},
	} {
		m := metrics.New("1.4.0")
		m.Now = func() time.Time { return t0 }
		if err := m.WatchOutbox(func(context.Context) ([]metrics.OutboxDepth, error) {
			return []metrics.OutboxDepth{{Target: "hubspot", Pending: 12, Done: 40, OldestPending: t0.Add(-c.ago)}}, nil
		}, 0); err != nil {
			t.Fatal(err)
		}
		m.SetPaused("hubspot", false)
		m.CRMFailing("hubspot", t0.Add(-c.ago))
		m.SyncSucceeded("hubspot", t0.Add(-c.ago))
		m.DaemonStarted("/var/lib/syncd/syncd.db", 4242, t0.Add(-26*time.Hour))
		s := snapshotOver(t, m)
		var b bytes.Buffer
		if err := writeStatus(&b, cph, s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.line) || s.needsAttention() != c.attention {
			t.Errorf("failing for %s: needs attention %v, want %v; got\n%s\nwant the line\n%s", c.ago, s.needsAttention(), c.attention, b.String(), c.line)
		}
		// Once it answers again, it is running.
		m.CRMFailing("hubspot", time.Time{})
		b.Reset()
		s = snapshotOver(t, m)
		if err := writeStatus(&b, cph, s); err != nil || !strings.Contains(b.String(), "adapters      hubspot: running\n") || s.needsAttention() {
			t.Errorf("answering again: needs attention %v\n%s", s.needsAttention(), b.String())
		}
	}
}
