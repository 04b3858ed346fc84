package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
)

// TestHostNameThatDoesNotResolveIsSaidSo: a DSN whose host name does not
// resolve (misspelt, or the resolver down) was told as pgx tells it,
// "hostname resolving error: lookup nosuchhost.invalid ...: no such host",
// by validate (exit 1), serve and status, with nothing to do. Open and
// Check say that the host name does not resolve and the command that
// tells whether it does; a name not found is no outage to wait for.
func TestHostNameThatDoesNotResolveIsSaidSo(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dsn := "postgres://syncd@nosuchhost.invalid:5432/syncd?sslmode=disable&connect_timeout=5"
	_, openErr := postgres.Open(ctx, dsn)
	_, checkErr := postgres.Check(ctx, dsn)
	for _, err := range []error{openErr, checkErr} {
		if err == nil {
			t.Fatal("connected to nosuchhost.invalid")
		}
		msg := err.Error()
		if !strings.Contains(msg, "the host name nosuchhost.invalid") || !strings.Contains(msg, "getent hosts nosuchhost.invalid") {
			t.Errorf("error %q: want it to say that the host name does not resolve, and getent hosts", msg)
		}
		if strings.Contains(msg, "does not resolve") && postgres.Unreachable(err) {
			t.Errorf("error %q: a name not found taken for an outage to wait for", msg)
		}
		if p := postgres.Plainly(err); !strings.Contains(p, "host name") {
			t.Errorf("Plainly(%q) = %q: want the host name not resolving", msg, p)
		}
	}
}
