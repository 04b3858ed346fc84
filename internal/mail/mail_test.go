package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

func sender(t *testing.T, srv *mailtest.Server, user, pass string, mod func(*mail.Options)) *mail.Sender {
	t.Helper()
	o := mail.Options{
		Host: srv.Host, Port: srv.Port, Username: user, Password: pass, Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
		From:      "syncd <syncd@example.com>", To: []string{"a@example.com", "b@example.com"},
		Timeout: 5 * time.Second,
	}
	if mod != nil {
		mod(&o)
	}
	s, err := mail.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendOverSTARTTLSWithAuthAndAttachment(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	file := filepath.Join(t.TempDir(), "leads-2026-03-29.xlsx")
	content := bytes.Repeat([]byte("PK\x03\x04 binary \x00\xff"), 5000)
	if err := os.WriteFile(file, content, 0o640); err != nil {
		t.Fatal(err)
	}
	s := sender(t, srv, "reports", "s3cret", nil)
	if err := s.Send(context.Background(), "Leads report 2026-03-29", "12 leads.\nThe workbook is attached.\n", file); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(msgs))
	}
	m := msgs[0]
	if m.User != "reports" || m.From != "syncd@example.com" || strings.Join(m.To, ",") != "a@example.com,b@example.com" {
		t.Fatalf("envelope: user %q from %q to %q", m.User, m.From, m.To)
	}
	p, err := m.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Header.Get("Subject"); got != "Leads report 2026-03-29" {
		t.Errorf("subject %q", got)
	}
	if !strings.Contains(p.Text, "12 leads.") {
		t.Errorf("body %q", p.Text)
	}
	got, ok := p.Attachments["leads-2026-03-29.xlsx"]
	if !ok || !bytes.Equal(got, content) {
		t.Fatalf("attachment missing or changed: %d bytes, want %d", len(got), len(content))
	}
	if typ := p.Types["leads-2026-03-29.xlsx"]; typ != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("attachment type %q", typ)
	}
}

// TestSendHTMLWithTextAlternative: an HTML part beside the plain text one
// (multipart/alternative), the attachment kept, a subject beyond ASCII.
func TestSendHTMLWithTextAlternative(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	file := filepath.Join(t.TempDir(), "leads-2026-03-29.xlsx")
	if err := os.WriteFile(file, []byte("PK\x03\x04"), 0o640); err != nil {
		t.Fatal(err)
	}
	html := "<p><strong>12 leads</strong> · 5 listings failing on Rightmove</p>"
	err := sender(t, srv, "reports", "s3cret", nil).SendHTML(context.Background(),
		"12 leads · 5 listings failing on Rightmove · CRM paused", "12 leads.\n", html, file)
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	if !bytes.Contains(msgs[0].Data, []byte("multipart/alternative")) {
		t.Error("no multipart/alternative part")
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "12 leads · 5 listings failing on Rightmove · CRM paused" || strings.TrimSpace(p.Text) != "12 leads." ||
		p.HTML != html || len(p.Attachments["leads-2026-03-29.xlsx"]) != 4 {
		t.Fatalf("subject %q text %q html %q attachments %d", p.Subject, p.Text, p.HTML, len(p.Attachments))
	}
}

func TestSendFailures(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	ctx := context.Background()
	t.Run("wrong password", func(t *testing.T) {
		err := sender(t, srv, "reports", "wrong", nil).Send(ctx, "s", "b")
		if err == nil {
			t.Fatal("sent with a wrong password")
		}
		if mail.Temporary(err) {
			t.Errorf("a refused login counts as temporary: %v", err)
		}
		if strings.Contains(err.Error(), "wrong") {
			t.Errorf("error shows the password: %v", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		err := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.TLSConfig = nil }).Send(ctx, "s", "b")
		if err == nil {
			t.Fatal("sent to a server whose certificate is not trusted")
		}
		if mail.Temporary(err) || !mail.Misfit(err) { // it will not pass by itself (TestUntrustedCertificateIsASetting)
			t.Errorf("an untrusted certificate counts as temporary: %v", err)
		}
	})
	t.Run("temporary refusal", func(t *testing.T) {
		srv.FailNext(1)
		err := sender(t, srv, "reports", "s3cret", nil).Send(ctx, "s", "b")
		if err == nil || !mail.Temporary(err) {
			t.Fatalf("err = %v, want a temporary error", err)
		}
	})
	t.Run("recipient refused", func(t *testing.T) {
		err := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"nobody@refused.example"} }).Send(ctx, "s", "b")
		if err == nil || mail.Temporary(err) {
			t.Fatalf("err = %v, want a permanent error", err)
		}
	})
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages arrived, want 0", n)
	}
}

