package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestAlertWhileTheDaemonWaitsAtStart: a daemon started while PostgreSQL
// does not answer (or on a full disk) waits for its database, answering
// every delivery 503 and serving /metrics, on which up is 1 and none of the
// store's series is served yet: no shipped alert fired, however long it
// waited, while senders gave up retrying. The series its waiting /metrics
// serves, scraped over HTTP, now make SyncdWaitingForDatabase fire once the
// wait lasts two minutes, saying why, and clear once the daemon serves.
func TestAlertWhileTheDaemonWaitsAtStart(t *testing.T) {
	t.Parallel()
	promtool := needPromtool(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pgAddr := closed.Addr().String()
	closed.Close()
	_, refused := net.DialTimeout("tcp", pgAddr, time.Second) // PostgreSQL not listening
	var opErr *net.OpError
	if !errors.As(refused, &opErr) {
		t.Fatalf("dial a closed port: %v", refused)
	}
	cfg := &config.Config{Store: config.Store{Kind: config.StorePostgres, DSN: "postgres://syncd@" + pgAddr + "/syncd"}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	before := time.Now()
	w := startWaiting(cfg, zerolog.Nop(), ln, nil, refused)
	defer w.stop()

	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics of the waiting daemon: %d %v", resp.StatusCode, err)
	}
	series := seriesOf(t, text)
	var waiting []string
	for k, s := range series {
		if s.name != metrics.NameStartWaiting {
			continue
		}
		since, err := strconv.ParseFloat(strings.TrimSuffix(s.values, "x1500"), 64)
		if err != nil || since < float64(before.Unix()) || since > float64(time.Now().Unix()+1) {
			t.Errorf("%s: %s, not when the wait began (%s)", k, s.values, before)
		}
		// promtool's clock starts at the epoch: the wait from a minute
		// after it, for 10 minutes, then the daemon serves (no series).
		s.values = "60x10 stale"
		series[k] = s
		waiting = append(waiting, s.labels["cause"])
	}
	if len(waiting) != 1 || !strings.Contains(waiting[0], "connection refused") {
		t.Fatalf("the waiting daemon's /metrics has %d %s series (causes %q):\n%s", len(waiting), metrics.NameStartWaiting, waiting, text)
	}

	raw, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(alertRules)
	rule := rulesOf(t, raw)["SyncdWaitingForDatabase"]
	labels := map[string]string{"cause": waiting[0], "job": "syncd", "instance": "a"}
	var b strings.Builder
	b.WriteString("rule_files: [\"" + abs + "\"]\nevaluation_interval: 1m\ntests:\n")
	writeTest(&b, series, func(w *strings.Builder) {
		w.WriteString("      - {eval_time: 1m, alertname: SyncdWaitingForDatabase, exp_alerts: []}\n") // a blip at start
		w.WriteString("      - eval_time: 5m\n        alertname: SyncdWaitingForDatabase\n        exp_alerts:\n")
		w.WriteString("          - exp_labels: " + flowMap(mergedLabels(labels, rule.Labels)) + "\n")
		w.WriteString("            exp_annotations: " + flowMap(rendered(rule.Annotations, labels)) + "\n")
		w.WriteString("      - {eval_time: 15m, alertname: SyncdWaitingForDatabase, exp_alerts: []}\n") // serving
	})
	promtoolTest(t, promtool, b.String())
	for _, word := range []string{"syncd status", "503", "PostgreSQL", "room on the disk"} {
		if !strings.Contains(rule.Annotations["description"], word) {
			t.Errorf("SyncdWaitingForDatabase's description does not say %q: %q", word, rule.Annotations["description"])
		}
	}
}
