package mailtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// StartRelay starts a server as a mail relay without TLS is, a local
// Postfix or a relay on the LAN: it offers no STARTTLS, and offers a login
// (SMTP AUTH) on the unencrypted connection in the mechanisms mechs
// (PLAIN, LOGIN, CRAM-MD5, XOAUTH2; none: no AUTH offered). When user is
// not "", it requires the login as user/pass (the password is the token
// for XOAUTH2) before it takes mail (530), as Start's does. It listens on
// ip: 127.0.0.1, or another address of this host for a relay on another
// (see LANAddress). It stops when the test ends.
func StartRelay(t testing.TB, ip, user, pass string, mechs ...string) *Server {
	t.Helper()
	return startRelay(t, ip, user, pass, false, mechs)
}

// StartRelaySTARTTLS starts a relay as StartRelay does that offers
// STARTTLS too (on Start's throw-away certificate), and the login in the
// mechanisms mechs both before and after it.
func StartRelaySTARTTLS(t testing.TB, ip, user, pass string, mechs ...string) *Server {
	t.Helper()
	return startRelay(t, ip, user, pass, true, mechs)
}

func startRelay(t testing.TB, ip, user, pass string, startTLS bool, mechs []string) *Server {
	t.Helper()
	s := &Server{user: user, pass: pass, relay: true, mechs: mechs}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	if startTLS {
		cert, pool := certificate(t)
		s.RootCAs, s.certDER = pool, cert.Certificate[0]
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	srv.AllowInsecureAuth = true // the login offered without TLS, as the relay does
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 256 << 20
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	host, bound, _ := net.SplitHostPort(l.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(bound)
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// LANAddress is an address of this host that is not a loopback one (an
// Ethernet interface's), for a server that stands for a relay on another
// host of the LAN; it skips the test when the host has none.
func LANAddress(t testing.TB) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("interface addresses: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("no address of this host but loopback ones: no relay on another host to stand for")
	return ""
}

// authServer is the SASL server for mech, checking user and pass as s
// has them; nil for a mechanism the server does not offer.
func (s *Server) authServer(ss *session, mech string) sasl.Server {
	offered := []string{sasl.Plain}
	if s.relay {
		offered = s.mechs
	}
	if !slices.Contains(offered, mech) {
		return nil
	}
	ok := func(user, pass string) error {
		if user != s.user || pass != s.pass {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return ok(user, pass) })
	case sasl.Login:
		return &loginServer{check: ok}
	case "CRAM-MD5":
		return &cramServer{pass: s.pass, check: func(user string, good bool) error {
			if !good {
				return smtp.ErrAuthFailed
			}
			return ok(user, s.pass)
		}}
	case "XOAUTH2":
		return &xoauth2Server{check: ok}
	}
	return nil
}

// loginServer is the server's side of LOGIN: the username and the password
// asked for in turn, each as it is (base64 on the wire only).
type loginServer struct {
	user  string
	step  int
	check func(user, pass string) error
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step++; l.step {
	case 1:
		if response != nil { // the username as the initial response
			l.user, l.step = string(response), 2
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(response)
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(l.user, string(response))
}

// cramServer is the server's side of CRAM-MD5 (RFC 2195): a challenge,
// answered with the username and the challenge's HMAC-MD5 keyed with the
// password; the password never crosses the connection.
type cramServer struct {
	pass      string
	challenge []byte
	check     func(user string, good bool) error
}

func (c *cramServer) Next(response []byte) ([]byte, bool, error) {
	if c.challenge == nil {
		c.challenge = fmt.Appendf(nil, "<%d.%d@localhost>", time.Now().UnixNano(), len(c.pass))
		return c.challenge, false, nil
	}
	user, digest, _ := strings.Cut(string(response), " ")
	mac := hmac.New(md5.New, []byte(c.pass))
	mac.Write(c.challenge)
	return nil, true, c.check(user, hmac.Equal([]byte(digest), []byte(hex.EncodeToString(mac.Sum(nil)))))
}

// xoauth2Server is the server's side of XOAUTH2, as Microsoft 365 and
// Gmail speak it: "user=U\x01auth=Bearer TOKEN\x01\x01" at once.
type xoauth2Server struct {
	check func(user, token string) error
}

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if response == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, kv := range bytes.Split(response, []byte{1}) {
		k, v, _ := strings.Cut(string(kv), "=")
		switch k {
		case "user":
			user = v
		case "auth":
			token = strings.TrimPrefix(v, "Bearer ")
		}
	}
	return nil, true, x.check(user, token)
}
