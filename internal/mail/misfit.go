package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"slices"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// misfit finds, after a connection failed with dialErr, which of the
// server's ways the settings do not fit: TLS from the first byte or a
// plain greeting the other way round, STARTTLS required and not offered,
// a username set and no login (SMTP AUTH) offered, or a login offered only
// in ways syncd does not use on that connection. It asks the server again
// (a TLS handshake, or a greeting without STARTTLS or login), and returns
// nil when dialErr is the server's answer, the network's, the context's,
// or when the server offers what the settings need (dialErr stands).
func (s *Sender) misfit(ctx context.Context, dialErr error) error {
	var te *textproto.Error
	var ne net.Error
	var rh tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	switch {
	case ctx.Err() != nil || errors.As(dialErr, &te):
		return nil
	case errors.As(dialErr, &cert):
		return untrusted(cert)
	case s.opts.TLS == TLSImplicit && errors.As(dialErr, &rh) && s.greetsInPlain(ctx):
		return fmt.Errorf("the server on port %d greets in plain text, where tls: tls expects TLS from the first byte: "+
			"set tls: starttls (port 587 is the usual one for it), or the port where the server takes TLS at once (465)", s.opts.Port)
	case s.opts.TLS != TLSImplicit && waitedForAnswer(dialErr) && s.speaksTLS(ctx):
		return fmt.Errorf("the server on port %d says nothing until TLS begins: it takes TLS from the first byte: "+
			"set tls: tls (port 465 is the usual one for it), or the port where it greets in plain text and offers STARTTLS (587)", s.opts.Port)
	case errors.As(dialErr, &ne):
		return nil
	}
	return s.offers(ctx, dialErr)
}

// untrusted says what to change when the server's certificate failed
// verification in a way that does not mend itself: not trusted
// (self-signed, a private CA's), or for other names than the one syncd
// asked for; nil otherwise (one expired may be renewed before the next
// attempt). The error wraps cert.
func untrusted(cert *tls.CertificateVerificationError) error {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	switch {
	case errors.As(cert, &ua):
		return fmt.Errorf("the server's certificate is not trusted (self-signed, or a private CA's): "+
			"name a PEM file holding it or its CA in ca_file: %w", cert)
	case errors.As(cert, &hn):
		return fmt.Errorf("the server's certificate is not for the name syncd connects to: "+
			"set host: to a name it holds: %w", cert)
	}
	return nil
}

// waitedForAnswer reports whether err is a connection made whose server
// did not answer in time (a server that takes TLS from the first byte
// waits for it silently); not one that could not be made.
func waitedForAnswer(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "read" && op.Timeout()
}

// greetsInPlain reports whether the server greets in plain text, as an
// SMTP server that offers STARTTLS does.
func (s *Sender) greetsInPlain(ctx context.Context) bool {
	o := []gomail.Option{gomail.WithPort(s.opts.Port), gomail.WithTimeout(s.opts.Timeout), gomail.WithTLSPolicy(gomail.NoTLS)}
	if s.opts.HELO != "" {
		o = append(o, gomail.WithHELO(s.opts.HELO))
	}
	probe, err := gomail.NewClient(s.clientHost(), o...)
	if err != nil {
		return false
	}
	conn, err := probe.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return false
	}
	_ = probe.CloseWithSMTPClient(conn)
	return true
}

// speaksTLS reports whether the server answers a TLS handshake: one
// whose certificate is not trusted does too.
func (s *Sender) speaksTLS(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	d := tls.Dialer{Config: s.tlsConfig()}
	conn, err := d.DialContext(ctx, "tcp", s.server())
	var cert *tls.CertificateVerificationError
	if err == nil {
		_ = conn.Close()
		return true
	}
	return errors.As(err, &cert)
}

// offers is misfit's look at what the server offers once greeted: STARTTLS
// and a login.
func (s *Sender) offers(ctx context.Context, dialErr error) error {
	probe, err := gomail.NewClient(s.clientHost(), s.greetOptions(s.opts.Timeout, gomail.NoTLS)...)
	if err != nil {
		return nil
	}
	conn, err := probe.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil
	}
	defer probe.CloseWithSMTPClient(conn) //nolint:errcheck // a probe's goodbye
	encrypted := s.opts.TLS == TLSImplicit
	startTLS, _ := conn.Extension("STARTTLS")
	if s.tls != gomail.NoTLS && !encrypted {
		switch {
		case !startTLS && s.tls == gomail.TLSMandatory:
			return errors.New("the server offers no STARTTLS, which tls: starttls (the default) requires: " +
				"a server on port 465 takes TLS from the first byte (port: 465, tls: tls); a relay on this host " +
				"that takes mail unencrypted, tls: none")
		case startTLS:
			if conn.StartTLS(s.tlsConfig()) != nil {
				return nil
			}
			encrypted = true
		}
	}
	if s.auth == "" || s.auth == gomail.SMTPAuthNoAuth {
		return nil
	}
	offered, mechs := conn.Extension("AUTH")
	switch {
	case !offered && !encrypted:
		return noLoginInClear(startTLS)
	case !offered:
		return errors.New("the server offers no login (SMTP AUTH), and a username is set: a relay that takes this " +
			"host's mail without a login needs no username and password; else the host or port is not the one for " +
			"sending mail with a login (587 with tls: starttls, or 465 with tls: tls)")
	case !errors.Is(dialErr, gomail.ErrNoSupportedAuthDiscovered):
		return nil
	case !encrypted && inClear(mechs):
		return loginInClear(mechs, startTLS)
	}
	return fmt.Errorf("the server offers login only as %s, which syncd does not speak%s: syncd logs in with a password "+
		"(SCRAM-SHA-256, SCRAM-SHA-1, NTLM, CRAM-MD5; PLAIN or LOGIN over TLS or to a relay on this host): send through "+
		"a server that takes one of those (host and port); or, if this one takes this host's mail without a login, "+
		"remove username and password_file", mechs, oauth(mechs))
}

