package mail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"syscall"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// plain is an error said in an operator's words, without the server's
// name (the error around it names it once) or the libraries' wording; it
// unwraps to the error it says.
type plain struct {
	msg string
	err error
}

func (p *plain) Error() string { return p.msg }

// Unwrap returns the error p says.
func (p *plain) Unwrap() error { return p.err }

// plainf is err said as format says.
func plainf(err error, format string, args ...any) error {
	return &plain{msg: fmt.Sprintf(format, args...), err: err}
}

// dialProblem says why connecting, greeting, starting TLS or logging in
// failed with err, and what to do where the cause is known: the name not
// found, the connection refused or not answered, the login refused, TLS.
func (s *Sender) dialProblem(err error) error {
	var dns *net.DNSError
	var op *net.OpError
	var ne net.Error
	var te *textproto.Error
	var cert x509.CertificateInvalidError
	var alert tls.AlertError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return plainf(err, "no host has that name (DNS: no such host): check host")
	case errors.As(err, &dns):
		return plainf(err, "the name could not be looked up (DNS: %s): check the name servers of this host, then try again", dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return plainf(err, "connection refused: nothing takes connections on that port: check host and port "+
			"(587 is the usual one for STARTTLS, 465 for TLS from the first byte)")
	case errors.As(err, &ne) && ne.Timeout():
		return plainf(err, "no answer within %s: check host and port, and that a firewall lets this host reach it", s.opts.Timeout)
	case errors.As(err, &te):
		return s.refusedAtLogin(err, te)
	case errors.As(err, &cert) && cert.Reason == x509.Expired:
		return plainf(err, "the server's certificate has expired or is not valid yet (%s): its administrator must renew it, "+
			"or the clock of this host is wrong", cert.Detail)
	case errors.As(err, &alert):
		return plainf(err, "TLS with the server did not start: the server ended it (%v): it may take no TLS version or cipher "+
			"syncd offers (TLS 1.2 or newer)", alert)
	case errors.As(err, &op) && op.Err != nil:
		return plainf(err, "%v: check host, and that this host reaches the server's network", op.Err)
	}
	return err
}

// refusedAtLogin says an answer the server gave before any message was
// sent: to the login (530, 534, 535, 454), or to the greeting (554, 521:
// no mail from this host), to EHLO (the name syncd gave refused) or
// STARTTLS.
func (s *Sender) refusedAtLogin(err error, te *textproto.Error) error {
	said := answer(te)
	switch te.Code {
	case 535:
		return plainf(err, "the server refused the login (%s): check username and the password (password_file)", said)
	case 534, 538:
		return plainf(err, "the server refused that way of logging in (%s): set auth: to a mechanism it takes, or leave it out", said)
	case 530:
		return plainf(err, "the server wants a login first (%s): set username and password_file", said)
	case 454:
		if s.startTLSRefused(said) {
			return plainf(err, "the server could not start TLS for now (%s): it may later; if it goes on, its "+
				"administrator must look at its TLS set-up (its certificate and key)", said)
		}
		return plainf(err, "the server could not check the login for now (%s): it may take it later", said)
	case 554, 521: // RFC 5321's and RFC 7504's "no mail service here" for this client: a block list, an address not let in
		return plainf(err, "the server takes no mail from this host (%s): ask its administrator to let this host send, "+
			"or send through another server (host)", said)
	}
	if up := strings.ToUpper(said); te.Code >= 500 && (strings.Contains(up, "HELO") || strings.Contains(up, "EHLO")) {
		name := s.opts.HELO
		if name == "" {
			name = "this host's name"
		}
		return plainf(err, "the server refused the name syncd greets it with, %s (%s): syncd gives this host's name when it "+
			"is fully qualified, else the domain of from: give this host a fully qualified name the server finds in DNS "+
			"(hostnamectl set-hostname), or have the server's administrator accept it", name, said)
	}
	return plainf(err, "the server answered %s before any message was sent", said)
}

// startTLSRefused reports whether said, a 454 answered before any message,
// is the answer to STARTTLS (RFC 3207: TLS not available for now) rather
// than to the login (RFC 4954: a login not checked for now), which answer
// alike: STARTTLS when no login is configured or, with one, when it was
// asked for and the answer names TLS.
func (s *Sender) startTLSRefused(said string) bool {
	switch {
	case s.opts.TLS == TLSNone || s.opts.TLS == TLSImplicit:
		return false
	case s.opts.Username == "":
		return true
	}
	return strings.Contains(strings.ToUpper(said), "TLS")
}

// sendProblem says why the server did not take a message to the
// addresses in to, by err, its answer: a recipient refused, the message
// refused, the sender put off for now; err as it is otherwise (a sender
// refused, a message too large and a server hanging up after taking it
// are said where they are found).
func (s *Sender) sendProblem(err error, to []string) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return err
	}
	said := answer(se)
	to = append([]string(nil), to...)
	for i, a := range to {
		to[i] = strings.Trim(a, "<>")
	}
	switch {
	case se.ErrorCode() >= 500 && mailboxFull(enhancedCode(se)):
		return plainf(err, "the mailbox of %s is full (%s): the address is right; once its owner makes room the server takes it",
			strings.Join(to, ", "), said)
	case relayRefused(err):
		return plainf(err, "the server refused %s (%s): %s", strings.Join(to, ", "), said, s.relayAdvice())
	case se.Reason == gomail.ErrSMTPRcptTo && se.ErrorCode() >= 500:
		return plainf(err, "the server refused %s (%s): correct or remove the address in to:", strings.Join(to, ", "), said)
	case se.Reason == gomail.ErrSMTPRcptTo && se.ErrorCode() >= 400:
		return plainf(err, "the server refused %s for now (%s): it may take it later", strings.Join(to, ", "), said)
	case (se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose) && se.ErrorCode() >= 500:
		return plainf(err, "the server refused the message (%s): its answer says why", said)
	case se.Reason == gomail.ErrSMTPMailFrom && se.ErrorCode() >= 400 && se.ErrorCode() < 500: // a rate limit, a server busy
		return plainf(err, "the server did not take the message for now (%s): it may take it later", said)
	case (se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose) && se.ErrorCode() >= 400:
		return plainf(err, "the server did not take the message for now (%s): it may take it later", said)
	case se.ErrorCode() == 0 && (se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrWriteContent ||
		se.Reason == gomail.ErrSMTPDataClose):
		return plainf(err, "the connection to the server ended while the message was sent, before the server took it (%s): "+
			"it may take it when tried again", s.cutBy(se))
	}
	return err
}

// cutBy says, in words, what ended a connection that had no answer to a
// message (go-mail's SendError keeps the cause as text alone).
func (s *Sender) cutBy(se *gomail.SendError) string {
	switch text := se.Error(); {
	case strings.Contains(text, "i/o timeout"):
		return "no answer within " + minutes(s.opts.SendTimeout)
	case strings.Contains(text, "EOF"), strings.Contains(text, "broken pipe"), strings.Contains(text, "connection reset"):
		return "the server closed it"
	}
	return "the network or the server cut it"
}

// minutes is d in words, "10 minutes", or as Go writes it when it is not
// whole minutes ("90s").
func minutes(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "1 minute"
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}

// joinPlain is errs as one error, said on one line.
func joinPlain(errs []error) error {
	if len(errs) < 2 {
		return errors.Join(errs...)
	}
	said := make([]string, len(errs))
	for i, err := range errs {
		said[i] = err.Error()
	}
	return &plain{msg: strings.Join(said, "; "), err: errors.Join(errs...)}
}
