package postgres_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestOpenGivesUpOnASilentServer: a database host that takes the
// connection and never answers (a hung server, a proxy in front of a dead
// one) made Open, and so syncd serve and every command, wait without end
// and without a word; systemd's start timeout was the only way out. Open
// gives up after a connect timeout when the DSN sets none.
func TestOpenGivesUpOnASilentServer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn // answered never, closed at the end
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	start := time.Now()
	db, err := postgres.Open(ctx, "postgres://syncd:secret@"+ln.Addr().String()+"/syncd?sslmode=disable")
	if err == nil {
		db.Close()
		t.Fatal("opened a database that never answered")
	}
	if took := time.Since(start); took > 20*time.Second || ctx.Err() != nil {
		t.Fatalf("gave up after %s, when the caller did: %v", took.Round(time.Second), err)
	}
	if !strings.Contains(err.Error(), "timeout") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("error %q: want one that says it timed out, without the password", err)
	}
}

// TestRollingUpgradeSchema: the first instance started on a newer syncd
// migrates the database and says so (Migrated, which the daemon logs);
// one started later finds nothing to do; an older syncd started on the
// newer schema refuses, saying what to do rather than only that the
// schema is newer.
func TestRollingUpgradeSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	first, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	from, to := first.Migrated()
	first.Close()
	if from != 0 || to < 5 {
		t.Fatalf("first open migrated %d -> %d, want 0 -> the newest", from, to)
	}
	again, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if f, t2 := again.Migrated(); f != to || t2 != to {
		t.Fatalf("second open migrated %d -> %d, want nothing (%d)", f, t2, to)
	}
	again.Close()
	// A newer syncd migrated the database on (its migration is a row here).
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, to+1); err != nil {
		t.Fatal(err)
	}
	older, err := postgres.Open(ctx, dsn)
	if err == nil {
		older.Close()
		t.Fatal("opened a newer schema")
	}
	if !strings.Contains(err.Error(), "is newer than this binary's") || !strings.Contains(err.Error(), "install that newer syncd here too") {
		t.Fatalf("error %q: want one saying to install the newer syncd", err)
	}
	if !postgres.NeedsAPerson(err) { // serve exits 2 on it, which the units do not restart
		t.Errorf("error %q: not one a person must act on", err)
	}
}