// noLoginInClear says what to change when a server that offers no login
// (SMTP AUTH) on an unencrypted connection is given a username: STARTTLS
// where it offers it (most offer a login only after it), no username for
// a relay that takes this host's mail without one; else another port.
func noLoginInClear(startTLS bool) error {
	if startTLS {
		return errors.New("the server offers no login (SMTP AUTH) on this unencrypted connection, and a username is " +
			"set: it offers STARTTLS, after which most offer one: set tls: starttls; a relay that takes this host's " +
			"mail without a login needs no username and password_file")
	}
	return errors.New("the server offers no login (SMTP AUTH), nor STARTTLS, and a username is set: a relay that " +
		"takes this host's mail without a login needs none: remove username and password_file; else host and port " +
		"are not those of the server for sending mail with a login (587 with tls: starttls, or 465 with tls: tls)")
}

// loginInClear says what to change when a server on another host offers
// a login, on an unencrypted connection, only in ways (mechs, its AUTH
// line) that syncd would speak only by sending the password readable
// across the network (PLAIN, LOGIN): STARTTLS where it offers it; else the
// relay to offer it, a relay on this host (where syncd logs in so: the
// password stays on the host), or no login for a relay that needs none.
func loginInClear(mechs string, startTLS bool) error {
	if startTLS {
		return fmt.Errorf("the server offers login only as %s on this unencrypted connection, which sends the password "+
			"readable across the network, and syncd does not: the server offers STARTTLS: set tls: starttls", mechs)
	}
	return fmt.Errorf("the server offers login only as %s, and no STARTTLS: a login by PLAIN or LOGIN would send the "+
		"password readable across the network, which syncd does only to a relay on this host (host: localhost or "+
		"127.0.0.1): have the relay offer STARTTLS and set tls: starttls; or send through a relay on this host; or, "+
		"if this one takes this host's mail without a login, remove username and password_file", mechs)
}

// oauth says, when the mechanisms a server offers (its AUTH line) are
// OAuth ones, what they want: a token, not a password.
func oauth(mechs string) string {
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		if m == "XOAUTH2" || m == "OAUTHBEARER" {
			return " (an OAuth token, as Microsoft 365 and Google ask for, not a password)"
		}
	}
	return ""
}

// refusedSender says which setting to change when the server refused the
// sender for good (a 5xx answer to MAIL FROM): from, an address the login
// may not send as, or, asked for a login (530) with no username set, the
// login; nil for any other error. err wraps the server's answer.
func (s *Sender) refusedSender(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.Reason != gomail.ErrSMTPMailFrom || se.ErrorCode() < 500 {
		return nil
	}
	said := answer(se)
	switch {
	case se.ErrorCode() == 530 && s.opts.Username == "":
		return fmt.Errorf("the server asks for a login before it takes mail (%s): set username and password_file", said)
	case se.ErrorCode() == 552: // too large, said at once to a SIZE given (RFC 1870)
		return nil
	}
	from := s.opts.From
	if a, perr := netmail.ParseAddress(from); perr == nil {
		from = a.Address
	}
	who := "this host"
	if s.opts.Username != "" {
		who = "the login " + s.opts.Username
	}
	return fmt.Errorf("the server refuses the sender address %s (%s): set from: to an address it lets %s send as", from, said, who)
}

// inClear reports whether the mechanisms a server offers (its AUTH line)
// include one that sends the password as it is: PLAIN, LOGIN.
func inClear(mechs string) bool {
	return slices.ContainsFunc(strings.Fields(strings.ToUpper(mechs)), func(m string) bool {
		return m == "PLAIN" || m == "LOGIN"
	})
}

// Misfit reports whether err, from Send, says the settings do not fit
// what the server offers (STARTTLS, a login, relaying to the recipients'
// domains without one, SMTPUTF8 for the sender): neither trying again nor
// the server's other answers mend it, a change of settings does.
func Misfit(err error) bool {
	var me *Error
	return errors.As(err, &me) && me.Setting
}
