package postgres_test

import (
	"context"
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
