package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

var (
	e2eLeads   = flag.Int("e2e.leads", 30000, "leads posted by BenchmarkPipeline")
	e2eClients = flag.String("e2e.clients", "64,8", "concurrent clients of each BenchmarkPipeline round")
	e2eProfile = flag.String("e2e.cpuprofile", "", "write each round's labelled CPU profile to this file plus -CLIENTS")
	e2eSync    = flag.String("e2e.sync", `{schedule: "@every 1s", prompt_delay: 100ms}`, "the daemon's sync: section in BenchmarkPipeline "+
		"(\"{}\": the shipped defaults, a run 5 s after new operations)")
	e2eEmails = flag.String("e2e.emails", "ordered", "the leads' client emails: ordered (client1@, client2@, … as the earlier sessions measured) or scattered (in no order, as real clients' are)")
)

const benchToken = "bench-lokalebasen-token-0123"

// BenchmarkPipeline runs the daemon as `syncd serve` wires it (receiver,
// intake writer, mapping worker, syncer) against crmfake's HubSpot with no
// rate limit, posts -e2e.leads unique Lokalebasen leads over loopback from
// each number of clients in -e2e.clients, and waits until every lead's
// contact and deal are in crmfake. The load client and crmfake run in
// processes of their own (as wrk and a CRM would), so the daemon's CPU is
// its process's own and no client pauses for the daemon's garbage
// collector:
//
//	go test ./cmd/syncd -run '^$' -bench Pipeline -benchtime 1x -timeout 60m
//
// It prints the intake rate and latency (with mapping and sync running
// during the load), the same clients against the receiver with persistence
// switched off (the HTTP ceiling), the end-to-end rate, and the daemon's
// CPU per lead (getrusage) split by stage, from a CPU profile labelled per
// stage.
//
// The leads' client emails follow their numbers (client1@example.com,
// client2@…), so each contact's rows go into the store's indexes of keys in
// order, near the last one, a few pages for a whole burst. Real clients'
// emails come in no order: -e2e.emails scattered gives each lead an email
// of the same length whose order is unrelated to its number, so that each
// key lands on a page of its own, as in production.
func BenchmarkPipeline(b *testing.B) {
	if *e2eEmails != "ordered" && *e2eEmails != "scattered" {
		b.Fatalf("-e2e.emails %q: give ordered or scattered", *e2eEmails)
	}
	for b.Loop() {
		for _, c := range strings.Split(*e2eClients, ",") {
			var clients int
			fmt.Sscan(c, &clients)
			b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { pipelineRound(b, clients) })
		}
	}
}

func pipelineRound(b *testing.B, clients int) {
	ceilCPU0 := processCPU()
	ceiling := postLeads(b, ceilingURL(b), clients, *e2eLeads, 0)
	ceilingCPU := processCPU() - ceilCPU0
	disk := diskSyncs(b, b.TempDir(), 500)
	crm, crmPID := benchCRM(b)
	url, db := benchDaemon(b, crm)
	var prof bytes.Buffer
	if err := pprof.StartCPUProfile(&prof); err != nil {
		b.Fatal(err)
	}
	start, cpu0, txs0, heap0 := time.Now(), processCPU(), db.Transactions(), readHeap()
	crm0, busy0 := childCPU(crmPID), machineBusy()
	debug.FreeOSMemory() // what the ceiling round and an earlier round's checks held is not the daemon's
	rss := sampleRSS(50 * time.Millisecond)
	var intake loadResult
	var busy1 busyTicks
	pprof.Do(context.Background(), pprof.Labels("stage", "client"), func(context.Context) {
		intake = postLeads(b, url, clients, *e2eLeads, 1_000_000)
		busy1 = machineBusy()
		waitDelivered(b, crm, *e2eLeads)
	})
	total, cpu, txs, heap := time.Since(start), processCPU()-cpu0, db.Transactions(), readHeap()
	crmCPU, busy2 := childCPU(crmPID)-crm0, machineBusy()
	roundRSS := rss()
	pprof.StopCPUProfile()
	checkCRM(b, crm, *e2eLeads)
	if *e2eProfile != "" {
		os.WriteFile(fmt.Sprintf("%s-%d", *e2eProfile, clients), prof.Bytes(), 0o644)
	}
	stages := stageCPU(b, &prof)
	printRound(b, clients, ceiling, ceilingCPU, intake, total, cpu, stages)
	b.Logf("  daemon RSS at most %.0f MB during the round (sampled every 50 ms until the last lead was in crmfake); "+
		"the process's peak since it began %.0f MB (the ceiling rounds and the checks of crmfake's state included)", roundRSS, peakRSS())
	b.ReportMetric(roundRSS, "rss-MB")
	printOthers(b, intake, crmCPU, busy0, busy1, busy2)
	b.Logf("  the disk alone, just before the round: fdatasync after a 4 KiB append p50 %.2f ms, p99 %.2f ms (%d in a row, where the daemon's data directory is)",
		ms(disk.P50), ms(disk.P99), disk.N)
	b.ReportMetric(ms(disk.P99), "disk-fsync-p99-ms")
	// One line for both: go test prints ten lines of a benchmark's log at
	// most, and says "[output truncated]" at the tenth.
	b.Logf("  transactions: %s; %s", transactionsText(txs0, txs), heapText(b, heap0, heap, intake.N))
}