func TestNewChecksOptions(t *testing.T) {
	_, err := mail.New(mail.Options{TLS: "maybe", Auth: "NOPE"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"no host", "no sender address", "no recipients", `tls "maybe"`, `auth "NOPE"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// One address the server refuses (a colleague who left) must not keep the
// report from the others: they get it, and the error names the refused one
// and says the message went out.
func TestOneRefusedRecipientDoesNotStopTheOthers(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
		o.To = []string{"a@example.com", "gone@refused.example", "b@example.com"}
	})
	err := s.SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>")
	if err == nil || mail.Temporary(err) || !mail.Partial(err) ||
		!strings.Contains(err.Error(), "gone@refused.example") || !strings.Contains(err.Error(), "550") ||
		!strings.Contains(err.Error(), "sent to 2 of 3 recipients") {
		t.Fatalf("err = %v, want a permanent partial error naming the refused address", err)
	}
	var me *mail.Error
	if !errors.As(err, &me) || strings.Join(me.Refusals(), ";") != "gone@refused.example (550 5.1.1 no such user)" {
		t.Errorf("refusals %q, want the refused address with the server's answer", me.Refusals())
	}
	var got []string
	for _, m := range srv.Messages() {
		got = append(got, m.To...)
		p, perr := m.Parse()
		if perr != nil || p.Subject != "12 leads" || p.HTML != "<p>12 leads.</p>" {
			t.Errorf("message to %v: %v %+v", m.To, perr, p)
		}
	}
	if strings.Join(got, ",") != "a@example.com,b@example.com" {
		t.Fatalf("delivered to %q, want a@ and b@", got)
	}
	// A recipient refused for now (greylisting) does not hold up the
	// others either: it is pending, to send to alone later
	// (TestEachRecipientGetsWhatItsAnswerMeans).
	err = sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
		o.To = []string{"c@example.com", "d@greylist.example"}
	}).Send(context.Background(), "s", "b")
	if !errors.As(err, &me) || !mail.Partial(err) || !mail.Temporary(err) || len(srv.Messages()) != 3 ||
		strings.Join(me.Pending(), ",") != "d@greylist.example" {
		t.Fatalf("greylisted: err = %v, %d messages; want c@ mailed and d@ pending", err, len(srv.Messages()))
	}
	// Every address refused for now: nothing went out, the whole message
	// is tried again later.
	err = sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
		o.To = []string{"e@greylist.example", "f@greylist.example"}
	}).Send(context.Background(), "s", "b")
	if err == nil || mail.Partial(err) || !mail.Temporary(err) || len(srv.Messages()) != 3 {
		t.Fatalf("all greylisted: err = %v, %d messages; want a temporary error and nothing sent", err, len(srv.Messages()))
	}
	// When every address is refused, nothing went out: not partial.
	err = sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
		o.To = []string{"x@refused.example", "y@refused.example"}
	}).Send(context.Background(), "s", "b")
	if err == nil || mail.Partial(err) || mail.Temporary(err) {
		t.Fatalf("all refused: err = %v, want a permanent error, not partial", err)
	}
}
