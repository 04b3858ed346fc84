package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var rssEvents = flag.Int("rss.events", 1_000_000, "events BenchmarkIntakeRSS stores")

// BenchmarkIntakeRSS stores -rss.events unique ~700-byte events through the
// intake writer (as the daemon opens the store) from 64 goroutines and
// prints the process's resident memory every 100,000 events, and the
// largest after the first 100,000 as a ratio of it; and the latency of
// Store over the whole run (50th and 99th percentiles, the largest):
//
//	go test ./internal/sqlite -run '^$' -bench IntakeRSS -benchtime 1x
func BenchmarkIntakeRSS(b *testing.B) {
	for b.Loop() {
		db, err := sqlite.Open(context.Background(), b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
		if err != nil {
			b.Fatal(err)
		}
		in := db.NewIntake(sqlite.IntakeOptions{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { in.Run(ctx); close(done) }()
		body := []byte(strings.Repeat("x", 700))
		var seq atomic.Int64
		var at100k, peak int64
		var mu sync.Mutex
		var wg sync.WaitGroup
		var lat latencies
		for range 64 {
			wg.Go(func() {
				var mine latencies
				defer func() { mu.Lock(); lat.add(&mine); mu.Unlock() }()
				for n := seq.Add(1); n <= int64(*rssEvents); n = seq.Add(1) {
					inc := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
						Key: fmt.Sprintf("sha256:%064d", n), Body: body, Parse: syncd.ParseStrict}
					start := time.Now()
					if _, err := in.Store(ctx, inc); err != nil {
						b.Error(err)
						return
					}
					mine.record(time.Since(start))
					if n%100_000 == 0 {
						rss := rssKB()
						mu.Lock()
						if n == 100_000 {
							at100k = rss
						} else {
							peak = max(peak, rss)
						}
						mu.Unlock()
						b.Logf("%8d events: RSS %.1f MB", n, float64(rss)/1024)
					}
				}
			})
		}
		wg.Wait()
		cancel()
		<-done
		db.Close()
		b.Logf("Store latency: p50 %v, p99 %v, max %v", lat.quantile(0.50), lat.quantile(0.99), lat.max)
		b.ReportMetric(float64(lat.quantile(0.99))/1e6, "p99-ms")
		b.ReportMetric(float64(lat.max)/1e6, "max-ms")
		if at100k > 0 {
			b.Logf("largest RSS after 100k events / RSS at 100k: %.2f", float64(peak)/float64(at100k))
			b.ReportMetric(float64(peak)/float64(at100k), "rss-peak/rss-100k")
		}
	}
}

// rssKB is the process's resident set in KiB, from /proc/self/status.
func rssKB() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			fmt.Sscan(v, &kb)
			return kb
		}
	}
	return 0
}

// latencies is a histogram of durations in buckets 5% apart, from 1 µs:
// percentiles of a million calls without keeping them.
type latencies struct {
	n     [400]int64
	total int64
	max   time.Duration
}

func latencyBucket(d time.Duration) int {
	i := 0
	for b := float64(time.Microsecond); float64(d) > b && i < 399; b *= 1.05 {
		i++
	}
	return i
}

func (l *latencies) record(d time.Duration) {
	l.n[latencyBucket(d)]++
	l.total++
	l.max = max(l.max, d)
}

func (l *latencies) add(o *latencies) {
	for i, c := range o.n {
		l.n[i] += c
	}
	l.total += o.total
	l.max = max(l.max, o.max)
}

// quantile returns the upper bound of the bucket holding quantile q.
func (l *latencies) quantile(q float64) time.Duration {
	want, seen := int64(q*float64(l.total)), int64(0)
	b := float64(time.Microsecond)
	for i := range l.n {
		if seen += l.n[i]; seen > want {
			break
		}
		b *= 1.05
	}
	return time.Duration(b).Round(10 * time.Microsecond)
}
