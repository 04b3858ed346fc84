package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

var (
	e2eLeads   = flag.Int("e2e.leads", 30000, "leads posted by BenchmarkPipeline")
	e2eClients = flag.String("e2e.clients", "64,8", "concurrent clients of each BenchmarkPipeline round")
	e2eProfile = flag.String("e2e.cpuprofile", "", "write each round's labelled CPU profile to this file plus -CLIENTS")
)

const benchToken = "bench-lokalebasen-token-0123"

// BenchmarkPipeline runs the daemon as `syncd serve` wires it (receiver,
// intake writer, mapping worker, syncer) against crmfake's HubSpot with no
// rate limit, posts -e2e.leads unique Lokalebasen leads over loopback from
// each number of clients in -e2e.clients, and waits until every lead's
// contact and deal are in crmfake:
//
//	go test ./cmd/syncd -run '^$' -bench Pipeline -benchtime 1x -timeout 60m
//
// It prints the intake rate and latency (with mapping and sync running
// during the load), the same clients against the receiver with persistence
// switched off (the HTTP ceiling), the end-to-end rate, and the daemon's
// CPU per lead by stage, from a CPU profile labelled per stage.
func BenchmarkPipeline(b *testing.B) {
	for b.Loop() {
		for _, c := range strings.Split(*e2eClients, ",") {
			var clients int
			fmt.Sscan(c, &clients)
			b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { pipelineRound(b, clients) })
		}
	}
}

func pipelineRound(b *testing.B, clients int) {
	ceiling := postLeads(b, ceilingURL(b), clients, *e2eLeads, 0)
	fake, url := benchDaemon(b)
	var prof bytes.Buffer
	if err := pprof.StartCPUProfile(&prof); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var intake loadResult
	pprof.Do(context.Background(), pprof.Labels("stage", "client"), func(context.Context) {
		intake = postLeads(b, url, clients, *e2eLeads, 1_000_000)
		waitDelivered(b, fake, *e2eLeads)
	})
	total := time.Since(start)
	pprof.StopCPUProfile()
	checkCRM(b, fake, *e2eLeads)
	if *e2eProfile != "" {
		os.WriteFile(fmt.Sprintf("%s-%d", *e2eProfile, clients), prof.Bytes(), 0o644)
	}
	stages := stageCPU(b, &prof)
	printRound(b, clients, ceiling, intake, total, stages)
}

func printRound(b *testing.B, clients int, ceiling, intake loadResult, total time.Duration, stages map[string]time.Duration) {
	n := float64(intake.n)
	e2e := n / total.Seconds()
	b.Logf("%d clients, %d leads (machine shared: read the ratios)", clients, intake.n)
	b.Logf("  HTTP ceiling      %8.0f leads/s  p50 %6.2f ms  p99 %6.2f ms", ceiling.rate(), ms(ceiling.p50), ms(ceiling.p99))
	b.Logf("  intake (pipeline) %8.0f leads/s  p50 %6.2f ms  p99 %6.2f ms  = %.2f x ceiling",
		intake.rate(), ms(intake.p50), ms(intake.p99), intake.rate()/ceiling.rate())
	b.Logf("  end to end        %8.0f leads/s (last lead in crmfake after %.1f s)  = %.2f x intake",
		e2e, total.Seconds(), e2e/intake.rate())
	var daemon time.Duration
	for _, s := range daemonStages {
		daemon += stages[s]
	}
	b.Logf("  daemon CPU per lead %.1f µs: %s", us(daemon)/n, stageLine(stages, n))
	b.Logf("  not the daemon's: client %.1f µs, crmfake %.1f µs per lead", us(stages["client"])/n, us(stages["crmfake"])/n)
	b.ReportMetric(intake.rate()/ceiling.rate(), "intake/ceiling")
	b.ReportMetric(e2e/intake.rate(), "e2e/intake")
	b.ReportMetric(ms(intake.p99), "intake-p99-ms")
	b.ReportMetric(us(daemon)/n, "daemon-µs/lead")
}

// daemonStages are the daemon's stages in the CPU split: intake (HTTP and
// the intake writer), mapping (rules), outbox (the mapper's and the
// syncer's store work: reading events, writing ops, claiming, finishing),
// sync (CRM calls), other (runtime work outside any goroutine of the
// daemon, mostly the garbage collector, shared with client and crmfake).
var daemonStages = []string{"intake", "mapping", "outbox", "sync", "other"}

func stageLine(stages map[string]time.Duration, n float64) string {
	var parts []string
	for _, s := range daemonStages {
		parts = append(parts, fmt.Sprintf("%s %.1f", s, us(stages[s])/n))
	}
	return strings.Join(parts, ", ")
}

