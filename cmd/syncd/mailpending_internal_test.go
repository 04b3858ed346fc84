package main

import (
	"context"
	"errors"
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
	t.Parallel()
	srv := mailtest.Start(t, "", "")
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
		To: []string{"a@example.com", "d@greylist.example"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	var me *mail.Error
	if !errors.As(err, &me) || !me.Partial() {
		t.Fatalf("not a partial refusal: %v", err)
	}
	got := partlyMailed(me, []string{"a@example.com", "d@greylist.example"}, "mail.example.com:25")
	if !strings.Contains(got, "mailed to a@example.com;") || !strings.Contains(got, "d@greylist.example (450") ||
		!strings.Contains(got, "refused only for now") || strings.Contains(got, "correct or remove") {
		t.Fatalf("after %v\nadvice %q: want the address answered for now named as such", err, got)
	}
}
