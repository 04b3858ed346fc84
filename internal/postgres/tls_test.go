package postgres_test

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestTLSProblemsSayTheWayOut: a DSN asking for TLS (sslmode=require,
// verify-ca, verify-full) of a server that offers none, or one whose
// certificate this machine cannot trust or that is for another name, was
// said by validate, serve and the commands in the TLS library's words
// alone ('tls error: server refused TLS connection', 'x509: certificate
// signed by unknown authority'): each now says what is wrong and the way
// out, in the operator's words, never the password; serve does not wait
// for it (not Unreachable: asked again, the answer is the same).
func TestTLSProblemsSayTheWayOut(t *testing.T) {
	t.Parallel()
	plain := pgtest.DSN(t)
	tlsDSN, ca := pgtest.TLSDSN(t)
	const password = "s3cret-pw"
	with := func(dsn, mode string) string {
		dsn = strings.Replace(dsn, "sslmode=disable", mode, 1)
		return strings.Replace(dsn, "postgres@", "postgres:"+password+"@", 1)
	}
	expiredAt := time.Now().UTC().Add(-72 * time.Hour).Truncate(time.Minute)
	expired, expiredCA := certServer(t, expiredAt.Add(-30*24*time.Hour), expiredAt)
	validFrom := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
	early, earlyCA := certServer(t, validFrom, validFrom.Add(30*24*time.Hour))
	ctx := context.Background()
	if _, err := postgres.Check(ctx, with(tlsDSN, "sslmode=verify-ca&sslrootcert="+dsnValue(ca))); err != nil {
		t.Fatalf("verify-ca with the server's CA: %v", err)
	}
	for _, c := range []struct {
		name, dsn string
		want      []string
	}{
		{"no TLS offered", with(plain, "sslmode=require"), []string{"does not offer TLS, which sslmode=require in the DSN asks for",
			"ssl = on in its postgresql.conf", "sslmode=prefer"}},
		{"no TLS offered, verify-full", with(plain, "sslmode=verify-full"), []string{"does not offer TLS, which sslmode=verify-full"}},
		{"a CA not trusted", with(tlsDSN, "sslmode=verify-ca"), []string{
			"the server's certificate is not signed by a CA this machine trusts",
			"sslrootcert=/etc/syncd/pg-ca.crt", "x509: certificate signed by unknown authority"}},
		{"a CA not trusted, the other host down", with(strings.Replace(tlsDSN, "@127.0.0.1:", "@127.0.0.1:1,127.0.0.1:", 1),
			"sslmode=verify-ca"), []string{"the server's certificate is not signed by a CA this machine trusts"}},
		{"another name", with(tlsDSN, "sslmode=verify-full&sslrootcert="+dsnValue(ca)), []string{
			"the server's certificate is for " + pgtest.CertName + ", not 127.0.0.1, the host the DSN names",
			"sslmode=verify-ca"}},
		{"an expired certificate", with(expired, "sslmode=verify-ca&sslrootcert="+dsnValue(expiredCA)), []string{
			"the server's certificate (" + pgtest.CertName + ") EXPIRED on " + expiredAt.Format("2006-01-02 15:04 MST") + ", 3 days ago",
			"renew it on the server", "ssl_cert_file", "SELECT pg_reload_conf()"}},
		{"an expired certificate, verify-full", with(expired, "sslmode=verify-full&sslrootcert="+dsnValue(expiredCA)), []string{
			"the server's certificate (" + pgtest.CertName + ") EXPIRED on " + expiredAt.Format("2006-01-02 15:04 MST")}},
		{"a certificate not valid yet", with(early, "sslmode=verify-ca&sslrootcert="+dsnValue(earlyCA)), []string{
			"the server's certificate (" + pgtest.CertName + ") is valid only from " + validFrom.Format("2006-01-02 15:04 MST"),
			"this machine's clock", "timedatectl"}},
	} {
		for what, err := range refusedSaying(t, c.name, c.dsn, c.want) {
			if strings.Contains(err.Error(), password) {
				t.Errorf("%s: %s: %v: shows the password", c.name, what, err)
			}
			if postgres.Unreachable(err) {
				t.Errorf("%s: %s: %v: said to be worth asking again", c.name, what, err)
			}
		}
	}
}

// certServer starts, for t, a server that speaks PostgreSQL's protocol
// as far as TLS (it answers an SSLRequest with S) and presents a
// certificate for pgtest.CertName valid from notBefore to notAfter, signed
// by a CA made for it, valid now; it returns a DSN naming it
// (sslmode=disable, user postgres, as pgtest.DSN's) and the CA's file,
// for sslrootcert. What PostgreSQL does past the handshake is never
// reached: the client refuses the certificate.
func certServer(t *testing.T, notBefore, notAfter time.Time) (dsn, ca string) {
	t.Helper()
	cert, ca := pgtest.ServerCert(t, notBefore, notAfter)
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handshake(c, cfg)
		}
	}()
	return "postgres://postgres@" + ln.Addr().String() + "/syncd?sslmode=disable", ca
}

