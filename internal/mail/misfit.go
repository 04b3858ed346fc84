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
	if s.tls != gomail.NoTLS && !encrypted {
		offered, _ := conn.Extension("STARTTLS")
		switch {
		case !offered && s.tls == gomail.TLSMandatory:
			return errors.New("the server offers no STARTTLS, which tls: starttls (the default) requires: " +
				"a server on port 465 takes TLS from the first byte (port: 465, tls: tls); a relay on this host " +
				"that takes mail unencrypted, tls: none")
		case offered:
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
		return errors.New("the server offers no login (SMTP AUTH) on this unencrypted connection, and a username is set: " +
			"most offer it only after STARTTLS (tls: starttls, port 587; or tls: tls, port 465); a relay that takes " +
			"this host's mail without a login needs no username and password")
	case !offered:
		return errors.New("the server offers no login (SMTP AUTH), and a username is set: a relay that takes this " +
			"host's mail without a login needs no username and password; else the host or port is not the one for " +
			"sending mail with a login (587 with tls: starttls, or 465 with tls: tls)")
	case errors.Is(dialErr, gomail.ErrNoSupportedAuthDiscovered) && !encrypted && onlyInClear(mechs):
		return fmt.Errorf("the server offers login only as %s, which would send the password readable on this "+
			"unencrypted connection, and syncd does not: tls: starttls (port 587) or tls: tls (port 465)", mechs)
	case errors.Is(dialErr, gomail.ErrNoSupportedAuthDiscovered):
		return fmt.Errorf("the server offers login as %s, none of which syncd speaks here", mechs)
	}
	return nil
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

// onlyInClear reports whether the mechanisms a server offers (its AUTH
// line) are only those that send the password as it is: PLAIN, LOGIN.
func onlyInClear(mechs string) bool {
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		if !slices.Contains([]string{"PLAIN", "LOGIN"}, m) {
			return false
		}
	}
	return true
}

// Misfit reports whether err, from Send, says the settings do not fit
// what the server offers (STARTTLS, a login, relaying to the recipients'
// domains without one, SMTPUTF8 for the sender): neither trying again nor
// the server's other answers mend it, a change of settings does.
func Misfit(err error) bool {
	var me *Error
	return errors.As(err, &me) && me.Setting
}
