package mail

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// TrustingCAFile returns TLS settings (for Options.TLSConfig) that trust
// the certificates in the PEM file besides the system's: a private CA's,
// or a server's self-signed certificate.
func TrustingCAFile(file string) (*tls.Config, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read certificates: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool() // no system store: the file's alone
	}
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", file)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}
