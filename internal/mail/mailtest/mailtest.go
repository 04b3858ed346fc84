// Package mailtest runs a real SMTP server (emersion/go-smtp) inside a test
// process on 127.0.0.1 (or ::1, StartIPv6), with STARTTLS on a throw-away certificate and
// PLAIN authentication, and keeps every message it accepts.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	User string // the authenticated user, "" when none
	Helo string // the name the client gave in its EHLO or HELO
	// UTF8 is whether the client declared SMTPUTF8 (RFC 6531) in its MAIL
	// FROM, as it must to send an address with letters beyond ASCII.
	UTF8 bool
	Data []byte // the message as received (headers and body)
}

// Server is a running test SMTP server.
type Server struct {
	Host string
	Port int
	// RootCAs trusts the server's certificate (for the client's tls.Config).
	RootCAs *x509.CertPool

	user, pass string
	certDER    []byte // the server's self-signed certificate
	mu         sync.Mutex
	msgs       []Message
	failNext   int
	refuseOver int            // refuse with 552 a message larger than this (0: none)
	greyFor    int            // how many times each greylisted address is refused (0: always)
	greyed     map[string]int // how many times each was
	relay      bool           // StartRelay's: no TLS, the login offered as mechs
	mechs      []string       // the login's mechanisms offered, when relay
}

// Start starts a server that offers STARTTLS and requires PLAIN
// authentication as user/pass (none when user is ""). It stops when the
// test ends.
func Start(t testing.TB, user, pass string) *Server {
	t.Helper()
	return start(t, user, pass, false, 256<<20)
}

// StartOnPort starts a server as Start does on port of 127.0.0.1: a mail
// server that comes back where it was down.
func StartOnPort(t testing.TB, user, pass string, port int) *Server {
	t.Helper()
	return startAt(t, user, pass, false, 256<<20, port, false)
}

// StartIPv6 starts a server as Start does on ::1, IPv6's loopback, for a
// relay written report.mail.host: ::1 (Host is "::1"). The test skips where
// this host has no ::1.
func StartIPv6(t testing.TB, user, pass string) *Server {
	t.Helper()
	return startOn(t, "::1", user, pass, false, 256<<20, 0, false)
}

// StartSized starts a server as Start does that announces max as its
// message size limit (SIZE, RFC 1870) and refuses with 552 a message
// larger than it.
func StartSized(t testing.TB, user, pass string, max int64) *Server {
	t.Helper()
	return start(t, user, pass, false, max)
}

// StartImplicitTLS starts a server that speaks TLS from the first byte
// (SMTPS, as on port 465), and otherwise as Start's.
func StartImplicitTLS(t testing.TB, user, pass string) *Server {
	t.Helper()
	return start(t, user, pass, true, 256<<20)
}

// StartSMTPUTF8 starts a server as Start does that also offers SMTPUTF8
// (RFC 6531): it takes addresses with letters beyond ASCII, as Gmail and
// Microsoft 365 do. Start's offers it not, as many relays do not, and
// takes such an address all the same (go-smtp is lenient); Message.UTF8
// says whether the client declared it.
func StartSMTPUTF8(t testing.TB, user, pass string) *Server {
	t.Helper()
	return startAt(t, user, pass, false, 256<<20, 0, true)
}

func start(t testing.TB, user, pass string, implicit bool, max int64) *Server {
	t.Helper()
	return startAt(t, user, pass, implicit, max, 0, false)
}

func startAt(t testing.TB, user, pass string, implicit bool, max int64, port int, utf8 bool) *Server {
	t.Helper()
	return startOn(t, "127.0.0.1", user, pass, implicit, max, port, utf8)
}

