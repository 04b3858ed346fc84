package pgtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// CertName is the one name the certificate of TLSDSN's cluster is for: a
// DSN naming 127.0.0.1 does not match it (sslmode=verify-full refuses it).
const CertName = "db.syncd.test"

// CertRole is the role TLSDSN's cluster admits only with a client
// certificate for it (a cert line in its pg_hba.conf; ClientCert makes
// one): the test creates the role.
const CertRole = "syncd_cert"

// hba is the pg_hba.conf of TLSDSN's cluster: CertRole over TLS with a
// client certificate, everyone else trusted.
const hba = `local all all trust
hostssl all ` + CertRole + ` 127.0.0.1/32 cert
host all all 127.0.0.1/32 trust
`

// tlsServer is TLSDSN's cluster, started by its first call, stopped by Main.
var tlsServer server

// TLSDSN returns the connection string of a new, empty database on a
// cluster of its own that takes TLS connections (ssl = on), with a
// certificate for CertName alone signed by a CA made for it, and ca, the
// file holding that CA's certificate (PEM), for sslrootcert. The DSN
// names 127.0.0.1 with sslmode=disable, as DSN's: a test sets its own.
// With SYNCD_TEST_POSTGRES_URL it skips.
func TLSDSN(t testing.TB) (dsn, ca string) {
	t.Helper()
	if os.Getenv("SYNCD_TEST_POSTGRES_URL") != "" { // a server of the caller's: no certificate of ours to give it
		t.Skip("a server taking TLS is started from PostgreSQL's server binaries, not SYNCD_TEST_POSTGRES_URL")
	}
	tlsServer.once.Do(func() {
		tlsServer.certs = true
		tlsServer.start()
	})
	dsn = tlsServer.database(t)
	return dsn, filepath.Join(tlsServer.dir, "ca.crt")
}

// makeCerts writes into dir a CA's certificate (ca.crt) and a server
// certificate for CertName it signed, with its key (server.crt,
// server.key, owned by the server's user: PostgreSQL refuses a key others
// may read), and pg_hba.conf (hba), keeps the CA for ClientCert, and
// returns the server's settings that use them.
func (s *server) makeCerts(dir string, cred *syscall.Credential) ([]string, error) {
	caDER, err := s.makeCA()
	if err != nil {
		return nil, err
	}
	der, keyPEM, err := s.sign(&x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: CertName},
		DNSNames: []string{CertName}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{"ca.crt": certPEM(caDER), "server.crt": certPEM(der), "server.key": keyPEM, "pg_hba.conf": []byte(hba)}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, body, 0o600); err != nil {
			return nil, err
		}
		if cred != nil {
			if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
				return nil, err
			}
		}
	}
	return []string{"-c", "ssl=on", "-c", "ssl_cert_file=" + filepath.Join(dir, "server.crt"),
		"-c", "ssl_key_file=" + filepath.Join(dir, "server.key"), "-c", "ssl_ca_file=" + filepath.Join(dir, "ca.crt"),
		"-c", "hba_file=" + filepath.Join(dir, "pg_hba.conf")}, nil
}

// makeCA makes s a CA of its own, valid from an hour ago for a day, and
// returns its certificate (DER).
func (s *server) makeCA() ([]byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "syncd test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	if s.ca, err = x509.ParseCertificate(caDER); err != nil {
		return nil, err
	}
	s.caKey = caKey
	return caDER, nil
}

// sign makes a key and a certificate of tmpl for it, signed by the CA,
// valid for a day unless tmpl says from when to when; it returns the
// certificate (DER) and the key (PEM).
func (s *server) sign(tmpl *x509.Certificate) ([]byte, []byte, error) {
	der, key, err := s.signKey(tmpl)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return der, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// signKey is sign with the key as it is.
func (s *server) signKey(tmpl *x509.Certificate) ([]byte, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca, &key.PublicKey, s.caKey)
	return der, key, err
}

// ServerCert makes, for t, a CA of its own and a certificate for CertName
// it signed, valid from notBefore to notAfter (one out of date, say, that
// TLSDSN's cluster cannot present), with its key, for a tls.Config; and
// ca, the CA's certificate written to a file of t's, for sslrootcert.
func ServerCert(t testing.TB, notBefore, notAfter time.Time) (cert tls.Certificate, ca string) {
	t.Helper()
	var s server
	caDER, err := s.makeCA()
	if err != nil {
		t.Fatal(err)
	}
	der, key, err := s.signKey(&x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: CertName},
		DNSNames: []string{CertName}, NotBefore: notBefore, NotAfter: notAfter,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	if err != nil {
		t.Fatal(err)
	}
	ca = filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(ca, certPEM(caDER), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, ca
}

// certPEM is a certificate in PEM.
func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// ClientCert writes into a directory of t's a client certificate for the
// common name cn signed by the CA of TLSDSN's cluster (call TLSDSN
// first), with its key, and returns their files, for sslcert and sslkey.
func ClientCert(t testing.TB, cn string) (crt, key string) {
	t.Helper()
	if tlsServer.ca == nil {
		t.Fatal("pgtest: ClientCert before TLSDSN")
	}
	der, keyPEM, err := tlsServer.sign(&x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject: pkix.Name{CommonName: cn}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	crt, key = filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key")
	if err := os.WriteFile(crt, certPEM(der), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return crt, key
}