// heapCounts are the process's heap allocations and collections so far.
type heapCounts struct{ bytes, objects, cycles uint64 }

// readHeap reads heapCounts from runtime/metrics (no stop of the world).
func readHeap() heapCounts {
	m := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/allocs:objects"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(m)
	return heapCounts{m[0].Value.Uint64(), m[1].Value.Uint64(), m[2].Value.Uint64()}
}

// heapText says what the round allocated per lead and how many
// collections it took (and reports allocs/lead): the daemon's, with the
// benchmark's polling of crmfake (a few small requests a second) beside it.
func heapText(b *testing.B, before, after heapCounts, n int) string {
	per := func(v uint64) float64 { return float64(v) / float64(max(n, 1)) }
	b.ReportMetric(per(after.objects-before.objects), "allocs/lead")
	return fmt.Sprintf("heap allocated per lead %.1f KiB in %.0f objects, %d garbage collections",
		per(after.bytes-before.bytes)/1024, per(after.objects-before.objects), after.cycles-before.cycles)
}

// transactionsText says the writers' transactions during a round and what
// each held on average: a commit's fixed work is shared among them.
func transactionsText(before, after sqlite.Transactions) string {
	each := func(n, of int64) string {
		if n == 0 {
			return "0"
		}
		return fmt.Sprintf("%d (%.1f each)", n, float64(of)/float64(n))
	}
	return fmt.Sprintf("intake %s deliveries, mapping %s events, sync %s operations finished or claimed",
		each(after.Intake-before.Intake, after.Deliveries-before.Deliveries),
		each(after.Mapping-before.Mapping, after.Mapped-before.Mapped),
		each(after.Sync-before.Sync, after.SyncOps-before.SyncOps))
}

// processCPU is the CPU time (user and system) of this process: the daemon.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the most memory this process held resident since it began,
// in MB: the daemon's, and the benchmark's own (the HTTP ceiling's rounds,
// checkCRM's copy of crmfake's whole state).
func peakRSS() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024 // Linux gives kB
}

func printRound(b *testing.B, clients int, ceiling loadResult, ceilingCPU time.Duration, intake loadResult, total, cpu time.Duration, stages map[string]time.Duration) {
	n := float64(intake.N)
	e2e := n / total.Seconds()
	b.Logf("%d clients, %d leads, client emails %s (machine shared: read the ratios)", clients, intake.N, *e2eEmails)
	b.Logf("  HTTP ceiling      %8.0f leads/s  p50 %6.2f ms  p99 %6.2f ms  (%.1f µs CPU per lead: the receiver alone)",
		ceiling.rate(), ms(ceiling.P50), ms(ceiling.P99), us(ceilingCPU)/float64(max(ceiling.N, 1)))
	b.Logf("  intake (pipeline) %8.0f leads/s  p50 %6.2f ms  p99 %6.2f ms  = %.2f x ceiling",
		intake.rate(), ms(intake.P50), ms(intake.P99), intake.rate()/ceiling.rate())
	b.Logf("  end to end        %8.0f leads/s (last lead in crmfake after %.1f s)  = %.2f x intake",
		e2e, total.Seconds(), e2e/intake.rate())
	var profiled time.Duration
	for _, d := range stages {
		profiled += d
	}
	b.Logf("  daemon CPU per lead %.1f µs (its process, getrusage); by stage in proportion to the profile: %s",
		us(cpu)/n, stageLine(stages, profiled, cpu, n))
	b.ReportMetric(intake.rate()/ceiling.rate(), "intake/ceiling")
	b.ReportMetric(e2e/intake.rate(), "e2e/intake")
	b.ReportMetric(ms(intake.P99), "intake-p99-ms")
	b.ReportMetric(us(cpu)/n, "daemon-µs/lead")
	b.ReportMetric(us(ceilingCPU)/float64(max(ceiling.N, 1)), "ceiling-µs/lead")
}

// daemonStages are the daemon's stages in the CPU split: intake (HTTP and
// the intake writer), mapping (rules), outbox (the mapper's and the
// syncer's store work: reading events, writing ops, claiming, finishing),
// sync (CRM calls), other (runtime work outside any goroutine of the
// daemon, mostly the garbage collector).
var daemonStages = []string{"intake", "mapping", "outbox", "sync", "other"}

