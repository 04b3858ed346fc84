package main

import (
	"context"
	"flag"
	"io"
	"runtime"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

var listEventsN = flag.Int("list.events", 100_000, "events BenchmarkEventsListAll lists")

// heapSpy is a store that notes the most heap in use after any read of a
// listing: what the listing holds at once.
type heapSpy struct {
	store
	peak uint64
}

func (s *heapSpy) Events(ctx context.Context, f syncd.EventFilter) ([]syncd.Event, error) {
	evs, err := s.store.Events(ctx, f)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.peak = max(s.peak, m.HeapInuse)
	return evs, err
}

// BenchmarkEventsListAll lists -list.events events of about 700 bytes
// (`syncd events list -limit 0`) a page at a time, as the command does,
// against one read of them all, the way it listed them before; it reports
// the heap in use after the reads (peak-MB):
//
//	go test ./cmd/syncd -run '^$' -bench EventsListAll -benchtime 3x
func BenchmarkEventsListAll(b *testing.B) {
	db := listingDB(b, *listEventsN, 0, 640)
	ctx := context.Background()
	all := syncd.EventFilter{Newest: true}
	for _, mode := range []string{"one-read", "pages"} {
		b.Run(mode, func(b *testing.B) {
			spy := &heapSpy{store: db}
			c := &cli{stdout: io.Discard, stderr: io.Discard}
			for b.Loop() {
				runtime.GC()
				if mode == "pages" {
					if code := c.listEvents(ctx, spy, cph, all, 0, false); code != exitOK {
						b.Fatalf("exit %d", code)
					}
					continue
				}
				evs, err := spy.Events(ctx, all)
				if err != nil || len(evs) != *listEventsN {
					b.Fatalf("%d events, %v", len(evs), err)
				}
				c.printEvents(cph, evs, false, true)
			}
			b.ReportMetric(float64(spy.peak)/(1<<20), "peak-MB")
		})
	}
}
