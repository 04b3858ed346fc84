package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestReportLookedAtByHandKeepsTheFailedMailShown: the daemon's report of
// yesterday could not be mailed (attempts used up); the operator then made
// a report of an older day by hand, to look at it, without -mail. Status
// and syncd_last_report_mail_failed still show the failed mail, with the
// day to mail again. Before, the report made last was the one spoken of:
// status said "last report …, of <the older day>", no FAILED line, exit 0,
// and the alert on the gauge went quiet with nobody having the report.
func TestReportLookedAtByHandKeepsTheFailedMailShown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)
	for _, r := range []report.Record{
		{Day: "2026-11-29", Path: "/r/leads-2026-11-29.xlsx", CreatedAt: at, Mail: report.MailPending},
		{Day: "2026-11-20", Path: "/r/leads-2026-11-20.xlsx", CreatedAt: at.Add(3 * time.Hour), Mail: report.MailNone},
	} {
		if err := db.RecordReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetMailState(ctx, "2026-11-29", report.MailFailed, 5, "dial tcp: connection refused", report.MailNote{}); err != nil {
		t.Fatal(err)
	}

	s, err := dbSnapshot(ctx, &config.Config{CRM: config.CRM{Kind: "dryrun"}}, &backend{store: db})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	writeStatus(&out, clock{loc: time.UTC}, s)
	if !s.ReportMailFailed || s.ReportDay != "2026-11-29" || !s.needsAttention() ||
		!strings.Contains(out.String(), "its mail FAILED: nobody got it: dial tcp: connection refused (again: syncd report -date 2026-11-29 -mail)") {
		t.Errorf("status after a report looked at by hand, want yesterday's failed mail:\n%s", out.String())
	}

	m := metrics.New("test")
	if err := reportMetrics(ctx, &config.Config{}, &backend{store: db}, m, &statusLine{}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), metrics.NameReportMail+" 1") {
		t.Errorf("want %s 1 in:\n%s", metrics.NameReportMail, grepMetric(rec.Body.String(), "report"))
	}
}

// grepMetric returns the lines of text that contain sub.
func grepMetric(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
