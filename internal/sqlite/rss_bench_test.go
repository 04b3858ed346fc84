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

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var rssEvents = flag.Int("rss.events", 1_000_000, "events BenchmarkIntakeRSS stores")

// BenchmarkIntakeRSS stores -rss.events unique ~700-byte events through the
// intake writer (as the daemon opens the store) from 64 goroutines and
// prints the process's resident memory every 100,000 events, and the
// largest after the first 100,000 as a ratio of it:
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
		for range 64 {
			wg.Go(func() {
				for n := seq.Add(1); n <= int64(*rssEvents); n = seq.Add(1) {
					inc := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
						Key: fmt.Sprintf("sha256:%064d", n), Body: body, Parse: syncd.ParseStrict}
					if _, err := in.Store(ctx, inc); err != nil {
						b.Error(err)
						return
					}
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
