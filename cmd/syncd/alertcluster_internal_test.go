package main

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestSyncStuckAlertOnACluster: on PostgreSQL every instance exports the
// outbox's oldest pending lead (the whole cluster's), but only the sync
// leader what it sent lately. SyncdCRMSyncStuck kept quiet through a drain
// of hours only where the instance that exports the age also sent: the
// other instance fired it, critical, all through a drain that went well,
// and a stuck cluster fired it once per instance. From two instances'
// /metrics as the metrics code serves them, the leader's and another's,
// the alert now keeps quiet while the leader sends, and fires once for the
// outbox, beside the leader's last sync, once nothing goes.
func TestSyncStuckAlertOnACluster(t *testing.T) {
	promtool := needPromtool(t)
	start := time.Unix(60, 0)
	depths := func(context.Context) ([]metrics.OutboxDepth, error) {
		return []metrics.OutboxDepth{{Target: "hubspot", Pending: 38351, Done: 40, OldestPending: start}}, nil
	}
	instance := func(leads bool) *metrics.Metrics { // as the daemon wires it on PostgreSQL
		m := metrics.New("1.4.0")
		m.Now = func() time.Time { return start }
		if err := m.WatchOutbox(depths, 0); err != nil {
			t.Fatal(err)
		}
		sources := []string{"eaf", "lokalebasen"}
		m.Expect(sources, []string{"invalid_json"}, []string{"mapped", "unmappable"})
		m.ExpectRejected(webhook.RejectedSeries(sources))
		m.SetPaused("hubspot", false)
		m.CRMFailing("hubspot", time.Time{})
		m.CRMRateLimited("hubspot", false)
		m.CRMStuck("hubspot", 0)
		m.DaemonStarted("postgres://db.internal/syncd", 4242, start)
		if leads {
			m.SyncSucceeded("hubspot", start) // the last run's end, before the outage
			m.SyncRunning("hubspot", start)   // the drain: one run of hours
			m.OpsFinished("hubspot", 300)
		}
		return m
	}
	series := map[string]seriesValues{}
	for name, leads := range map[string]bool{"a": true, "b": false} {
		for _, s := range seriesOf(t, metricsText(t, instance(leads))) {
			s.labels = maps.Clone(s.labels)
			if s.labels == nil {
				s.labels = map[string]string{}
			}
			s.labels["instance"] = name
			switch s.name {
			case metrics.NameOutboxOldest: // a minute older each minute
				s.values = "0+60x300"
			case metrics.NameOutboxSent: // the leader sends for two hours, then nothing
				s.values = "300x120 0x180"
			}
			series[seriesKey(s)] = s
		}
	}
	for _, want := range []string{metrics.NameOutboxOldest + `{instance="b"`, metrics.NameOutboxSent + `{instance="a"`} {
		found := false
		for k := range series {
			found = found || strings.HasPrefix(k, want)
		}
		if !found {
			t.Fatalf("no series %s… in the instances' /metrics", want)
		}
	}
	for k := range series {
		if strings.HasPrefix(k, metrics.NameOutboxSent+`{instance="b"`) || strings.HasPrefix(k, metrics.NameLastSync+`{adapter="hubspot",instance="b"`) {
			t.Fatalf("the instance that does not lead exports %s", k)
		}
	}

	raw, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(alertRules)
	rule := rulesOf(t, raw)["SyncdCRMSyncStuck"]
	var b strings.Builder
	b.WriteString("rule_files: [\"" + abs + "\"]\nevaluation_interval: 1m\ntests:\n")
	writeTest(&b, series, func(w *strings.Builder) {
		// An hour and a half into the drain: the oldest lead pending for
		// that long, the last sync as old, operations going all along.
		w.WriteString("      - {eval_time: 90m, alertname: SyncdCRMSyncStuck, exp_alerts: []}\n")
		w.WriteString("      - eval_time: 135m\n        alertname: SyncdCRMSyncStuck\n        exp_alerts:\n")
		for _, labels := range []map[string]string{
			{"adapter": "hubspot", "instance": "a", "job": "syncd"}, // the leader's last sync
			{"target": "hubspot", "job": "syncd"},                   // the cluster's outbox, once
		} {
			w.WriteString("          - exp_labels: " + flowMap(mergedLabels(labels, rule.Labels)) + "\n")
			w.WriteString("            exp_annotations: " + flowMap(rendered(rule.Annotations, labels)) + "\n")
		}
	})
	promtoolTest(t, promtool, b.String())
}

// needPromtool is promtool's path; the test is skipped without it unless
// SYNCD_TEST_PROMTOOL_REQUIRED is set.
func needPromtool(t *testing.T) string {
	t.Helper()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("SYNCD_TEST_PROMTOOL_REQUIRED") != "" {
			t.Fatal("promtool not found (apt-get install prometheus)")
		}
		t.Skip("promtool not found (apt-get install prometheus)")
	}
	return promtool
}

// promtoolTest runs promtool's unit tests written in tests.
func promtoolTest(t *testing.T, promtool, tests string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "syncd-alerts_test.yml")
	if err := os.WriteFile(file, []byte(tests), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "test", "rules", file).CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}
