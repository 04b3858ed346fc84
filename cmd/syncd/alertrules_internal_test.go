package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"

	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// alertRules is the shipped rules file (configs/prometheus).
const alertRules = "../../configs/prometheus/syncd-alerts.yml"

// alertCase makes one alert fire: series set (or added) over a healthy
// daemon's, and the alerts expected at eval, each by its labels beyond
// alertname and the rule's own (auto: those of the one series set, the
// job's and instance's).
type alertCase struct {
	alert  string
	set    []seriesValues
	eval   time.Duration
	labels []map[string]string // nil: auto
	// none: the alert does not fire on these series (a case that it
	// fires beside it shows what keeps it quiet).
	none bool
}

// seriesValues is one input series in promtool's notation: a metric, the
// labels it is picked by (or added with) and its values, one a minute.
type seriesValues struct {
	name   string
	labels map[string]string
	values string
}

// TestShippedAlertRules: the README gave its alerts as a table of
// expressions to copy by hand, none of which anything had ever loaded into
// Prometheus. configs/prometheus/syncd-alerts.yml holds them as rules;
// promtool checks the file and its unit tests, written here from a
// healthy daemon's real /metrics: on it no alert fires, and each alert
// fires on the series that make it, with the labels and annotations it
// gives. promtool is Debian's prometheus package (.ci/run installs it).
func TestShippedAlertRules(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	checkMetricUses(t, "alert rule", exprsOf(t, raw), everyMetric(t))
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("SYNCD_TEST_PROMTOOL_REQUIRED") != "" {
			t.Fatal("promtool not found (apt-get install prometheus)")
		}
		t.Skip("promtool not found (apt-get install prometheus)")
	}
	abs, _ := filepath.Abs(alertRules)
	if out, err := exec.Command(promtool, "check", "rules", abs).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	healthy := healthySeries(t)
	cases := alertCases()
	if fired, rules := firedOf(cases), rulesOf(t, raw); len(fired) != len(rules) {
		t.Errorf("the cases make %d alerts fire, the file has %d: each needs a case", len(fired), len(rules))
	}
	tests := promtoolTests(t, abs, raw, healthy, cases)
	file := filepath.Join(t.TempDir(), "syncd-alerts_test.yml")
	if err := os.WriteFile(file, tests, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "test", "rules", file).CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}

