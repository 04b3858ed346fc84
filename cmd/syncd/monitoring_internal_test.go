package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestReadmeAlertsUseExportedMetrics: every metric the Monitoring page's
// alerts name (docs/monitoring.md, once the README's) is one the daemon
// exports, with the labels they select on.
func TestReadmeAlertsUseExportedMetrics(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../../docs/monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := bytes.Cut(page, []byte("# Monitoring\n"))
	if !ok {
		t.Fatal("docs/monitoring.md has no Monitoring title")
	}
	section, _, _ = bytes.Cut(section, []byte("\n## "))

	checkMetricUses(t, "docs/monitoring.md alert", string(section), everyMetric(t))
}

// everyMetric is the /metrics text of a daemon that has recorded every
// kind of event once, every series an alert may select on present.
func everyMetric(t *testing.T) []byte {
	t.Helper()
	m := busyMetrics(t) // every kind of event once, as the daemon records them
	m.DatabaseLost()
	m.ExpectRejected(webhook.RejectedSeries([]string{"eaf", "lokalebasen"})) // as the daemon at start
	m.ObserveIntake("lokalebasen", metrics.OutcomeUnrecognised, time.Millisecond)
	m.ObserveIntake("eaf", metrics.OutcomeChanged, time.Millisecond)
	m.Mapped("unmappable", 1)
	m.QuarantineWaiting(map[string]int{"eaf": 1, "lokalebasen": 0}) // as watchQuarantine counts them
	m.RestartNeeded([]string{"report"})                             // as a reload that changed one
	m.ConfigSecretsChanged([]metrics.SecretChanged{{Path: "/etc/syncd/hubspot-token", Key: "crm.hubspot.token_file", How: "changed"}})
	m.ReportNotMade("2026-12-03", time.Now())       // as a run that could not make a due report
	m.OpsFinished("hubspot", 1)                     // as the syncer finishing a batch
	m.SyncRunning("hubspot", time.Now())            // as a sync run under way
	m.StartWaiting(time.Now(), "no answer in time") // as a daemon waiting at start for its database
	return metricsText(t, m)
}

// metricsText is what m's /metrics handler answers.
func metricsText(t *testing.T, m *metrics.Metrics) []byte {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// checkMetricUses fails t for each syncd_ metric text names (what: where)
// that exported does not have, with the labels it selects on.
func checkMetricUses(t *testing.T, what, text string, exported []byte) {
	t.Helper()
	uses := regexp.MustCompile(`(syncd_[a-z_]+)(\{([^}]*)\})?`).FindAllStringSubmatch(text, -1)
	if len(uses) < 10 {
		t.Fatalf("only %d metrics found in the %ss", len(uses), what)
	}
	for _, u := range uses {
		name := u[1]
		sample := regexp.MustCompile(`(?m)^`+name+`(\{([^}]*)\})? `).FindAllStringSubmatch(string(exported), -1)
		if len(sample) == 0 {
			t.Errorf("%s uses %s, which is not exported", what, name)
			continue
		}
		for _, sel := range regexp.MustCompile(`(\w+)=~?"([^"]*)"`).FindAllStringSubmatch(u[3], -1) {
			label, values := sel[1], strings.Split(strings.ReplaceAll(sel[2], `\|`, "|"), "|")
			for _, v := range values {
				if !strings.Contains(string(exported), label+`="`+v+`"`) {
					t.Errorf("%s selects %s{%s=%q}: not exported", what, name, label, v)
				}
			}
		}
	}
}
