package webhook_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

var (
	benchDuration = flag.Duration("intake.duration", 5*time.Second, "how long each intake mode is loaded")
	benchClients  = flag.Int("intake.clients", 64, "concurrent clients")
	benchDurable  = flag.Bool("intake.durable-only", false, "run only the durable mode (for profiling)")
)

// discardStore is persistence switched off: every delivery is "accepted" at
// once. It measures the HTTP ceiling of the same server.
type discardStore struct{ n atomic.Int64 }

func (d *discardStore) Store(_ context.Context, _ syncd.Incoming) (syncd.Receipt, error) {
	return syncd.Receipt{Outcome: syncd.Accepted, ID: d.n.Add(1)}, nil
}

type loadResult struct {
	accepted  int
	perSecond float64
	p50, p99  time.Duration
	cpu       time.Duration // process CPU time (user+system) during the load
}

// cpuTime is the process's CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lbEvent is a realistic Lokalebasen enquiry of about 700 bytes, unique per n.
func lbEvent(n int64) []byte {
	return []byte(fmt.Sprintf(`{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"%d","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"client"},"client":{"email":"client%d@example.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms. Reference %d."}}`, 20000+n%5000, n, n))
}

// load runs clients posting unique events to url for d and measures them.
func load(b *testing.B, url string, clients int, d time.Duration) loadResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var seq atomic.Int64
	lat := make([][]time.Duration, clients)
	deadline := time.Now().Add(d)
	cpu0 := cpuTime()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				body := lbEvent(seq.Add(1))
				start := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				lat[c] = append(lat[c], time.Since(start))
			}
		}(c)
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := loadResult{accepted: len(all), perSecond: float64(len(all)) / d.Seconds(), cpu: cpuTime() - cpu0}
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}

// runMode serves the receiver over store on loopback and loads it.
func runMode(b *testing.B, store webhook.Store) loadResult {
	rc := webhook.New(webhook.Options{
		Store:   store,
		Sources: []webhook.Source{{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{lbToken}}},
		Log:     zerolog.Nop(),
	})
	srv := httptest.NewServer(rc.Handler())
	defer srv.Close()
	return load(b, srv.URL+"/hooks/lokalebasen/"+lbToken, *benchClients, *benchDuration)
}

func runDurable(b *testing.B, maxBatch int) loadResult {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "syncd.db"), sqlite.Options{DeferSync: maxBatch != 1}) // naive: synchronous=FULL, an fsync per commit
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(sqlite.IntakeOptions{MaxBatch: maxBatch})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	r := runMode(b, in)
	cancel()
	<-done
	if n, err := db.CountEvents(context.Background(), sqlite.EventFilter{}); err != nil || n != r.accepted {
		b.Fatalf("%d events stored, %d acknowledged (%v)", n, r.accepted, err)
	}
	return r
}

// BenchmarkIntake loads the same receiver three ways in one run: with
// persistence switched off (the HTTP ceiling), with durable group commit
// (production), and with one commit per request (the naive baseline), and
// reports durable throughput, latency and the two ratios. Run it with
//
//	go test ./internal/webhook -run '^$' -bench Intake -benchtime 1x
//
// (-intake.duration and -intake.clients change the load).
func BenchmarkIntake(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if *benchDurable {
			r := runDurable(b, 0)
			b.Logf("durable %.0f events/s p50 %.2f ms p99 %.2f ms, %.0f µs CPU each", r.perSecond, ms(r.p50), ms(r.p99),
				float64(r.cpu.Microseconds())/float64(max(r.accepted, 1)))
			continue
		}
		ceiling := runMode(b, &discardStore{})
		durable := runDurable(b, 0)
		naive := runDurable(b, 1)
		for _, m := range []struct {
			name string
			r    loadResult
		}{{"ceiling (no persistence)", ceiling}, {"durable (group commit)", durable}, {"naive (commit per request)", naive}} {
			b.Logf("%-28s %8.0f events/s  p50 %6.2f ms  p99 %6.2f ms  (%d events, %.0f µs CPU each, %.0f%% of %d cores busy)",
				m.name, m.r.perSecond, ms(m.r.p50), ms(m.r.p99), m.r.accepted,
				float64(m.r.cpu.Microseconds())/float64(max(m.r.accepted, 1)),
				100*m.r.cpu.Seconds()/benchDuration.Seconds()/float64(runtime.GOMAXPROCS(0)), runtime.GOMAXPROCS(0))
		}
		b.Logf("durable/ceiling %.2f  durable/naive %.1f", durable.perSecond/ceiling.perSecond, durable.perSecond/naive.perSecond)
		b.ReportMetric(durable.perSecond, "durable-events/s")
		b.ReportMetric(ms(durable.p50), "durable-p50-ms")
		b.ReportMetric(ms(durable.p99), "durable-p99-ms")
		b.ReportMetric(ceiling.perSecond, "ceiling-events/s")
		b.ReportMetric(naive.perSecond, "naive-events/s")
		b.ReportMetric(durable.perSecond/ceiling.perSecond, "durable/ceiling")
		b.ReportMetric(durable.perSecond/naive.perSecond, "durable/naive")
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
