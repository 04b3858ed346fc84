package postgres_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
)

// TestOpenGivesUpOnASilentServer: a database host that takes the
// connection and never answers (a hung server, a proxy in front of a dead
// one) made Open, and so syncd serve and every command, wait without end
// and without a word; systemd's start timeout was the only way out. Open
// gives up after a connect timeout when the DSN sets none.
func TestOpenGivesUpOnASilentServer(t *testing.T) {
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
