package main

import (
	"strings"
	"testing"
	"time"
)

// TestStatusLineCallsALongCRMOutageAttention: every CRM call failing for
// half an hour is what syncd status calls FAILING (exit 5); the systemd
// status line says it needs attention then, from the next call that
// fails, and a note beside "serving on" before.
func TestStatusLineCallsALongCRMOutageAttention(t *testing.T) {
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