// stageLine shares the process's CPU among the stages as the profile's
// samples do (the profile misses a little: its own work, threads it did
// not sample).
func stageLine(stages map[string]time.Duration, profiled, cpu time.Duration, n float64) string {
	var parts []string
	for _, s := range daemonStages {
		share := float64(stages[s]) / float64(max(profiled, 1))
		parts = append(parts, fmt.Sprintf("%s %.1f", s, share*us(cpu)/n))
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
		switch stage {
		case "report", "deliveries", "client": // the client stage is the benchmark waiting
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

// benchDaemon starts the daemon on a fresh data directory, syncing to
// crm (crmfake's HubSpot without rate limits); it stops with the benchmark.
// It returns the URL leads are posted to and the daemon's database.
func benchDaemon(b *testing.B, crm string) (string, *sqlite.DB) {
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
sync: %s
`, filepath.Join(dir, "data"), benchToken, maps, crm, *e2eSync)
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
	d, err := newDaemon(ctx, file, cfg, daemonLogger(logs, cfg, file), startFlags{})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); d.run(ctx, ln, nil, nil) }()
	b.Cleanup(func() { cancel(); <-done; d.db.Close(); logs.Close() })
	return "http://" + ln.Addr().String() + "/hooks/lokalebasen/" + benchToken, d.db.store.(*sqlite.DB)
}

// benchCRM runs crmfake's HubSpot, without rate limits, in a process of its
// own (a child of the test binary) and returns its base URL and process id.
func benchCRM(b *testing.B) (string, int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchCRMEnv+"="+addr)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	url := "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, _, err := crmCount(url); err == nil {
			return url, cmd.Process.Pid
		} else if time.Now().After(deadline) {
			b.Fatalf("crmfake did not start: %v", err)
		}
	}
}

// crmCount asks crmfake how many contacts and deals it holds.
func crmCount(url string) (contacts, deals int, err error) {
	var c struct{ Contacts, Deals int }
	err = getJSON(url+"/__admin/count", &c)
	return c.Contacts, c.Deals, err
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
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
	N        int
	Took     time.Duration
	P50, P99 time.Duration
	CPU      time.Duration `json:"-"` // the load client's process, user and system
}

func (r loadResult) rate() float64 { return float64(r.N) / r.Took.Seconds() }

// benchClientEnv and benchCRMEnv, in the environment of a child of the
// test binary, make it BenchmarkPipeline's load client ("URL CLIENTS N
// FIRST"; it prints its loadResult as JSON) or its crmfake (the address to
// serve on, until SIGTERM), before any test runs.
const (
	benchClientEnv = "SYNCD_BENCH_CLIENT"
	benchCRMEnv    = "SYNCD_BENCH_CRM"
)

func init() {
	if spec := os.Getenv(benchClientEnv); spec != "" {
		os.Exit(runBenchClient(spec))
	}
	if addr := os.Getenv(benchCRMEnv); addr != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		fake := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: "bench-token"})
		if err := fake.Run(ctx, addr); err != nil {
			fmt.Fprintln(os.Stderr, "bench crmfake:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// postLeads posts n unique leads (numbered from first) from clients
// concurrent clients, in a process of its own, and measures each answer.
func postLeads(b *testing.B, url string, clients, n, first int) loadResult {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %d %d %s", benchClientEnv, url, clients, n, first, *e2eEmails))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("load client: %v", err)
	}
	var r loadResult
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("load client said %q: %v", out, err)
	}
	r.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if r.N != n {
		b.Fatalf("%d of %d leads acknowledged", r.N, n)
	}
	return r
}

// runBenchClient is the load client's process: it posts the leads spec
// asks for and prints the result.
func runBenchClient(spec string) int {
	var url, emails string
	var clients, n, first int
	if _, err := fmt.Sscan(spec, &url, &clients, &n, &first, &emails); err != nil {
		fmt.Fprintln(os.Stderr, "bench client:", err)
		return 2
	}
	r, err := load(url, clients, n, first, emails == "scattered")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench client:", err)
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(r)
	return 0
}

func load(url string, clients, n, first int, scattered bool) (loadResult, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var seq atomic.Int64
	var failed atomic.Pointer[error]
	lat := make([][]time.Duration, clients)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := seq.Add(1); i <= int64(n) && failed.Load() == nil; i = seq.Add(1) {
				t0 := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(benchLead(int64(first)+i, scattered)))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					failed.Store(&err)
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		return loadResult{}, *err
	}
	r := loadResult{Took: time.Since(start)}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	r.N = len(all)
	if r.N > 0 {
		r.P50, r.P99 = all[r.N/2], all[r.N*99/100]
	}
	return r, nil
}

// benchLead is a realistic Lokalebasen enquiry of about 700 bytes, with its
// own client email per n: client<n>@example.com, or, scattered, c<8 hex
// digits>@example.com, the digits n times an odd constant modulo 2^32 (a
// bijection, so every n up to 2^32 has an email of its own, in no order).
func benchLead(n int64, scattered bool) []byte {
	local := fmt.Sprintf("client%d", n)
	if scattered {
		local = fmt.Sprintf("c%08x", uint32(n)*2654435761)
	}
	return fmt.Appendf(nil, `{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"%d","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"client"},"client":{"email":"%s@example.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms. Reference %d."}}`, 20000+n%5000, local, n)
}

// waitDelivered waits until crmfake holds n contacts and n deals (checkCRM
// then checks that they are the right ones), polling its counts.
func waitDelivered(b *testing.B, crm string, n int) {
	deadline := time.Now().Add(20 * time.Minute)
	for {
		contacts, deals, err := crmCount(crm)
		if err != nil {
			b.Fatal(err)
		}
		if contacts >= n && deals >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("crmfake holds %d contacts and %d deals of %d after 20 minutes", contacts, deals, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func checkCRM(b *testing.B, crm string, n int) {
	var s crmfake.State
	if err := getJSON(crm+"/__admin/state", &s); err != nil {
		b.Fatal(err)
	}
	if len(s.Contacts) != n || len(s.Deals) != n {
		b.Fatalf("crm holds %d contacts and %d deals, want %d each", len(s.Contacts), len(s.Deals), n)
	}
	if dups := s.Duplicates(); len(dups) > 0 {
		b.Fatalf("duplicates in the CRM: %v", dups[:min(len(dups), 5)])
	}
}

// sampleRSS samples this process's resident memory (/proc/self/statm)
// every interval from now until the function it returns is called, which
// gives the most it saw, in MB: the daemon's memory during a round, which
// getrusage's peak cannot tell from what the benchmark's own checks held
// before and after it.
func sampleRSS(interval time.Duration) func() float64 {
	page := float64(os.Getpagesize())
	read := func() float64 {
		data, err := os.ReadFile("/proc/self/statm")
		if err != nil {
			return 0
		}
		var size, resident float64
		fmt.Sscan(string(data), &size, &resident)
		return resident * page / (1 << 20)
	}
	stop, done := make(chan struct{}), make(chan float64)
	go func() {
		most := read()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				most = max(most, read())
			case <-stop:
				done <- max(most, read())
				return
			}
		}
	}()
	return func() float64 {
		close(stop)
		return <-done
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// busyTicks are the machine's busy and total CPU ticks so far (/proc/stat).
type busyTicks struct{ busy, total int64 }

// machineBusy reads busyTicks: every process's, the benchmark's other
// processes and anything else on the machine included.
func machineBusy() busyTicks {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return busyTicks{}
	}
	line, _, _ := strings.Cut(string(data), "\n")
	var t busyTicks
	for i, f := range strings.Fields(line)[1:] {
		var v int64
		fmt.Sscan(f, &v)
		if i < 8 { // user nice system idle iowait irq softirq steal
			t.total += v
			if i != 3 && i != 4 {
				t.busy += v
			}
		}
	}
	return t
}

// share is how busy the machine's CPUs were between two readings, 0 to 1.
func (t busyTicks) share(since busyTicks) float64 {
	return float64(t.busy-since.busy) / float64(max(t.total-since.total, 1))
}

// childCPU is the CPU time (user and system) a running child process has
// used, from /proc (its clock ticks are USER_HZ, 100 a second on Linux).
func childCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(data), ") ") // past the command's name
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// printOthers prints what the benchmark's other processes spent per lead
// (the load client, crmfake), which on this machine share the daemon's
// cores, and how busy the machine was while the leads were posted and
// while the pipeline drained after the last answer.
func printOthers(b *testing.B, intake loadResult, crmCPU time.Duration, before, posted, drained busyTicks) {
	n := float64(max(intake.N, 1))
	b.Logf("  beside the daemon, CPU per lead: load client %.1f µs, crmfake %.1f µs; machine busy %.0f%% while posting, %.0f%% while draining after",
		us(intake.CPU)/n, us(crmCPU)/n, 100*posted.share(before), 100*drained.share(posted))
	b.ReportMetric(us(crmCPU)/n, "crmfake-µs/lead")
}

// diskSyncs appends 4 KiB to a file in dir and fdatasyncs it n times in a
// row, as the intake writer's WAL is, and gives the latencies: the disk's
// own tail, a floor under a durable answer's p99 that no design removes.
func diskSyncs(b *testing.B, dir string, n int) loadResult {
	f, err := os.Create(filepath.Join(dir, "fsync-probe"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, 4096)
	lat := make([]time.Duration, 0, n)
	start := time.Now()
	for range n {
		if _, err := f.Write(page); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	return loadResult{N: n, Took: time.Since(start), P50: lat[n/2], P99: lat[n*99/100]}
}
