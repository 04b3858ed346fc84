package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAlertsOfSeveralAgenciesOnOneServer: several agencies on one server
// (syncd@NAME) are several installations, each scraped as a job of its own,
// syncd-NAME, as docs/monitoring.md says. The shipped rules must see each:
// an agency's daemon down or restarting again and again is an alert under
// its job, and a sender silent for a day at one agency is an alert though
// the same source keeps sending to another agency, or another agency's
// daemon started less than a day ago.
func TestAlertsOfSeveralAgenciesOnOneServer(t *testing.T) {
	t.Parallel()
	promtool := needPromtool(t)
	const agency = "syncd-nordbolig"
	series := map[string]seriesValues{}
	for _, job := range []string{"syncd", agency} {
		for _, s := range healthySeries(t) {
			s.labels = maps.Clone(s.labels)
			if s.labels == nil {
				s.labels = map[string]string{}
			}
			s.labels["job"] = job
			s.labels["instance"] = "127.0.0.1:8080"
			if job == agency {
				s.labels["instance"] = "127.0.0.1:8081"
			}
			switch {
			case s.name == "syncd_events_accepted_total" && (job == "syncd" || s.labels["source"] != "eaf"):
				s.values = "0+1x1500" // receiving all along
			case s.name == "syncd_daemon_info" && job == "syncd":
				s.values = "60x1439 86400x60" // restarted after a day
			}
			series[seriesKey(s)] = s
		}
		start := seriesValues{name: "process_start_time_seconds", labels: map[string]string{"job": job}, values: "60x1500"}
		if job == agency { // started again every minute
			start.labels["instance"] = "127.0.0.1:8081"
			start.values = "60+60x1500"
		} else {
			start.labels["instance"] = "127.0.0.1:8080"
		}
		series[seriesKey(start)] = start
	}
	down := seriesValues{name: "up", labels: map[string]string{"job": agency, "instance": "127.0.0.1:8081"}, values: "1 0x1500"}
	series[seriesKey(down)] = down

	raw, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(alertRules)
	rules := rulesOf(t, raw)
	var b strings.Builder
	b.WriteString("rule_files: [\"" + abs + "\"]\nevaluation_interval: 1m\ntests:\n")
	writeTest(&b, series, func(w *strings.Builder) {
		for _, c := range []struct {
			alert, eval string
			labels      map[string]string
		}{
			{"SyncdDown", "5m", map[string]string{"job": agency, "instance": "127.0.0.1:8081"}},
			{"SyncdRestarting", "10m", map[string]string{"job": agency, "instance": "127.0.0.1:8081"}},
			{"SyncdSenderSilent", "25h", map[string]string{"job": agency, "source": "eaf"}},
		} {
			r := rules[c.alert]
			w.WriteString("      - eval_time: " + c.eval + "\n        alertname: " + c.alert + "\n        exp_alerts:\n")
			w.WriteString("          - exp_labels: " + flowMap(mergedLabels(c.labels, r.Labels)) + "\n")
			w.WriteString("            exp_annotations: " + flowMap(rendered(r.Annotations, c.labels)) + "\n")
		}
	})
	promtoolTest(t, promtool, b.String())
}
