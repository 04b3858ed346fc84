package postgres_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEachFailedTryIsSaidOnce: with a DSN naming no sslmode (prefer, the
// README's own), pgx tries each host with TLS and then without; the server
// down, every error said the same refused dial twice, and so did each line
// of the log through an outage. Each try is said once, every host a
// failover DSN names still said, and the error is still the database not
// reaching syncd (serve waits for it).
func TestEachFailedTryIsSaidOnce(t *testing.T) {
	t.Parallel()
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	a, b := closed(), closed()
	for _, c := range []struct {
		dsn   string
		hosts []string
	}{
		{"postgres://syncd:Zq9xKw7p@" + a + "/syncd", []string{a}},
		{"host=127.0.0.1 port=" + a[strings.LastIndex(a, ":")+1:] + " user=syncd password=Zq9xKw7p dbname=syncd sslmode=allow", []string{a}},
		{"postgres://syncd:Zq9xKw7p@" + a + "," + b + "/syncd", []string{a, b}},
	} {
		db, err := postgres.Open(context.Background(), c.dsn)
		if err == nil {
			db.Close()
			t.Fatalf("%s: opened a database nothing listens for", c.dsn)
		}
		msg := err.Error()
		for _, h := range c.hosts {
			if n := strings.Count(msg, "dial tcp "+h+": connect: connection refused"); n != 1 {
				t.Errorf("%s: the refused dial to %s said %d times, want once:\n%s", c.dsn, h, n, msg)
			}
		}
		if !postgres.Unreachable(err) || strings.Contains(msg, "Zq9x") {
			t.Errorf("%s: %q is not said unreachable, or names the password", c.dsn, msg)
		}
	}
}

// TestATLSRefusalThatDidNotMatterIsNotSaid: a DSN naming no sslmode
// (prefer, the README's own) tries TLS first; a server offering none
// refuses it and the plain try goes on, so the refusal is not why a
// connection failed. Beside the plain try's own error (no such database),
// every error still said "tls error: server refused TLS connection",
// which sent the operator after TLS. The plain try's error is said alone,
// and a DSN that asks for TLS still hears that the server offers none.
func TestATLSRefusalThatDidNotMatterIsNotSaid(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t) // a server offering no TLS
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/no_such_database"
	for _, c := range []struct {
		sslmode, want, not string
	}{
		{"", `database "no_such_database" does not exist`, "tls error"},
		{"prefer", `database "no_such_database" does not exist`, "tls error"},
		{"allow", `database "no_such_database" does not exist`, "tls error"},
		{"require", "the server does not offer TLS, which sslmode=require in the DSN asks for", "does not exist"},
	} {
		q := u.Query()
		q.Del("sslmode")
		if c.sslmode != "" {
			q.Set("sslmode", c.sslmode)
		}
		u.RawQuery = q.Encode()
		db, err := postgres.Open(context.Background(), u.String())
		if err == nil {
			db.Close()
			t.Fatalf("sslmode %q: opened a database that does not exist", c.sslmode)
		}
		if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, c.not) {
			t.Errorf("sslmode %q: the error says %q, want %q and not %q", c.sslmode, msg, c.want, c.not)
		}
	}
}
