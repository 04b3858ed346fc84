package postgres_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestMultiHostDSNIsNamedWhole: a DSN naming several hosts (libpq's
// failover form, host=a,b or postgres://a,b/db, with
// target_session_attrs) was named by its first host alone wherever syncd
// names the database: validate said "postgres://FIRST/syncd: reachable"
// when the first host was down and the second answered, and an error
// named a host that was not the one refusing. Where, Check and Open now
// name every host the operator wrote, in order, each once, and Check
// which one answered.
func TestMultiHostDSNIsNamedWhole(t *testing.T) {
	t.Parallel()
	cfg, err := pgx.ParseConfig(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a host that is down: its port refuses
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	up := fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	want := fmt.Sprintf("postgres://127.0.0.1:%d,%s/%s", down, up, cfg.Database)
	for _, dsn := range []string{
		fmt.Sprintf("postgres://%s@127.0.0.1:%d,%s/%s?target_session_attrs=read-write", cfg.User, down, up, cfg.Database),
		fmt.Sprintf("host=127.0.0.1,%s port=%d,%d user=%s dbname=%s", cfg.Host, down, cfg.Port, cfg.User, cfg.Database),
	} {
		if got, err := postgres.Where(dsn); err != nil || got != want {
			t.Errorf("Where(%s) = %q, %v; want %q", dsn, got, err, want)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		found, err := postgres.Check(ctx, dsn)
		cancel()
		if err != nil || found.Where != want || found.Answered != up {
			t.Errorf("Check(%s): Where %q, answered by %q, %v; want %q, answered by %s", dsn, found.Where, found.Answered, err, want, up)
		}
	}
	dsn := fmt.Sprintf("postgres://%s@127.0.0.1:%d,127.0.0.1:%d/%s", cfg.User, down, down, cfg.Database)
	_, err = postgres.Open(context.Background(), dsn)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("connect postgres://127.0.0.1:%d/%s:", down, cfg.Database)) {
		t.Errorf("Open of a host named twice, down: %v; want it named once", err)
	}
	db, err := postgres.Open(context.Background(), fmt.Sprintf("postgres://%s@127.0.0.1:%d,%s/%s?sslmode=prefer", cfg.User, down, up, cfg.Database))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.Where(); got != want {
		t.Errorf("Open's Where = %q, want %q (sslmode=prefer tries each host twice: named once)", got, want)
	}
}
