package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailAdviceForARecipientAnsweredForNow: `syncd report -mail`
// whose mail a server took for one recipient and refused only for now
// (450, greylisting) for another said to "correct or remove the refused
// address(es) in report.mail.to", though the address is right and would
// take the mail later. It says the server refused it only for now.
func TestReportMailAdviceForARecipientAnsweredForNow(t *testing.T) {
	srv := mailtest.Start(t, "", "")
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
		To: []string{"a@example.com", "d@greylist.example"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	got := partialMailAdvice(err)
	if !strings.Contains(got, "d@greylist.example only for now") || strings.Contains(got, "correct or remove the refused address(es)") {
		t.Fatalf("after %v\nadvice %q: want the address answered for now named as such", err, got)
	}
	if got := partialMailAdvice(nil); !strings.Contains(got, "correct or remove the refused address(es) in report.mail.to") {
		t.Fatalf("advice for a refusal for good %q", got)
	}
}
