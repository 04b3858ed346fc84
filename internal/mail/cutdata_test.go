package mail_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestServerHangingUpInTheDataSaysSo: a server closing the connection in
// the midst of a message's data (restarting; a proxy or firewall cutting
// it) was said in go-mail's and net's words, on two lines: "closing SMTP
// DATA writer: EOF, affected message ID: <…>" and "failed to close
// connection: failed to close SMTP client: write tcp …: broken pipe",
// which the log, `syncd status` and `syncd report -mail` repeated. Now it
// says what happened, that the server did not take the message, and that
// it is tried again; it is still worth retrying. Both a short message
// (the cut is met reading the answer) and one with a workbook of 4 MB
// (met writing it).
func TestServerHangingUpInTheDataSaysSo(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "leads-2026-12-07.xlsx")
	buf := make([]byte, 4<<20)
	_, _ = rand.Read(buf)
	if err := os.WriteFile(big, buf, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files []string
	}{{"short", nil}, {"with a workbook", []string{big}}} {
		srv := mailtest.StartRough(t, false)
		srv.HangUpInData()
		s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
			From: "syncd@example.com", To: []string{"a@example.com", "b@example.com"}, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), "12 leads", "12 leads.\n", c.files...)
		if err == nil {
			t.Fatalf("%s: sent, yet the server hung up before answering", c.name)
		}
		msg := err.Error()
		if !mail.Temporary(err) || mail.Partial(err) {
			t.Errorf("%s: temporary %v, partial %v, want worth trying again and sent to none: %s",
				c.name, mail.Temporary(err), mail.Partial(err), msg)
		}
		if want := "the connection to the server ended while the message was sent, before the server took it"; !strings.Contains(msg, want) ||
			strings.Contains(msg, "\n") {
			t.Errorf("%s: want %q on one line in: %s", c.name, want, msg)
		}
		for _, lib := range []string{"SMTP", "DATA", "EOF", "affected", "failed to close", "broken pipe", "write tcp", "connection reset"} {
			if strings.Contains(msg, lib) {
				t.Errorf("%s: the library's words %q in: %s", c.name, lib, msg)
			}
		}
	}
}
