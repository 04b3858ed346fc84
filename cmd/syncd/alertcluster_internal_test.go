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
	t.Parallel()
	promtool := needPromtool(t)
	start := time.Unix(60, 0)
	depth := metrics.OutboxDepth{Target: "hubspot", Pending: 38351, Done: 40, OldestPending: start}
	series := clusterSeries(t, depth, nil, func(m *metrics.Metrics) {
		m.SyncSucceeded("hubspot", start) // the last run's end, before the outage
		m.SyncRunning("hubspot", start)   // the drain: one run of hours
		m.OpsFinished("hubspot", 300)
	}, func(s *seriesValues) {
		switch s.name {
		case metrics.NameOutboxOldest: // a minute older each minute
			s.values = "0+60x300"
		case metrics.NameOutboxSent: // the leader sends for two hours, then nothing
			s.values = "300x120 0x180"
		}
	})
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

// TestClusterWideAlertsFireOnce: the dead letters, the operations for a CRM
// crm.kind no longer names and the last report's mail are the whole
// cluster's, read from the database by every instance; their alerts fired
// once per instance, and one instance stopping resolved its copy while
// nothing was mended. They now fire once for the job, and stay firing
// while one instance is gone.
func TestClusterWideAlertsFireOnce(t *testing.T) {
	t.Parallel()
	promtool := needPromtool(t)
	start := time.Unix(60, 0)
	dead := metrics.OutboxDepth{Target: "hubspot", Done: 40, Dead: 2}
	series := clusterSeries(t, dead, func(m *metrics.Metrics) { // the last report, as each scrape reads it
		m.ReportWritten(start)
		m.ReportState("1970-01-01", "failed")
		m.ReportMailed(true)
	}, func(m *metrics.Metrics) {
		m.SyncSucceeded("hubspot", start)
	}, func(s *seriesValues) {
		if s.labels["instance"] == "b" { // b stops after 10 minutes
			s.values = strings.Split(s.values, "x")[0] + "x10 stale"
		}
	})
	for _, want := range []string{metrics.NameOutboxOps + `{instance="b",job="syncd",state="dead"`,
		metrics.NameReportMail + `{instance="b"`} {
		found := false
		for k, s := range series {
			found = found || strings.HasPrefix(k, want) && !strings.HasPrefix(s.values, "0x")
		}
		if !found {
			t.Fatalf("instance b's /metrics has no series %s… above 0", want)
		}
	}
	raw, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(alertRules)
	rules := rulesOf(t, raw)
	var b strings.Builder
	b.WriteString("rule_files: [\"" + abs + "\"]\nevaluation_interval: 1m\ntests:\n")
	writeTest(&b, series, func(w *strings.Builder) {
		for _, eval := range []string{"5m", "20m"} { // both instances up; b gone
			for _, c := range []struct {
				alert  string
				labels map[string]string
			}{
				{"SyncdDeadLetters", map[string]string{"target": "hubspot", "state": "dead", "job": "syncd"}},
				{"SyncdReportMailFailed", map[string]string{"job": "syncd"}},
			} {
				r := rules[c.alert]
				w.WriteString("      - eval_time: " + eval + "\n        alertname: " + c.alert + "\n        exp_alerts:\n")
				w.WriteString("          - exp_labels: " + flowMap(mergedLabels(c.labels, r.Labels)) + "\n")
				w.WriteString("            exp_annotations: " + flowMap(rendered(r.Annotations, c.labels)) + "\n")
			}
		}
	})
	promtoolTest(t, promtool, b.String())
}

// clusterSeries is the /metrics of two instances on one PostgreSQL
// database as the metrics code serves them, as promtool input series:
// a, the sync leader, on which lead records what leading did, and b. Both
// read the outbox's depth from the database, and what every records (nil:
// nothing more); shape changes a series' values over time.
func clusterSeries(t *testing.T, depth metrics.OutboxDepth, every, lead func(*metrics.Metrics),
	shape func(*seriesValues)) map[string]seriesValues {
	t.Helper()
	start := time.Unix(60, 0)
	instance := func(leads bool) *metrics.Metrics { // as the daemon wires it on PostgreSQL
		m := metrics.New("1.4.0")
		m.Now = func() time.Time { return start }
		if err := m.WatchOutbox(func(context.Context) ([]metrics.OutboxDepth, error) {
			return []metrics.OutboxDepth{depth}, nil
		}, 0); err != nil {
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
		if every != nil {
			every(m)
		}
		if leads {
			lead(m)
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
			shape(&s)
			series[seriesKey(s)] = s
		}
	}
	return series
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