// alertCases is one case an alert.
func alertCases() []alertCase {
	one := func(name string, labels map[string]string, values string) []seriesValues {
		return []seriesValues{{name, labels, values}}
	}
	hs := map[string]string{"adapter": "hubspot"}
	return []alertCase{
		{alert: "SyncdDown", set: one("up", nil, "1 0x4"), eval: 4 * time.Minute},
		// Started five times in six minutes: up answered at every scrape.
		{alert: "SyncdRestarting", set: one("process_start_time_seconds", nil, "100 160 220 280 340 400"), eval: 5 * time.Minute},
		{alert: "SyncdRestarting", set: one("process_start_time_seconds", nil, "100 100 160 160 160 160"), eval: 5 * time.Minute, none: true},
		{alert: "SyncdWaitingForDatabase", set: one("syncd_start_waiting_since_timestamp_seconds",
			map[string]string{"cause": "no answer in time"}, "60x5"), eval: 4 * time.Minute},
		{alert: "SyncdDeliveriesNotStored", set: one("syncd_database_lost", nil, "0 1 1"), eval: 2 * time.Minute},
		{alert: "SyncdDatabaseUnreadable", set: one("syncd_outbox_stats_up", nil, "1 0x8"), eval: 7 * time.Minute},
		{alert: "SyncdDatabaseDamaged", set: one("syncd_database_damaged", nil, "0 1 1"), eval: 2 * time.Minute},
		{alert: "SyncdSenderSilent", eval: 25 * time.Hour, // nothing accepted for a day, the daemon older than that
			labels: []map[string]string{{"source": "eaf", "job": "syncd"}, {"source": "lokalebasen", "job": "syncd"}}},
		{alert: "SyncdDeliveriesTooLarge", set: one("syncd_events_rejected_total",
			map[string]string{"source": "eaf", "reason": "too_large"}, "0 0 1 1"), eval: 3 * time.Minute},
		{alert: "SyncdDeliveriesRefused", set: one("syncd_events_rejected_total",
			map[string]string{"source": "lokalebasen", "reason": "bad_token"}, "0 0 2 2"), eval: 3 * time.Minute},
		{alert: "SyncdBodiesQuarantined", set: one("syncd_events_quarantined_total",
			map[string]string{"source": "eaf", "reason": "invalid_json"}, "0 0 1 1"), eval: 3 * time.Minute},
		{alert: "SyncdQuarantineWaiting", set: one("syncd_quarantine_waiting_bodies", map[string]string{"source": "eaf"}, "0 1 1"),
			eval: 2 * time.Minute, labels: []map[string]string{{"source": "eaf", "job": "syncd"}}},
		{alert: "SyncdDeliveryChanged", set: one("syncd_events_changed_total", map[string]string{"source": "eaf"}, "0 0 1 1"),
			eval: 3 * time.Minute},
		{alert: "SyncdLeadsUnmappable", set: one("syncd_events_mapped_total", map[string]string{"state": "unmappable"}, "0 0 1 1"),
			eval: 3 * time.Minute},
		{alert: "SyncdCRMSyncStuck", set: one("syncd_crm_adapter_paused", hs, "0 1 1"), eval: 2 * time.Minute},
		// No sync run through for 40 minutes: stuck, unless operations went
		// all along (a drain of hours after an outage is one run).
		{alert: "SyncdCRMSyncStuck", eval: 40 * time.Minute, labels: []map[string]string{{"adapter": "hubspot", "job": "syncd", "instance": "a"}}},
		{alert: "SyncdCRMSyncStuck", eval: 40 * time.Minute, none: true,
			set: one("syncd_outbox_sent_recent_ops", map[string]string{"target": "hubspot"}, "300x45")},
		{alert: "SyncdCRMDown", set: one("syncd_crm_failing_since_timestamp_seconds", hs, "0 60x40"), eval: 40 * time.Minute},
		{alert: "SyncdCRMBatchStuck", set: one("syncd_crm_stuck_ops", hs, "0 3 3"), eval: 2 * time.Minute},
		{alert: "SyncdOperationsForAnotherCRM", set: one("syncd_outbox_ops",
			map[string]string{"target": "pipedrive", "state": "pending"}, "5x3"), eval: 2 * time.Minute,
			labels: []map[string]string{{"target": "pipedrive", "state": "pending", "job": "syncd"}}},
		{alert: "SyncdDeadLetters", set: one("syncd_outbox_ops", map[string]string{"target": "hubspot", "state": "dead"}, "0 2 2"),
			eval: 2 * time.Minute, labels: []map[string]string{{"target": "hubspot", "state": "dead", "job": "syncd"}}},
		{alert: "SyncdCRMAccountNotReady", set: one("syncd_crm_check_problems", hs, "0 2 2"), eval: 2 * time.Minute},
		{alert: "SyncdCRMAccountNotReady", set: one("syncd_crm_check_problems", hs, "0 -1x20"), eval: 19 * time.Minute, none: true},
		// A check the CRM did not answer: no alert for a blip, one once it lasts.
		{alert: "SyncdCRMAccountUnchecked", set: one("syncd_crm_check_problems", hs, "0 -1x20"), eval: 10 * time.Minute, none: true},
		{alert: "SyncdCRMAccountUnchecked", set: one("syncd_crm_check_problems", hs, "0 -1x20"), eval: 19 * time.Minute},
		{alert: "SyncdReportMailFailed", set: one("syncd_last_report_mail_failed", nil, "0 1 1"), eval: 2 * time.Minute,
			labels: []map[string]string{{"job": "syncd"}}},
		{alert: "SyncdReportLate", set: one("syncd_report_not_made_since_timestamp_seconds", map[string]string{"day": "1970-01-01"},
			"60x3"), eval: 2 * time.Minute, labels: []map[string]string{{"day": "1970-01-01", "job": "syncd"}}},
		{alert: "SyncdMappingStuck", set: one("syncd_mapping_stuck_since_timestamp_seconds", nil, "0 60 60"), eval: 2 * time.Minute},
		{alert: "SyncdMappingHeld", set: one("syncd_mapping_held_since_timestamp_seconds", nil, "0 60 60"), eval: 2 * time.Minute},
		{alert: "SyncdReloadRejected", set: one("syncd_config_last_reload_successful", nil, "1 0 0"), eval: 2 * time.Minute},
		{alert: "SyncdFilesNotReloaded", set: one("syncd_config_stale_files", nil, "0 2x20"), eval: 17 * time.Minute},
		{alert: "SyncdRestartNeeded", set: one("syncd_config_restart_needed", map[string]string{"setting": "report"}, "0 1 1"),
			eval: 2 * time.Minute},
		{alert: "SyncdClusterSettingsDiffer", set: one("syncd_cluster_settings_differ_instances", nil, "0 1x12"), eval: 12 * time.Minute},
		{alert: "SyncdErasureUndone", set: one("syncd_restore_erasures_undone", nil, "0 1 1"), eval: 2 * time.Minute},
	}
}

