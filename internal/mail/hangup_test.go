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

// TestServerHangingUpAfterAcceptingCountsAsSent: a server that answers 250
// to the message and then closes the connection (RSET and QUIT get no
// answer) has the message: reporting a failure made the daemon retry and
// mail everyone again, and the operator of `syncd report -mail` too.
func TestServerHangingUpAfterAcceptingCountsAsSent(t *testing.T) {
	srv := mailtest.StartRough(t, true)
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		From: "syncd@example.com", To: []string{"a@example.com", "b@example.com"}, Timeout: 5 * time.Second})
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

// TestHangUpWhileSendingEachCopy: with an address refused, each recipient
// gets a copy of their own in one session; the server hanging up after the
// first copy left it counted as not sent, so all of it was retried and the
// first recipient mailed twice. Now it is partly sent, the copies the
// server hung up before pending: to send to them alone, not to a@ again.
func TestHangUpWhileSendingEachCopy(t *testing.T) {
	srv := mailtest.StartRough(t, true)
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
		To: []string{"a@example.com", "gone@refused.example", "b@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	var me *mail.Error
	if !errors.As(err, &me) || !mail.Partial(err) || !strings.Contains(err.Error(), "sent to 1 of 3") ||
		strings.Join(me.Pending(), ",") != "gone@refused.example,b@example.com" {
		t.Fatalf("err = %v (partial %v), want sent to 1 of 3, the others pending", err, mail.Partial(err))
	}
	if got := srv.Accepted(); strings.Join(got, ";") != "a@example.com" {
		t.Fatalf("accepted %q, want one copy to a@", got)
	}
}