// stageCPU sums the profile's samples by the stage label; store work of
// the mapper and the syncer counts as outbox.
func stageCPU(b *testing.B, prof *bytes.Buffer) map[string]time.Duration {
	p, err := profile.Parse(prof)
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]time.Duration{}
	for _, s := range p.Sample {
		stage := "other"
		if l := s.Label["stage"]; len(l) > 0 {
			stage = l[0]
		}
		if (stage == "mapping" || stage == "sync") && inStore(s) {
			stage = "outbox"
		}
		if stage == "report" {
			stage = "other"
		}
		out[stage] += time.Duration(s.Value[1])
	}
	return out
}

func inStore(s *profile.Sample) bool {
	for _, loc := range s.Location {
		for _, line := range loc.Line {
			if name := line.Function.Name; strings.Contains(name, "internal/sqlite.") || strings.Contains(name, "go-sqlite3") {
				return true
			}
		}
	}
	return false
}

// benchDaemon starts the daemon on a fresh data directory, syncing to a
// fresh crmfake HubSpot without rate limits; both stop with the benchmark.
func benchDaemon(b *testing.B) (*crmfake.Server, string) {
	fake := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: "bench-token"})
	var fakeURL string
	pprof.Do(context.Background(), pprof.Labels("stage", "crmfake"), func(context.Context) { fakeURL = fake.Start() })
	b.Cleanup(func() { fake.Close() })
	dir := b.TempDir()
	maps, _ := filepath.Abs("../../mappings/hubspot")
	file := filepath.Join(dir, "syncd.yaml")
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
data_dir: %s
sources:
  lokalebasen: {kind: lokalebasen, tokens: [%s]}
mapping: {dir: %s}
crm:
  kind: hubspot
  hubspot: {base_url: %s, token: bench-token, requests: 1000000, window: 1s}
sync: {schedule: "@every 1s", prompt_delay: 100ms}
`, filepath.Join(dir, "data"), benchToken, maps, fakeURL)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(file, os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	logs, err := os.Create(filepath.Join(dir, "syncd.log"))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d, err := newDaemon(ctx, file, cfg, daemonLogger(logs, cfg), false)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); d.run(ctx, ln) }()
	b.Cleanup(func() { cancel(); <-done; d.db.Close(); logs.Close() })
	return fake, "http://" + ln.Addr().String() + "/hooks/lokalebasen/" + benchToken
}

// ceilingURL serves the receiver over a store that keeps nothing.
func ceilingURL(b *testing.B) string {
	rc := webhook.New(webhook.Options{
		Store:   &discardStore{},
		Sources: []webhook.Source{{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{benchToken}}},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: rc.Handler()}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/hooks/lokalebasen/" + benchToken
}

type discardStore struct{ n atomic.Int64 }

func (d *discardStore) Store(context.Context, syncd.Incoming) (syncd.Receipt, error) {
	return syncd.Receipt{Outcome: syncd.Accepted, ID: d.n.Add(1)}, nil
}

type loadResult struct {
	n        int
	took     time.Duration
	p50, p99 time.Duration
}

func (r loadResult) rate() float64 { return float64(r.n) / r.took.Seconds() }

// postLeads posts n unique leads (numbered from first) from clients
// concurrent clients and measures each answer.
func postLeads(b *testing.B, url string, clients, n, first int) loadResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var seq atomic.Int64
	lat := make([][]time.Duration, clients)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := seq.Add(1); i <= int64(n); i = seq.Add(1) {
				t0 := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(benchLead(int64(first)+i)))
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
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	r := loadResult{took: time.Since(start)}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r.n = len(all)
	if r.n != n {
		b.Fatalf("%d of %d leads acknowledged", r.n, n)
	}
	r.p50, r.p99 = all[r.n/2], all[r.n*99/100]
	return r
}

// benchLead is a realistic Lokalebasen enquiry of about 700 bytes, with its
// own client email per n.
func benchLead(n int64) []byte {
	return fmt.Appendf(nil, `{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"%d","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"client"},"client":{"email":"client%d@example.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms. Reference %d."}}`, 20000+n%5000, n, n)
}

// waitDelivered waits until crmfake holds n contacts and n deals (checkCRM
// then checks that they are the right ones). It polls crmfake's counts: the
// outbox's counts cost a scan of the table every poll, CPU taken from the
// daemon being measured.
func waitDelivered(b *testing.B, fake *crmfake.Server, n int) {
	deadline := time.Now().Add(20 * time.Minute)
	for {
		contacts, deals := fake.Count()
		if contacts >= n && deals >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("crmfake holds %d contacts and %d deals of %d after 20 minutes", contacts, deals, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func checkCRM(b *testing.B, fake *crmfake.Server, n int) {
	s := fake.State()
	if len(s.Contacts) != n || len(s.Deals) != n {
		b.Fatalf("crm holds %d contacts and %d deals, want %d each", len(s.Contacts), len(s.Deals), n)
	}
	if dups := s.Duplicates(); len(dups) > 0 {
		b.Fatalf("duplicates in the CRM: %v", dups[:min(len(dups), 5)])
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