// firedOf is the alerts the cases make fire.
func firedOf(cases []alertCase) map[string]bool {
	out := map[string]bool{}
	for _, c := range cases {
		out[c.alert] = true
	}
	return out
}

// healthySeries is a healthy daemon's /metrics as promtool input series,
// each at its value throughout: its times a minute after the epoch,
// promtool's clock starting there.
func healthySeries(t *testing.T) map[string]seriesValues {
	t.Helper()
	start := time.Unix(60, 0)
	m := metrics.New("1.4.0")
	m.Now = func() time.Time { return start }
	if err := m.WatchOutbox(func(context.Context) ([]metrics.OutboxDepth, error) {
		return []metrics.OutboxDepth{{Target: "hubspot", Pending: 3, Done: 40, OldestPending: start}}, nil // leads on their way
	}, 0); err != nil {
		t.Fatal(err)
	}
	sources := []string{"eaf", "lokalebasen"}
	m.Expect(sources, []string{"invalid_json"}, []string{"mapped", "unmappable"})
	m.ExpectRejected(webhook.RejectedSeries(sources))
	m.ObserveIntake("lokalebasen", metrics.OutcomeAccepted, time.Millisecond)
	m.SyncSucceeded("hubspot", start)
	m.SetPaused("hubspot", false)
	m.CRMFailing("hubspot", time.Time{})
	m.CRMRateLimited("hubspot", false)
	m.CRMStuck("hubspot", 0)
	m.CRMChecked("hubspot", 0)
	m.ReportWritten(start)
	m.ReportState("1970-01-01", "sent")
	m.QuarantineWaiting(map[string]int{"eaf": 0, "lokalebasen": 0})
	m.UnmappableWaiting(0)
	m.ConfigLoaded(true, start)
	m.DaemonStarted("/var/lib/syncd/syncd.db", 4242, start)
	return seriesOf(t, metricsText(t, m))
}

// seriesOf is a /metrics text's syncd series (histograms left out) and up,
// as promtool input series, each at its value throughout.
func seriesOf(t *testing.T, text []byte) map[string]seriesValues {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	up := seriesValues{name: "up", values: "1x1500"}
	out := map[string]seriesValues{seriesKey(up): up}
	for name, f := range fams {
		if !strings.HasPrefix(name, "syncd_") || f.GetType().String() == "HISTOGRAM" {
			continue
		}
		for _, s := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range s.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			sv := seriesValues{name: name, labels: labels, values: fmt.Sprintf("%gx1500", value(s))}
			out[seriesKey(sv)] = sv
		}
	}
	return out
}

// seriesKey names one series: its metric and labels, scraped by job
// syncd from instance a unless its labels say another.
func seriesKey(s seriesValues) string {
	labels := map[string]string{"job": "syncd", "instance": "a"}
	maps.Copy(labels, s.labels)
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, labels[k]))
	}
	return s.name + "{" + strings.Join(parts, ",") + "}"
}

// promtoolTests writes promtool's unit tests: on the healthy series no
// alert fires at 30 minutes; each case's alert fires at its eval.
func promtoolTests(t *testing.T, file string, raw []byte, healthy map[string]seriesValues, cases []alertCase) []byte {
	t.Helper()
	rules := rulesOf(t, raw)
	var b strings.Builder
	fmt.Fprintf(&b, "rule_files: [%q]\nevaluation_interval: 1m\ntests:\n", file)
	writeTest(&b, healthy, func(w *strings.Builder) {
		for _, name := range slices.Sorted(maps.Keys(rules)) {
			fmt.Fprintf(w, "      - {eval_time: 30m, alertname: %s, exp_alerts: []}\n", name)
		}
	})
	for _, c := range cases {
		series := maps.Clone(healthy)
		auto := map[string]string{"job": "syncd", "instance": "a"}
		for _, s := range c.set {
			key := seriesKey(s)
			for k, h := range healthy {
				if h.name == s.name && containsLabels(h.labels, s.labels) {
					key = k
					s.labels = h.labels
				}
			}
			series[key] = s
			maps.Copy(auto, s.labels)
		}
		want := c.labels
		if c.none {
			want = []map[string]string{}
		} else if want == nil {
			want = []map[string]string{auto}
		}
		writeTest(&b, series, func(w *strings.Builder) {
			fmt.Fprintf(w, "      - eval_time: %s\n        alertname: %s\n        exp_alerts:", promDuration(c.eval), c.alert)
			if len(want) == 0 {
				w.WriteString(" []")
			}
			w.WriteString("\n")
			r := rules[c.alert]
			for _, labels := range want {
				fmt.Fprintf(w, "          - exp_labels: %s\n            exp_annotations: %s\n",
					flowMap(mergedLabels(labels, r.Labels)), flowMap(rendered(r.Annotations, labels)))
			}
		})
	}
	return []byte(b.String())
}

