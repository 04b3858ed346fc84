package mail_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestErrorsNameTheServerOnce: a mail error named the server two or three
// times, the rest in go-mail's and net's words ("mail 127.0.0.1:2525: dial
// failed: dial tcp 127.0.0.1:2525: connect: connection refused", "dial
// failed: SMTP AUTH failed: 535 ..."). Each now names it once, says what
// happened plainly and, where the cause is known, what to do; it still
// unwraps to the cause (a net.Error for the server not reached), and says
// as before whether trying again may help.
func TestErrorsNameTheServerOnce(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().(*net.TCPAddr).Port
	l.Close()
	for _, c := range []struct {
		name   string
		mod    func(*mail.Options)
		server string // as the error names it
		want   []string
		temp   bool
		net    bool // unwraps to a net.Error
	}{
		{"refused", func(o *mail.Options) { o.Port = closed }, fmt.Sprintf("127.0.0.1:%d", closed),
			[]string{"connection refused", "nothing takes connections on that port", "check host and port"}, true, true},
		{"no such host", func(o *mail.Options) { o.Host = "mail.nonexistent.invalid" }, "mail.nonexistent.invalid:",
			[]string{"check host"}, true, true},
		{"wrong password", func(o *mail.Options) { o.Password = "wrong" }, fmt.Sprintf("127.0.0.1:%d", srv.Port),
			[]string{"the server refused the login (535 5.7.8 Authentication failed)", "check username and the password"}, false, false},
		{"recipient refused", func(o *mail.Options) { o.To = []string{"left@refused.example"} }, fmt.Sprintf("127.0.0.1:%d", srv.Port),
			[]string{"the server refused left@refused.example (550 5.1.1 no such user)", "correct or remove the address in to:"}, false, false},
	} {
		o := mail.Options{Host: srv.Host, Port: srv.Port, Username: "reports", Password: "s3cret", Auth: "PLAIN",
			TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
			From:      "syncd <syncd@example.com>", To: []string{"a@example.com"}, Timeout: 5 * time.Second}
		c.mod(&o)
		s, err := mail.New(o)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), "s", "b")
		if err == nil {
			t.Fatalf("%s: sent", c.name)
		}
		msg := err.Error()
		host, _, _ := strings.Cut(c.server, ":")
		if !strings.HasPrefix(msg, "mail "+c.server) || strings.Count(msg, host) != 1 {
			t.Errorf("%s: want the server %s named once, first: %s", c.name, c.server, msg)
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: want %q in: %s", c.name, w, msg)
			}
		}
		for _, lib := range []string{"dial failed", "send failed", "SMTP AUTH failed", "dial tcp", "affected", "RCPT TO", `"`} {
			if strings.Contains(msg, lib) {
				t.Errorf("%s: the library's words %q in: %s", c.name, lib, msg)
			}
		}
		var ne net.Error
		if mail.Temporary(err) != c.temp || errAs(err, &ne) != c.net {
			t.Errorf("%s: temporary %v, a net.Error %v: %s", c.name, mail.Temporary(err), errAs(err, &ne), msg)
		}
	}
}

func errAs(err error, target any) bool { return errors.As(err, target) }
