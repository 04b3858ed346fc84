package mail

import (
	"errors"
	"net/netip"
	"slices"
	"strings"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// onThisHost reports whether host names this host: localhost, or a
// loopback address (127.0.0.0/8, ::1). A connection there never leaves
// the host, so a password sent on it unencrypted is read by no one on the
// network: a local Postfix or relay offering PLAIN or LOGIN without
// STARTTLS gets the login.
func onThisHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// errNoAuthOffered is the login failing as the server offers none (no
// AUTH in its EHLO answer): misfit says what to change.
var errNoAuthOffered = errors.New("the server offers no SMTP AUTH")

// localLogin is the login (SMTP AUTH) to a relay on this host on a
// connection without TLS: the strongest mechanism the server offers, as
// go-mail's discovery picks one, PLAIN and LOGIN too (go-mail's discovery
// leaves them out without TLS, and its PLAIN takes only the names
// localhost, 127.0.0.1 and ::1). On a connection with TLS (STARTTLS
// offered to tls: opportunistic) it is go-mail's choice for TLS, short of
// the SCRAM -PLUS ones that need the TLS state.
type localLogin struct {
	user, pass, host string
	chosen           smtp.Auth
}

// Start picks the mechanism from those server offers, and starts it.
func (l *localLogin) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if len(server.Auth) == 0 || len(server.Auth) == 1 && server.Auth[0] == "" {
		return "", nil, errNoAuthOffered
	}
	for _, m := range []struct {
		name string
		auth func() smtp.Auth
	}{
		{"SCRAM-SHA-256", func() smtp.Auth { return smtp.ScramSHA256Auth(l.user, l.pass) }},
		{"SCRAM-SHA-1", func() smtp.Auth { return smtp.ScramSHA1Auth(l.user, l.pass) }},
		{"NTLM", func() smtp.Auth { return smtp.NTLMAuth(l.user, l.pass, "") }},
		{"CRAM-MD5", func() smtp.Auth { return smtp.CRAMMD5Auth(l.user, l.pass) }},
		{"PLAIN", func() smtp.Auth { return smtp.PlainAuth("", l.user, l.pass, l.host, true) }},
		{"LOGIN", func() smtp.Auth { return smtp.LoginAuth(l.user, l.pass, l.host, true) }},
	} {
		if slices.ContainsFunc(server.Auth, func(offered string) bool { return strings.EqualFold(offered, m.name) }) {
			l.chosen = m.auth()
			return l.chosen.Start(server)
		}
	}
	return "", nil, gomail.ErrNoSupportedAuthDiscovered
}

// Next answers the server's challenge as the mechanism chosen does.
func (l *localLogin) Next(fromServer []byte, more bool) ([]byte, error) {
	return l.chosen.Next(fromServer, more)
}
