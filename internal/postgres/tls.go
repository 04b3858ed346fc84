package postgres

import (
	"cmp"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// tlsRefused is how pgconn says that the server answered a request for TLS
// with no (it offers none): an error of its own text, with no type or
// SQLSTATE to tell it by.
const tlsRefused = "tls error: server refused TLS connection"

// tlsProblem says, for a connection to c's server that failed on TLS,
// what is wrong and the way out, led by the database it is (where), in
// front of "connect WHERE:" and the TLS library's words (which alone said
// 'x509: certificate signed by unknown authority', and which led the
// message, as the database not answering did: connectError); nil
// for any other failure. None is worth asking again: the server gives the
// same certificate, or offers no TLS, until the server or the DSN changes.
func tlsProblem(c *pgx.ConnConfig, where string, err error) error {
	if why := tlsWhy(c, where, err); why != nil {
		return &tlsError{why}
	}
	return nil
}

// tlsError is a connection that failed on TLS, said by tlsProblem: not
// worth asking again (Unreachable), though another host a DSN names may
// be down beside it.
type tlsError struct{ err error }

func (e *tlsError) Error() string { return e.err.Error() }
func (e *tlsError) Unwrap() error { return e.err }

// tlsWhy is tlsProblem's error, unmarked.
func tlsWhy(c *pgx.ConnConfig, where string, err error) error {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("the database %s: the server's certificate is not signed by a CA this machine trusts (sslmode=%s "+
			"checks it): give that CA's certificate (PEM; a managed service publishes its bundle) in the DSN, "+
			"sslrootcert=/etc/syncd/pg-ca.crt, readable by the user syncd runs as, or add it to the system's trusted "+
			"certificates: connect %s: %w", where, sslMode(c), where, err)
	case errors.As(err, &host):
		return fmt.Errorf("the database %s: the server's certificate is for %s, not %s, the host the DSN names (sslmode=%s "+
			"checks the name): name the host in the DSN as the certificate does, or set sslmode=verify-ca (the CA is "+
			"checked, not the name): connect %s: %w", where, certNames(host.Certificate), host.Host, sslMode(c), where, err)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Errorf("the database %s: %s: connect %s: %w", where, outOfDate(invalid.Cert, time.Now()), where, err)
	case errors.As(err, &invalid):
		return fmt.Errorf("the database %s: the server's certificate is not one syncd may trust (sslmode=%s): connect %s: %w",
			where, sslMode(c), where, err)
	case strings.Contains(err.Error(), tlsRefused) && !plainAllowed(&c.Config):
		return fmt.Errorf("the database %s: the server does not offer TLS, which sslmode=%s in the DSN asks for: set "+
			"ssl = on in its postgresql.conf (with ssl_cert_file and ssl_key_file) and reload it, or, on a network "+
			"you trust, set sslmode=prefer (TLS where offered) or disable in the DSN: connect %s: %w", where, sslMode(c), where, err)
	}
	return nil
}

// plainAllowed reports whether c may connect without TLS where the
// server offers none: sslmode prefer (the default of a DSN that names no
// sslmode) or allow, which pgconn tries both ways. A server offering no
// TLS then refuses the TLS try and the plain one goes on, so the refusal
// is never why the connection failed: the plain try's error is (a wrong
// password, no such database, a server starting, stopping or full). Said
// as "sslmode=require in the DSN asks for" TLS, it sent the operator of a
// loopback DSN after TLS, and a server shutting down was not waited for.
func plainAllowed(c *pgconn.Config) bool {
	if c.TLSConfig == nil {
		return true
	}
	for _, f := range c.Fallbacks {
		if f.TLSConfig == nil {
			return true
		}
	}
	return false
}

// outOfDate says of cert, which x509 found expired or not valid yet at
// now, which it is, since or until when, and the way out: a renewal on
// the server, which PostgreSQL takes on a reload, or this machine's clock.
// The x509 error said "has expired or is not yet valid" and the times in
// RFC 3339 only.
func outOfDate(cert *x509.Certificate, now time.Time) string {
	name := "the server's certificate"
	if cert != nil && cert.IsCA {
		name = "the CA certificate the server's is checked against"
	}
	if cert != nil {
		name += " (" + certNames(cert) + ")"
	}
	const day = "2006-01-02 15:04 MST"
	switch {
	case cert != nil && now.After(cert.NotAfter):
		return fmt.Sprintf("%s EXPIRED on %s, %s ago by this machine's clock (now %s): renew it on the server "+
			"(a new ssl_cert_file and ssl_key_file, then SELECT pg_reload_conf()), or, if this machine's clock is wrong, "+
			"set it right (timedatectl)", name, cert.NotAfter.UTC().Format(day), since(now.Sub(cert.NotAfter)), now.UTC().Format(day))
	case cert != nil && now.Before(cert.NotBefore):
		return fmt.Sprintf("%s is valid only from %s, %s from now by this machine's clock (now %s): this machine's "+
			"clock is behind (timedatectl; an NTP server), or the server's certificate was made with a clock ahead: "+
			"make it again", name, cert.NotBefore.UTC().Format(day), since(cert.NotBefore.Sub(now)), now.UTC().Format(day))
	}
	return name + " has expired or is not valid yet: renew it on the server (ssl_cert_file), or set this machine's clock right"
}

// since is d, a time past or to come, in days, or hours, or minutes.
func since(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return "a minute or less"
}

// sslMode is the sslmode c connects with, as pgconn set up its TLS: a
// server name checked (verify-full), a chain checked (verify-ca, or
// require with an sslrootcert, which checks as much), or neither.
func sslMode(c *pgx.ConnConfig) string {
	switch t := c.TLSConfig; {
	case t == nil:
		return "disable"
	case t.ServerName != "":
		return "verify-full"
	case t.VerifyPeerCertificate != nil:
		return "verify-ca (or require with an sslrootcert)"
	}
	return "require"
}

// certNames are the names a certificate is for, as the operator writes a
// host: its DNS names and addresses, else its common name.
func certNames(cert *x509.Certificate) string {
	if cert == nil {
		return "another host"
	}
	names := append([]string{}, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return cmp.Or(cert.Subject.CommonName, "no host name")
	}
	return strings.Join(names, ", ")
}

// noCAInFile is how pgconn says that the sslrootcert file holds no PEM
// certificate: an error of its own text, as tlsRefused.
const noCAInFile = "unable to add CA to cert pool"

// tlsFileError says, for a DSN pgconn could not parse, that a file it
// names for TLS (sslrootcert, sslcert, sslkey; a service file) cannot be
// read, or that the sslrootcert file holds no PEM certificate, and the way
// out; nil for any other error. Both were said as a DSN that does not
// parse, with the advice to percent-encode the password. The file's path
// is no secret; the DSN is not repeated.
func tlsFileError(err error) error {
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &pathErr):
		return fmt.Errorf("cannot read %s, a file the DSN names (sslrootcert, sslcert or sslkey): %v: put it there, "+
			"readable by the user syncd runs as (chown, chmod), or name it right", pathErr.Path, pathErr.Err)
	case strings.Contains(err.Error(), noCAInFile):
		return errors.New("the DSN's sslrootcert file holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the " +
			"CA's certificate in PEM; convert a DER one with openssl x509 -inform der -in CA.der -out CA.crt")
	}
	return nil
}