// startOn starts a server on host (an address of this host's loopback).
func startOn(t testing.TB, host, user, pass string, implicit bool, max int64, port int, utf8 bool) *Server {
	t.Helper()
	cert, pool := certificate(t)
	s := &Server{RootCAs: pool, user: user, pass: pass, certDER: cert.Certificate[0]}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	// Past what a loaded machine takes: 10 s was met under -race with both
	// cores busy (CI at e5acf8a0: a 552 answered as "i/o timeout").
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = max
	srv.EnableSMTPUTF8 = utf8
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil && host == "::1" {
		t.Skipf("this host has no IPv6 loopback (::1) to run a mail server on: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	host, bound, _ := net.SplitHostPort(l.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(bound)
	if implicit {
		l = tls.NewListener(l, srv.TLSConfig)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// FailNext makes the server refuse the next n messages with a temporary
// error (451) after their data arrives.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// Greylist has the server refuse for now (450) each address at
// greylist.example only its first n times, and take it after, as
// greylisting does once the sender came back; n 0 refuses them always.
func (s *Server) Greylist(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.greyFor = n
}

// greylisted reports whether to is refused for now this time.
func (s *Server) greylisted(to string) bool {
	if !strings.HasSuffix(to, "@greylist.example") {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.greyed == nil {
		s.greyed = map[string]int{}
	}
	s.greyed[to]++
	return s.greyFor == 0 || s.greyed[to] <= s.greyFor
}

// RefuseOver makes the server refuse with 552 (too large) any message of
// more than n bytes, whatever limit it announces: a server whose real
// limit is lower than its SIZE, or that announces none.
func (s *Server) RefuseOver(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseOver = n
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Only is the one message accepted so far, parsed; it fails the test
// unless exactly one was accepted, or it does not parse.
func (s *Server) Only(t testing.TB) *Parsed {
	t.Helper()
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// session is one SMTP connection's state (go-smtp's Session and
// AuthSession).
type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	msg  Message
}

// AuthMechanisms offers PLAIN only, or a relay's mechanisms (StartRelay).
func (ss *session) AuthMechanisms() []string {
	if ss.s.relay {
		return ss.s.mechs
	}
	return []string{sasl.Plain}
}

// Auth checks the credentials given by mech against the server's user and
// password.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	if srv := ss.s.authServer(ss, mech); srv != nil {
		return srv, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// Mail starts a message; it requires authentication when a user is set
// (530),
// and refuses any sender at refused.example (553, as a server does an
// address the login may not send as).
func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	if ss.s.user != "" && ss.user == "" { // as RFC 4954 says (go-smtp's ErrAuthRequired is a 502)
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if strings.HasSuffix(from, "@refused.example") {
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "sender address not owned by user"}
	}
	ss.msg = Message{From: from, User: ss.user, Helo: ss.conn.Hostname(), UTF8: opts != nil && opts.UTF8}
	return nil
}

// Rcpt adds a recipient; any address at refused.example is refused for
// good (550), any at greylist.example for now (450, as greylisting does;
// see Greylist), any at full.example as over its quota (552 5.2.2, as
// Gmail and Exchange answer a full mailbox). An address at
// fulldata.example is taken here, and the data of a message to it is
// answered 552 5.2.2 (a mailbox found full on delivery, as Dovecot's LMTP
// answers). Without a login, an address at norelay.example is refused as
// a domain the server does not relay to (554 5.7.1, as Postfix answers),
// and one at notaccepted.example as Exchange refuses one (550 5.7.54).
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasSuffix(to, "@refused.example") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	if strings.HasSuffix(to, "@norelay.example") && ss.user == "" {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "<" + to + ">: Relay access denied"}
	}
	if strings.HasSuffix(to, "@notaccepted.example") && ss.user == "" {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 54},
			Message: "SMTP; Unable to relay recipient in non-accepted domain"}
	}
	if strings.HasSuffix(to, "@full.example") {
		return mailboxFull
	}
	if ss.s.greylisted(to) {
		return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try again later"}
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

// Data keeps the message, or refuses it with a 451 while FailNext lasts,
// or with a 552 when larger than RefuseOver's.
func (ss *session) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.failNext > 0 {
		ss.s.failNext--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	if slices.ContainsFunc(ss.msg.To, func(to string) bool { return strings.HasSuffix(to, "@fulldata.example") }) {
		return mailboxFull
	}
	if ss.s.refuseOver > 0 && b.Len() > ss.s.refuseOver {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "message too big for system"}
	}
	ss.msg.Data = b.Bytes()
	ss.s.msgs = append(ss.s.msgs, ss.msg)
	return nil
}

// mailboxFull is a server's answer for a recipient over its quota.
var mailboxFull = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 2, 2}, Message: "mailbox full"}

// Reset drops the message in progress.
func (ss *session) Reset() { ss.msg = Message{} }

// Logout ends the session.
func (ss *session) Logout() error { return nil }

// certificate makes a self-signed certificate for 127.0.0.1, ::1 and
// localhost.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

var _ smtp.AuthSession = (*session)(nil)

// Parsed is a message taken apart: its headers, its decoded subject, its
// plain-text and HTML bodies and its attachments by file name, decoded.
type Parsed struct {
	Header  mail.Header
	Subject string
	// Text is the text part as a mail program shows it: its lines joined
	// again where format=flowed (RFC 3676) broke them; TextSent is it as
	// sent, the lines a program that does not read format=flowed shows.
	Text, TextSent string
	HTML           string
	Attachments    map[string][]byte
	Types          map[string]string // attachment content types by file name
}

// Parse takes m apart (MIME multipart, base64 or quoted-printable parts).
func (m Message) Parse() (*Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return nil, err
	}
	p := &Parsed{Header: msg.Header, Attachments: map[string][]byte{}, Types: map[string]string{}}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return nil, err
	}
	return p, p.part(textproto.MIMEHeader(msg.Header), msg.Body)
}

func (p *Parsed) part(h textproto.MIMEHeader, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := p.part(part.Header, part); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, dp, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	if name := dp["filename"]; name != "" {
		p.Attachments[name] = b
		p.Types[name] = mt
		return nil
	}
	switch mt {
	case "text/plain":
		p.TextSent += strings.ReplaceAll(string(b), "\r\n", "\n")
		if strings.EqualFold(params["format"], "flowed") {
			p.Text += unflow(string(b), strings.EqualFold(params["delsp"], "yes"))
		} else {
			p.Text += string(b)
		}
	case "text/html":
		p.HTML += string(b)
	}
	return nil
}

// unflow joins the lines of a format=flowed text (RFC 3676) as a mail
// program that reads it does: a line ending in a space (a soft break)
// runs on into the next, the space dropped too when delSp; a space
// stuffed before a line is taken off. A signature separator ("-- ")
// stays a line of its own.
func unflow(text string, delSp bool) string {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, line := range lines {
		line = strings.TrimPrefix(line, " ")
		soft := strings.HasSuffix(line, " ") && line != "-- " && i < len(lines)-1
		if soft && delSp {
			line = line[:len(line)-1]
		}
		b.WriteString(line)
		if !soft && i < len(lines)-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}
