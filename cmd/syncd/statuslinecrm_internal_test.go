package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestStatusLineCallsALongCRMOutageAttention: every CRM call failing for
// half an hour is what syncd status calls FAILING (exit 5); the systemd
// status line says it needs attention then, from the next call that
// fails, and a note beside "serving on" before.
func TestStatusLineCallsALongCRMOutageAttention(t *testing.T) {
	t.Parallel()
	l := &statusLine{}
	l.servingOn("127.0.0.1:8080")
	clk := clock{loc: time.UTC}
	l.crmFailing("hubspot", time.Now().Add(-time.Minute), clk)
	if !strings.HasPrefix(l.sent, "serving on 127.0.0.1:8080; CRM hubspot: every call failing since ") {
		t.Errorf("a minute into an outage: %q", l.sent)
	}
	since := time.Now().Add(-31 * time.Minute)
	l.crmFailing("hubspot", since, clk)
	want := "ATTENTION: CRM hubspot FAILING every call since " + clk.show(since) + ": syncd status (serving on 127.0.0.1:8080)"
	if l.sent != want {
		t.Errorf("31 minutes into an outage:\n got %q\nwant %q", l.sent, want)
	}
	l.crmFailing("hubspot", time.Time{}, clk)
	if l.sent != "serving on 127.0.0.1:8080" {
		t.Errorf("once the CRM answers: %q", l.sent)
	}
}

// TestStatusLineSaysAMailRefusedForSome: a report mail the server took for
// some recipients and refused for others showed nothing on the systemd
// status line (only a mail failed for all did), though syncd status exits
// 5 on it. The line calls it for attention too, and clears it.
func TestStatusLineSaysAMailRefusedForSome(t *testing.T) {
	t.Parallel()
	l := &statusLine{}
	l.servingOn("127.0.0.1:8080")
	l.mailed(report.Record{Mail: report.MailSent, MailError: "refused for 1 recipient(s): sales@example.com (550 no such user)",
		MailNote: report.MailNote{Refused: 1, RefusedWho: "sales@example.com (550 no such user)"}})
	if want := "ATTENTION: last report mail REFUSED for 1 recipient: syncd status (serving on 127.0.0.1:8080)"; l.sent != want {
		t.Errorf("a mail refused for one recipient:\n got %q\nwant %q", l.sent, want)
	}
	l.mailed(report.Record{Mail: report.MailFailed, MailError: "dial failed"})
	if want := "ATTENTION: last report mail FAILED: syncd status (serving on 127.0.0.1:8080)"; l.sent != want {
		t.Errorf("a mail failed for all:\n got %q\nwant %q", l.sent, want)
	}
	l.mailed(report.Record{Mail: report.MailSent})
	if l.sent != "serving on 127.0.0.1:8080" {
		t.Errorf("once mailed to all: %q", l.sent)
	}
}
