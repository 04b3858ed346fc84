package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// load posts unique Lokalebasen bodies from clients goroutines until stop
// is closed, and returns the keys of those answered 200, and how many were
// answered 503 with Retry-After; any other answer fails the test.
type load struct {
	mu       sync.Mutex
	acked    []string
	refused  atomic.Int64
	badCodes atomic.Int64
	wg       sync.WaitGroup
	stop     chan struct{}
}

func startLoad(t *testing.T, url string, clients, size int) *load {
	l := &load{stop: make(chan struct{})}
	pad := strings.Repeat("x", size)
	for c := 0; c < clients; c++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				n := fmt.Sprintf("c%d-%d", c, i)
				body := []byte(`{"event_type":"enquiry_created","n":"` + n + `","pad":"` + pad + `"}`)
				resp, err := http.Post(url+"/hooks/lokalebasen/"+e2eLBToken, "application/json", bytes.NewReader(body))
				if err != nil {
					continue
				}
				resp.Body.Close()
				switch {
				case resp.StatusCode == 200:
					l.mu.Lock()
					l.acked = append(l.acked, n)
					l.mu.Unlock()
				case resp.StatusCode == 503 && resp.Header.Get("Retry-After") != "":
					l.refused.Add(1)
					time.Sleep(5 * time.Millisecond)
				default:
					l.badCodes.Add(1)
				}
			}
		}()
	}
	return l
}

func (l *load) finish() []string {
	close(l.stop)
	l.wg.Wait()
	return l.acked
}

func (l *load) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// storedKeys reads the "n" of every event in the database file at path.
func storedKeys(t *testing.T, path string) map[string]bool {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT json_extract(body, '$.n') FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n sql.NullString
		rows.Scan(&n)
		out[n.String] = true
	}
	return out
}

func status(t *testing.T, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitUntil waits for cond, checked every 10 ms (polled), for up to two
// minutes: generous, since eight end-to-end tests run at once on a loaded
// machine (TestDiskFull's 2000 refusals took more than 30 s at a load of
// 50).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	const limit = 2 * time.Minute
	for deadline := time.Now().Add(limit); !polled(cond, 10*time.Millisecond); {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
	}
}

// TestDatabaseLostUnderLoad removes or renames the database file while 8
// clients post: the daemon stops answering 200 (503 with Retry-After),
// /readyz fails, one error is logged, the metric is raised; every event
// answered 200 is in the file (renamed: where it went); a restart refuses
// to start over, and -fresh does.
func TestDatabaseLostUnderLoad(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"removed", "renamed"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			config := writeConfig(t, dir)
			d := start(t, config)
			path := filepath.Join(dir, "data", "syncd.db")
			l := startLoad(t, d.url, 8, 200)
			waitUntil(t, "100 events acknowledged", func() bool { return l.count() >= 100 })
			if how == "removed" {
				os.Remove(path)
			} else {
				os.Rename(path, path+".old")
			}
			lostAt := l.count()
			waitUntil(t, "deliveries refused", func() bool { return l.refused.Load() >= 200 })
			acked := l.finish()
			if l.badCodes.Load() > 0 {
				t.Errorf("%d answers neither 200 nor 503 with Retry-After", l.badCodes.Load())
			}
			if status(t, d.url+"/readyz") != 503 {
				t.Error("/readyz still 200")
			}
			if !strings.Contains(metricsText(t, d.url), "syncd_database_lost 1") {
				t.Error("syncd_database_lost not raised")
			}
			if n := strings.Count(d.log(), "database file lost"); n != 1 {
				t.Errorf("%d 'database file lost' lines, want 1", n)
			}
			d.stop(t, syscall.SIGTERM)
			t.Logf("%d acknowledged before the file was %s (%d after), %d refused after", lostAt, how, len(acked)-lostAt, l.refused.Load())
			out, err := syncdCmd("serve", "-config", config).CombinedOutput()
			if err == nil || !strings.Contains(string(out), "-fresh") {
				t.Fatalf("restart over a lost database: %v\n%s", err, out)
			}
			if _, err := os.Stat(path); err == nil {
				t.Fatal("the refused start created a database")
			}
			if how == "removed" {
				fresh := startCmd(t, syncdCmd("serve", "-config", config, "-fresh"))
				fresh.stop(t, syscall.SIGTERM)
				return
			}
			// Renamed back beside its write-ahead log, the database holds
			// every event answered 200, and the daemon starts on it.
			if err := os.Rename(path+".old", path); err != nil {
				t.Fatal(err)
			}
			stored := storedKeys(t, path)
			for _, n := range acked {
				if !stored[n] {
					t.Fatalf("event %s answered 200 is not in the database", n)
				}
			}
			start(t, config).stop(t, syscall.SIGTERM)
		})
	}
}

