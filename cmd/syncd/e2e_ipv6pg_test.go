package main_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestPostgresOverIPv6IsNamedByAURL: on an IPv6-only server the DSN says
// host=::1, and validate, the daemon's log and syncd status named the
// database postgres://::1:PORT/NAME, which is no URL (psql: "invalid
// integer value" for the port; a browser or url.Parse: no host): an
// operator pasting it reached nothing. They name it
// postgres://[::1]:PORT/NAME, which parses to host ::1 and that port. The
// daemon listens on [::1] too, and status finds it there.
func TestPostgresOverIPv6IsNamedByAURL(t *testing.T) {
	t.Parallel()
	listen := freeAddr6(t)
	dsn := pgOnIPv6(t, pgtest.DSN(t))
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("postgres://[::1]:%d/%s", cfg.Port, cfg.Database)
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	config := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn)),
		"listen: 127.0.0.1:0", `listen: "`+listen+`"`, 1)
	if err := os.WriteFile(file, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := syncdRun(t, "validate", "-config", file)
	if code != 0 || !strings.Contains(out, "database: "+want+": reachable") {
		t.Errorf("validate: exit %d, want 0 and the database named %s:\n%s%s", code, want, out, stderr)
	}
	d := start(t, file)
	if !strings.Contains(d.log(), `"db":"`+want+`"`) {
		t.Errorf("serve's log names the database otherwise than %s:\n%s", want, d.log())
	}
	waitFor(t, "status to see the instance", func() bool {
		out, _, code := syncdRun(t, "status", "-config", file)
		return code == 0 && strings.Contains(out, "cluster: 1 instance")
	})
	out, stderr, _ = syncdRun(t, "status", "-config", file)
	m := regexp.MustCompile(`database (postgres://\S+)`).FindStringSubmatch(out)
	if m == nil || m[1] != want || !strings.Contains(out, "the instance at "+listen) {
		t.Fatalf("status: want the instance at %s, its database %s:\n%s%s", listen, want, out, stderr)
	}
	u, err := url.Parse(m[1])
	if err != nil || u.Hostname() != "::1" || u.Port() != fmt.Sprint(cfg.Port) {
		t.Errorf("status's database %s pasted: %v, host %q port %q, want ::1 and %d", m[1], err, u.Hostname(), u.Port(), cfg.Port)
	}
}

// pgOnIPv6 is dsn (pgtest's URL) as a DSN of keywords with host=::1, as an
// IPv6-only server's configuration writes it; the test skips where the
// server does not listen on ::1 (one SYNCD_TEST_POSTGRES_URL names).
func pgOnIPv6(t *testing.T, dsn string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	six := fmt.Sprintf("host=::1 port=%d user=%s dbname=%s sslmode=disable", cfg.Port, cfg.User, cfg.Database)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, six)
	if err != nil {
		if os.Getenv("SYNCD_TEST_POSTGRES_URL") != "" {
			t.Skipf("the PostgreSQL server of SYNCD_TEST_POSTGRES_URL does not take connections on ::1: %v", err)
		}
		t.Fatalf("pgtest's cluster does not take connections on ::1: %v", err)
	}
	conn.Close(ctx)
	return six
}

// freeAddr6 is a free address on ::1, IPv6's loopback, as freeAddr is on
// 127.0.0.1; the test skips where this host has no ::1.
func freeAddr6(t *testing.T) string {
	t.Helper()
	if l, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skipf("this host has no IPv6 loopback (::1): %v", err)
	} else {
		l.Close()
	}
	for range 1000 {
		if l, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", nextPorts.next())); err == nil {
			l.Close()
			return l.Addr().String()
		}
	}
	t.Fatal("no free port on ::1 below the ephemeral range")
	return ""
}