// writeTest writes one test group of series and the alert tests body writes.
// Each series ends a minute after the group's last eval_time: promtool reads
// nothing later, but loaded all of a healthy series' 1,500 minutes in each
// group, most of them evaluated at 30 minutes or less (the alert tests
// together took 19.5 s of CPU, 14.9 s so).
func writeTest(b *strings.Builder, series map[string]seriesValues, body func(*strings.Builder)) {
	var tests strings.Builder
	body(&tests)
	last := 0
	for _, m := range evalTime.FindAllStringSubmatch(tests.String(), -1) {
		d, err := model.ParseDuration(m[1])
		if err != nil {
			panic(fmt.Sprintf("eval_time %s: %v", m[1], err))
		}
		last = max(last, int(time.Duration(d).Minutes()))
	}
	b.WriteString("  - interval: 1m\n    input_series:\n")
	for _, k := range slices.Sorted(maps.Keys(series)) {
		fmt.Fprintf(b, "      - {series: '%s', values: '%s'}\n", k, endedAt(series[k].values, last+1))
	}
	b.WriteString("    alert_rule_test:\n")
	b.WriteString(tests.String())
}

var (
	// evalTime is an eval_time of promtool's alert tests.
	evalTime = regexp.MustCompile(`eval_time: (\w+)`)
	// expanded is the last expanding notation of a series' values:
	// "x1500" of "1 0x1500", "a+bxN" repeating N more times.
	expanded = regexp.MustCompile(`x(\d+)$`)
)

// endedAt is values (promtool's notation) with its last expansion cut to
// end at the minute'th value or before.
func endedAt(values string, minute int) string {
	m := expanded.FindStringSubmatchIndex(values)
	if m == nil {
		return values
	}
	n, _ := strconv.Atoi(values[m[2]:m[3]])
	before := len(strings.Fields(values)) - 1 // values given one by one before the expansion
	return values[:m[2]] + strconv.Itoa(min(n, max(minute-before, 1)))
}

// mergedLabels is a's labels and b's.
func mergedLabels(a, b map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// containsLabels reports whether have holds every label of want.
func containsLabels(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// promDuration writes d as promtool takes it: whole minutes.
func promDuration(d time.Duration) string { return fmt.Sprintf("%dm", int(d.Minutes())) }

// flowMap writes m as a YAML flow mapping, its values in double quotes
// (JSON's strings are YAML's).
func flowMap(m map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v, _ := json.Marshal(m[k])
		parts = append(parts, k+": "+string(v))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// rendered is notes with each {{ $labels.NAME }} replaced by its value.
func rendered(notes, labels map[string]string) map[string]string {
	tmpl := regexp.MustCompile(`\{\{ \$labels\.(\w+) \}\}`)
	out := map[string]string{}
	for k, v := range notes {
		out[k] = tmpl.ReplaceAllStringFunc(v, func(s string) string { return labels[tmpl.FindStringSubmatch(s)[1]] })
	}
	return out
}

// alertRule is the part of a Prometheus alerting rule these tests read.
type alertRule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

// rulesOf is every alerting rule of a rules file, by its alert's name.
func rulesOf(t *testing.T, raw []byte) map[string]alertRule {
	t.Helper()
	var f struct {
		Groups []struct {
			Rules []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	out := map[string]alertRule{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out[r.Alert] = r
		}
	}
	return out
}

// exprsOf is every rule's expression, one a line.
func exprsOf(t *testing.T, raw []byte) string {
	t.Helper()
	var out []string
	for _, r := range rulesOf(t, raw) {
		out = append(out, r.Expr)
	}
	return strings.Join(out, "\n")
}