// TestLockHeldPastTheDeadline: another process (here a connection of the
// test's) holds the write lock far past intake.answer_within; 15 senders
// each get 503 with Retry-After while it is still held, and their retries
// after it ends are stored.
func TestLockHeldPastTheDeadline(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(configYAML(dir, []string{e2eLBToken}, "intake:\n  answer_within: 1s\n")), 0o600)
	d := start(t, config)
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "data", "syncd.db")+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lock, err := db.BeginTx(context.Background(), nil) // BEGIN EXCLUSIVE
	if err != nil {
		t.Fatal(err)
	}
	lock.Exec(`UPDATE state SET value = value`)
	const senders = 15
	codes := make(chan int, senders)
	for i := 0; i < senders; i++ {
		go func() {
			a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"lock-%d"}`, i)))
			if err != nil {
				codes <- -1
				return
			}
			codes <- a.Code
		}()
	}
	held := time.After(30 * time.Second) // the lock is held this long at most
	for i := 0; i < senders; i++ {
		select {
		case c := <-codes:
			if c != 503 {
				t.Errorf("sender answered %d under the held lock", c)
			}
		case <-held:
			t.Fatal("senders got no answer while the lock was held")
		}
	}
	lock.Rollback()
	for i := 0; i < senders; i++ {
		a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"lock-%d"}`, i)))
		if err != nil || a.Code != 200 {
			t.Fatalf("retry %d after the lock: %+v %v", i, a, err)
		}
	}
	d.stop(t, syscall.SIGTERM)
	if n := len(syncdJSON(t, "events", "list", "-json", "-limit", "0", "-config", config)); n != senders {
		t.Fatalf("%d events stored, want %d", n, senders)
	}
}

// TestDiskFull runs the daemon with a file size limit (RLIMIT_FSIZE, what
// a full disk looks like to SQLite's writes, no root needed) and posts
// until commits fail: every 200 is durable, failures are 503 with
// Retry-After, /readyz fails, and the log stays small.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) not installed")
	}
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := startCmd(t, exec.Command(prlimit, "--fsize=4000000", syncdBin, "serve", "-config", config))
	l := startLoad(t, d.url, 8, 16<<10)
	waitUntil(t, "commits failing", func() bool { return l.refused.Load() > 0 })
	logBefore := len(d.log())
	refusedBefore := l.refused.Load()
	waitUntil(t, "2000 deliveries refused", func() bool { return l.refused.Load() >= refusedBefore+2000 })
	if status(t, d.url+"/readyz") != 503 {
		t.Error("/readyz 200 on a full disk")
	}
	logGrowth := len(d.log()) - logBefore
	acked := l.finish()
	t.Logf("%d acknowledged, %d refused; %d bytes of log for the last 2000 refusals", len(acked), l.refused.Load(), logGrowth)
	if logGrowth > 8<<10 {
		t.Errorf("%d bytes of log for 2000 refused deliveries:\n%.3000s", logGrowth, d.log()[logBefore:])
	}
	d.stop(t, syscall.SIGTERM)
	stored := storedKeys(t, filepath.Join(dir, "data", "syncd.db"))
	for _, n := range acked {
		if !stored[n] {
			t.Fatalf("event %s answered 200 is not stored", n)
		}
	}
}

