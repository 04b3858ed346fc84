package pgtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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
// may read), and returns the server's settings that use them.
func makeCerts(dir string, cred *syscall.Credential) ([]string, error) {
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
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: CertName},
		DNSNames: []string{CertName}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	files := []struct {
		name, kind string
		der        []byte
	}{{"ca.crt", "CERTIFICATE", caDER}, {"server.crt", "CERTIFICATE", der}, {"server.key", "EC PRIVATE KEY", keyDER}}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: f.kind, Bytes: f.der}), 0o600); err != nil {
			return nil, err
		}
		if cred != nil {
			if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
				return nil, err
			}
		}
	}
	return []string{"-c", "ssl=on", "-c", "ssl_cert_file=" + filepath.Join(dir, "server.crt"),
		"-c", "ssl_key_file=" + filepath.Join(dir, "server.key")}, nil
}
