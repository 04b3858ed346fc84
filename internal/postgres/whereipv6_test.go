package postgres_test

import (
	"net/url"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
)

// TestIPv6HostsAreNamedInBrackets: a DSN with host=::1 (an IPv6-only
// server's) was named postgres://::1:5432/syncd, no URL: it parsed to no
// host, and a failover pair with an IPv6 address read as a jumble of
// colons. Each IPv6 address is in brackets, as a URL writes it.
func TestIPv6HostsAreNamedInBrackets(t *testing.T) {
	t.Parallel()
	for dsn, want := range map[string]string{
		"host=::1 port=5432 dbname=syncd":                         "postgres://[::1]:5432/syncd",
		"host=2001:db8::5,db.example port=5432,5433 dbname=syncd": "postgres://[2001:db8::5]:5432,db.example:5433/syncd",
		"postgres://syncd@[::1]:6432/leads?sslmode=disable":       "postgres://[::1]:6432/leads",
		"host=127.0.0.1 port=5432 dbname=syncd":                   "postgres://127.0.0.1:5432/syncd",
	} {
		got, err := postgres.Where(dsn)
		if err != nil || got != want {
			t.Errorf("Where(%q) = %q, %v; want %q", dsn, got, err, want)
		}
	}
	u, err := url.Parse(must(postgres.Where("host=::1 port=5432 dbname=syncd")))
	if err != nil || u.Hostname() != "::1" || u.Port() != "5432" {
		t.Errorf("the name pasted as a URL: %v, host %q port %q", err, u.Hostname(), u.Port())
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}