func metricsText(t *testing.T, url string) string {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.String()
}

// TestMisroutedBodyInTheReport: a Lokalebasen enquiry posted to the Estate
// Agent Feeds source is answered 200 but not lost silently: it is counted
// in /metrics, `syncd map` says it is unrecognised, and the day's report
// lists it under Needs attention and raises it, with a new event type, in
// the Summary's alarms.
func TestMisroutedBodyInTheReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	enquiry, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if a, _ := post(d.url+"/hooks/eaf/"+e2eEAFToken, enquiry); a.Code != 200 {
		t.Fatalf("misrouted body: %+v", a)
	}
	for i := 0; i < 3; i++ {
		body := fmt.Sprintf(`{"event_type":"location_rented","payload":{"n":%d}}`, i)
		if a, _ := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); a.Status != "accepted" {
			t.Fatalf("new event type: %+v", a)
		}
	}
	if m := metricsText(t, d.url); !strings.Contains(m, `syncd_events_unrecognised_total{source="eaf"} 1`) {
		t.Error("unrecognised event not counted in /metrics")
	}
	d.stop(t, syscall.SIGTERM)

	file := filepath.Join(dir, "enquiry.json")
	os.WriteFile(file, enquiry, 0o600)
	out, err := syncdCmd("map", "-config", config, "-source", "eaf", file).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "state: unrecognised") {
		t.Errorf("syncd map does not say the body is unrecognised, with exit 2 (%v):\n%s", err, out)
	}

	f := todaysReport(t, config, dir, "today.xlsx")
	summary, _ := f.GetRows("Summary")
	attention, _ := f.GetRows("Needs attention")
	var alarms []string
	for _, row := range summary { // each alarm is a banner: "ALARM: …" in a merged cell
		if len(row) > 0 && strings.HasPrefix(row[0], "ALARM: ") {
			alarms = append(alarms, strings.ReplaceAll(row[0], "\n", " "))
		}
	}
	joined := strings.Join(alarms, "\n")
	if !strings.Contains(joined, "1 unrecognised event: its body") || !strings.Contains(joined, "new event type location_rented: 3 events") {
		t.Errorf("Summary alarms: %q", alarms)
	}
	kinds := map[string]int{}
	for _, row := range attention[1:] {
		kinds[row[1]]++
		if len(row) > 6 && row[6] != "" && (row[1] == "unrecognised" || row[1] == "new type") { // not leads: no "lead 2 (another day)"
			t.Errorf("Needs attention row %q links a lead", row)
		}
	}
	if kinds["unrecognised"] != 1 || kinds["new type"] != 3 { // words, not the identifier new_type
		t.Errorf("Needs attention rows by kind: %v", kinds)
	}
}

// TestConfigLoadTimeFromStart: the configuration loaded at start is a
// successful load, so syncd_config_last_reload_success_timestamp_seconds
// holds its time before any SIGHUP (it said 0, the year 1970, which an
// alert on the configuration's age reads as a reload failing for decades).
func TestConfigLoadTimeFromStart(t *testing.T) {
	t.Parallel()
	before := time.Now()
	d := start(t, writeConfig(t, t.TempDir()))
	const name = "syncd_config_last_reload_success_timestamp_seconds "
	for _, line := range strings.Split(metricsText(t, d.url), "\n") {
		if v, ok := strings.CutPrefix(line, name); ok {
			secs, err := strconv.ParseFloat(v, 64)
			if at := time.Unix(int64(secs), 0); err != nil || at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
				t.Fatalf("%s%s, want the start (%s)", name, v, before.Format(time.RFC3339))
			}
			return
		}
	}
	t.Fatalf("no %s in /metrics", name)
}
