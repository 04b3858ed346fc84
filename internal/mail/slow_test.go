package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestServerSlowToAnswerTheDataCountsAsSent: a server that takes longer
// than the connection timeout to answer a message's data (scanning the
// workbook; RFC 5321 gives it 10 minutes) has the message. syncd gave up
// after Timeout, reported an i/o timeout and had it sent again: the daemon
// mailed every recipient up to five times, `syncd report -mail` said to
// run it again. The timeout bounds connecting; a message has 10 minutes.
func TestServerSlowToAnswerTheDataCountsAsSent(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.SlowToAnswer(6 * time.Second)
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		From: "syncd@example.com", To: []string{"a@example.com", "b@example.com"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "12 leads", "12 leads.\n"); err != nil {
		t.Fatalf("accepted by the server, yet err = %v (temporary %v): it would be mailed again", err, mail.Temporary(err))
	}
	if got := srv.Accepted(); strings.Join(got, ";") != "a@example.com,b@example.com" {
		t.Fatalf("accepted %q, want one message to a@ and b@", got)
	}
}

// TestStoppingEndsASlowSession: with a message given 10 minutes, a daemon
// told to stop while the server takes its time must not wait for it
// (systemd would kill it first): ending the context ends the session
// after a grace of 10 s.
func TestStoppingEndsASlowSession(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.SlowToAnswer(time.Minute)
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, "12 leads", "12 leads.\n") }()
	for deadline := time.Now().Add(20 * time.Second); len(srv.Accepted()) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server never had the message")
		}
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		t.Logf("ended %v after the stop", time.Since(start))
	case <-time.After(40 * time.Second):
		t.Fatal("still waiting for the server's answer 40 s after the stop")
	}
}

// TestStoppingLetsTheServerAnswer: a daemon told to stop as the server
// has the message but has not answered yet lets it answer (within 10 s):
// cutting the connection at once had the message counted as not sent,
// and sent again at the next start.
func TestStoppingLetsTheServerAnswer(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.SlowToAnswer(2 * time.Second)
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, "12 leads", "12 leads.\n") }()
	for deadline := time.Now().Add(20 * time.Second); len(srv.Accepted()) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server never had the message")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("the server had the message and answered 250, yet err = %v: it would be sent again", err)
	}
}
