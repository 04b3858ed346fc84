package main

import (
	"context"
	"fmt"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// sentRecently is what the daemon's syncer finished of one CRM target in
// the last metrics.SentWindow: N operations, the first at Since; and since
// when the sync run under way sends (Running; zero between runs).
type sentRecently struct {
	N       int
	Since   time.Time
	Running time.Time
}

// FinishAndClaimOps records finished and claims the next batch, counting
// the finished ones (done or dead) in the metrics: the pace status tells.
func (s observedStore) FinishAndClaimOps(ctx context.Context, finished []syncd.Op, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) ([]syncd.Op, error) {
	ops, err := s.store.FinishAndClaimOps(ctx, finished, target, kind, limit, lease)
	if err == nil {
		s.countFinished(finished)
	}
	return ops, err
}

// FinishOps records ops, counting the finished ones in the metrics.
func (s observedStore) FinishOps(ctx context.Context, ops []syncd.Op) error {
	err := s.store.FinishOps(ctx, ops)
	if err == nil {
		s.countFinished(ops)
	}
	return err
}

// countFinished tells the metrics how many of ops, per target, are done or
// dead (not those rescheduled).
func (s observedStore) countFinished(ops []syncd.Op) {
	n := map[string]int{}
	for _, op := range ops {
		if op.State == syncd.OpDone || op.State == syncd.OpDead {
			n[op.Target]++
		}
	}
	for target, k := range n {
		s.m.OpsFinished(target, k)
	}
}

// sentFrom reads what the daemon's syncer finished lately, per target;
// nil when it exports none.
func sentFrom(fams map[string]*dto.MetricFamily) map[string]sentRecently {
	if len(fams[metrics.NameOutboxSent].GetMetric()) == 0 {
		return nil
	}
	out := map[string]sentRecently{}
	for _, m := range fams[metrics.NameOutboxSent].GetMetric() {
		r := out[label(m, "target")]
		r.N = int(value(m))
		out[label(m, "target")] = r
	}
	for _, m := range fams[metrics.NameOutboxSentSince].GetMetric() {
		r := out[label(m, "target")]
		if v := value(m); v > 0 {
			r.Since = unixTime(v)
		}
		out[label(m, "target")] = r
	}
	for _, m := range fams[metrics.NameSyncRunning].GetMetric() {
		if r, ok := out[label(m, "adapter")]; ok {
			r.Running = unixTime(value(m))
			out[label(m, "adapter")] = r
		}
	}
	return out
}

// paceLine says, of pending operations the daemon is sending, how many it
// sent in the last 10 minutes and when, at that pace, the pending will
// have gone: a drain after an outage runs for hours as one sync run, whose
// last sync is recorded at its end, and status showed the last sync hours
// old and no sign of an end. "" when nothing is pending or was sent, and
// when no run sends (between runs, or the CRM failing every call: failing):
// the last run's few operations are no pace of what waits.
func paceLine(pending int, r sentRecently, sendsNothing bool, at time.Time) string {
	if pending <= 0 || r.N <= 0 || r.Since.IsZero() || r.Running.IsZero() || sendsNothing || at.IsZero() {
		return ""
	}
	over := max(at.Sub(r.Since), time.Minute) // a first batch alone is no pace
	perMinute := float64(r.N) / over.Minutes()
	left := time.Duration(float64(pending) / perMinute * float64(time.Minute))
	return fmt.Sprintf("  sending: %s in the last %s (%s a minute): the %s pending go in about %s at that pace",
		thousandsOf(r.N)+" "+syncd.Noun(r.N, "operation finished", "operations finished"), age(min(at.Sub(r.Since), metrics.SentWindow).Round(time.Second)),
		thousandsOf(int(perMinute+0.5)), thousandsOf(pending), age(max(left, time.Minute).Round(time.Minute)))
}

// thousandsOf is n with thousands separators (86,000).
func thousandsOf(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
