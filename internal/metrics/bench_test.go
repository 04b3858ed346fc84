package metrics

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkBareCounter is the baseline: one Inc on a prebuilt counter, the
// least any recording can cost. Compare ObserveIntake and CRMRequest to it.
func BenchmarkBareCounter(b *testing.B) {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "x_total", Help: "x"})
	for b.Loop() {
		c.Inc()
	}
}

// BenchmarkObserveIntake is the per-webhook cost: two label lookups, two
// counter increments and one histogram observation.
func BenchmarkObserveIntake(b *testing.B) {
	m := New("")
	for b.Loop() {
		m.ObserveIntake("lokalebasen", OutcomeAccepted, 3*time.Millisecond)
	}
}

// BenchmarkCRMRequest is the per-CRM-call cost.
func BenchmarkCRMRequest(b *testing.B) {
	m := New("")
	for b.Loop() {
		m.CRMRequest("hubspot", "upsert_contact", 200, 120*time.Millisecond)
	}
}

// BenchmarkScrape renders a full /metrics page with an outbox of two
// targets (the outbox query itself stubbed out).
func BenchmarkScrape(b *testing.B) {
	m := New("")
	if err := m.WatchOutbox(func(context.Context) ([]OutboxDepth, error) {
		return []OutboxDepth{{Target: "hubspot", Pending: 3}, {Target: "pipedrive"}}, nil
	}, 0); err != nil {
		b.Fatal(err)
	}
	for _, src := range []string{"lokalebasen", "eaf"} {
		m.ObserveIntake(src, OutcomeAccepted, time.Millisecond)
		m.Rejected(src, "auth")
	}
	h := m.Handler()
	for b.Loop() {
		w := discardResponse{h: make(map[string][]string)}
		h.ServeHTTP(w, newRequest(b))
	}
}