// handshake answers c's SSLRequest (8 bytes: its length, 80877103) with
// S, then does the TLS handshake, which the client ends.
func handshake(c net.Conn, cfg *tls.Config) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	req := make([]byte, 8)
	if _, err := io.ReadFull(c, req); err != nil || binary.BigEndian.Uint32(req[4:]) != 80877103 {
		return
	}
	if _, err := c.Write([]byte("S")); err != nil {
		return
	}
	tls.Server(c, cfg).Handshake()
}

// TestAClientCertificateTheServerAsksForIsSaid: a server admitting syncd's
// role only with a client certificate (a cert line in pg_hba.conf) refused
// a DSN giving none, and validate, serve and the commands said 'the server
// refused user syncd (no such role: createuser -P syncd; or no pg_hba.conf
// line admits it)': the operator made a role that was there. A
// certificate whose common name is not the role's was said the same way.
// Each says what the server asks for and the way out.
func TestAClientCertificateTheServerAsksForIsSaid(t *testing.T) {
	t.Parallel()
	dsn, ca := pgtest.TLSDSN(t)
	exec(t, dsn, `DO $$ BEGIN CREATE ROLE `+pgtest.CertRole+` LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
	base := strings.Replace(strings.Replace(dsn, "postgres@", pgtest.CertRole+"@", 1), "sslmode=disable",
		"sslmode=verify-ca&sslrootcert="+dsnValue(ca), 1)
	crt, key := pgtest.ClientCert(t, pgtest.CertRole)
	ctx := context.Background()
	if _, err := postgres.Check(ctx, base+"&sslcert="+dsnValue(crt)+"&sslkey="+dsnValue(key)); err != nil {
		t.Fatalf("with the role's client certificate: %v", err)
	}
	other, otherKey := pgtest.ClientCert(t, "someone_else")
	for _, c := range []struct {
		name, dsn string
		want      []string
	}{
		{"no certificate", base, []string{"admits user " + pgtest.CertRole + " only with a client certificate",
			"sslcert=", "sslkey="}},
		{"another's certificate", base + "&sslcert=" + dsnValue(other) + "&sslkey=" + dsnValue(otherKey), []string{
			"the server refused the client certificate for user " + pgtest.CertRole, "common name (CN)", "pg_ident.conf"}},
	} {
		for what, err := range refusedSaying(t, c.name, c.dsn, c.want) {
			if strings.Contains(err.Error(), "no such role") {
				t.Errorf("%s: %s: %v: said as a role that does not exist", c.name, what, err)
			}
		}
	}
}

// refusedSaying checks that postgres.Check and postgres.Open of dsn (case
// name) both fail, each error holding every one of want, and returns their
// errors by what failed ("check", "open") for the case's own checks.
func refusedSaying(t *testing.T, name, dsn string, want []string) map[string]error {
	t.Helper()
	ctx := context.Background()
	_, checkErr := postgres.Check(ctx, dsn)
	db, openErr := postgres.Open(ctx, dsn)
	if openErr == nil {
		db.Close()
	}
	errs := map[string]error{}
	for what, err := range map[string]error{"check": checkErr, "open": openErr} {
		if err == nil {
			t.Errorf("%s: %s: connected", name, what)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %s: %v: no %q", name, what, err, w)
			}
		}
		errs[what] = err
	}
	return errs
}
