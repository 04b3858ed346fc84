package syncer_test

import (
	"context"
	"testing"
	"time"
)

// BenchmarkDrainStore drains 10,000 leads into the in-memory CRM: the cost
// of the outbox store and the syncer alone, the baseline of BenchmarkDrain.
func BenchmarkDrainStore(b *testing.B) {
	const leads = 10000
	for b.Loop() {
		b.StopTimer()
		db := openDB(b, nil)
		enqueueLeads(b, db, "mem", 0, leads)
		s := newSyncer(b, db, newMemCRM(), nil, nil)
		b.StartTimer()
		start := time.Now()
		sum, err := s.RunOnce(context.Background())
		if err != nil || sum.Done != 2*leads {
			b.Fatalf("run = %+v, %v", sum, err)
		}
		b.ReportMetric(leads/time.Since(start).Seconds(), "leads/s")
	}
}
