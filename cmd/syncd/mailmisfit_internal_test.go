package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailAdviceForSettingsTheServerDoesNotFit: `syncd report -mail`
// to a server offering no STARTTLS (tls: starttls, the default) said
// "run the same command again to retry the mail", which fails alike; it
// says to change report.mail first.
func TestReportMailAdviceForSettingsTheServerDoesNotFit(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, From: "syncd@example.com",
		To: []string{"a@example.com"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	got := retryMailAdvice(err)
	if !strings.Contains(got, "report.mail does not fit what the mail server offers") || strings.Contains(got, "retry the mail") {
		t.Fatalf("after %v\nadvice %q: want report.mail to change first", err, got)
	}
}
