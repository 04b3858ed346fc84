package postgres_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
)

// TestDSNErrorsNeverShowThePassword: a DSN that does not parse is refused
// at start with an error the log (journald) keeps. pgx's own message
// echoes the DSN with the password masked as best it can, and a password
// holding '@' or an escaped space was masked only in part ("xxxxx@ret@",
// "xxxxx PW"), and a space left unescaped had pgx quote what followed it
// (missing "=" after "PW"). The error says what is wrong, and no part of the password.
func TestDSNErrorsNeverShowThePassword(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		dsn, secret, why string
	}{
		{"postgres://syncd:Zq9x@Kw7p@127.0.0.1:notaport/syncd", "Kw7p", "invalid port"},
		{"postgres://syncd:Zq9x@Kw7p@127.0.0.1:5432/syncd?sslmode=bogus", "Kw7p", "sslmode is invalid"},
		{`host=127.0.0.1 user=syncd password=Zq9x\ Kw7p port=abc`, "Kw7p", "invalid port"},
		{"host=127.0.0.1 user=syncd password=Zq9x Kw7p port=5432", "Kw7p", `missing "=" after`},
		{"postgres://syncd:Zq9xKw7p@127.0.0.1:5432/syncd?connect_timeout=abc", "Zq9x", "invalid connect_timeout"},
	} {
		_, openErr := postgres.Open(context.Background(), c.dsn)
		_, whereErr := postgres.Where(c.dsn)
		for _, err := range []error{openErr, whereErr} {
			if err == nil {
				t.Fatalf("%s: parsed", c.dsn)
			}
			if msg := err.Error(); strings.Contains(msg, c.secret) || strings.Contains(msg, "Zq9x") || !strings.Contains(msg, c.why) {
				t.Errorf("%s:\nerror %q: want why (%q) without any part of the password", c.dsn, msg, c.why)
			}
		}
	}
}

// TestAPasswordNotPercentEncodedIsSaid: a URL DSN whose password held '@'
// as typed (not percent-encoded) parsed, but not as written: the rest of
// the password became the host, which validate, the log and every error
// then named ("lookup Kw7p@127.0.0.1: no such host": a piece of the
// password shown, and nothing said of the encoding). One holding '/' or a
// '%' not starting an escape did not parse, "invalid port", nothing said of
// the password either. Each is refused as a DSN that does not parse,
// saying to percent-encode, with no part of the password; '#', '?' and ':'
// pgx takes as written.
func TestAPasswordNotPercentEncodedIsSaid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, dsn := range []string{
		"postgres://syncd:Zq9x@Kw7p@127.0.0.1:5432/syncd?sslmode=disable",
		"postgresql://syncd:Zq9x@Kw7p@127.0.0.1:5432,127.0.0.2:5432/syncd",
		"postgres://syncd:Zq9x/Kw7p@127.0.0.1:5432/syncd",
		"postgres://syncd:Zq9x%Kw7p@127.0.0.1:5432/syncd",
	} {
		_, whereErr := postgres.Where(dsn)
		_, checkErr := postgres.Check(ctx, dsn)
		_, openErr := postgres.Open(ctx, dsn)
		for what, err := range map[string]error{"where": whereErr, "check": checkErr, "open": openErr} {
			if err == nil {
				t.Fatalf("%s: %s parsed", dsn, what)
			}
			msg := err.Error()
			if !strings.Contains(msg, "cannot parse the DSN") || !strings.Contains(msg, "percent-encoded (%40 for @") ||
				strings.Contains(msg, "Kw7p") || strings.Contains(msg, "Zq9x") {
				t.Errorf("%s: %s: %q: want a DSN that does not parse, saying to percent-encode, without the password", dsn, what, msg)
			}
		}
	}
	for _, dsn := range []string{ // encoded, or taken as written
		"postgres://syncd:Zq9x%40%2F%25Kw7p@127.0.0.1:5432/syncd",
		"postgres://syncd:Zq9x#?:Kw7p@127.0.0.1:5432/syncd",
	} {
		if where, err := postgres.Where(dsn); err != nil || where != "postgres://127.0.0.1:5432/syncd" {
			t.Errorf("%s: %q, %v: want it parsed", dsn, where, err)
		}
	}
}

// TestATLSFileTheDSNNamesIsSaid: a DSN whose sslrootcert names a file that
// is not there (or that syncd's user may not read), or one holding no PEM
// certificate (a DER .crt), was refused as a DSN that does not parse with
// the advice to percent-encode the password: the operator looked at the
// password. It names the file and what is wrong with it, and the way out.
func TestATLSFileTheDSNNamesIsSaid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "pg-ca.crt")
	der := filepath.Join(dir, "pg-ca.der")
	if err := os.WriteFile(der, []byte{0x30, 0x82, 0x01, 0x0a}, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		want []string
	}{
		{missing, []string{"cannot read " + missing + ", a file the DSN names", "no such file or directory",
			"readable by the user syncd runs as"}},
		{der, []string{"no PEM certificate", "sslrootcert", "openssl x509 -inform der"}},
	} {
		dsn := "postgres://syncd:Zq9xKw7p@127.0.0.1:5432/syncd?sslmode=verify-full&sslrootcert=" + dsnValue(c.file)
		_, whereErr := postgres.Where(dsn)
		_, checkErr := postgres.Check(context.Background(), dsn)
		_, openErr := postgres.Open(context.Background(), dsn)
		for what, err := range map[string]error{"where": whereErr, "check": checkErr, "open": openErr} {
			if err == nil {
				t.Fatalf("%s: %s: parsed", c.file, what)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%s: %s: %q: no %q", c.file, what, msg, w)
				}
			}
			if strings.Contains(msg, "percent-encoded") || strings.Contains(msg, "Zq9x") {
				t.Errorf("%s: %s: %q: speaks of the password", c.file, what, msg)
			}
		}
	}
}

// dsnValue is a file's path as a URL DSN's parameter is written: each
// byte but the unreserved ones percent-encoded, a space as %20 (a + is a
// plus to libpq and pgconn, not a space), so that a temporary directory
// with a space or parentheses names the same file.
func dsnValue(path string) string {
	return strings.ReplaceAll(url.QueryEscape(path), "+", "%20")
}
