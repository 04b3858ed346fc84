package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestCheckTakesThePoolsBound: a DSN bounding an instance's pool with
// pool_max_conns (how several instances fit the server's max_connections)
// opened for serve and every command, but syncd validate sent it to the
// server as a setting of the session, refused: 'unrecognized configuration
// parameter "pool_max_conns"', exit 1, for a DSN that works.
func TestCheckTakesThePoolsBound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t) + "&pool_max_conns=2"
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open with pool_max_conns: %v", err)
	}
	db.Close()
	found, err := postgres.Check(ctx, dsn)
	if err != nil {
		t.Fatalf("check with pool_max_conns: %v", err)
	}
	if found.Schema != found.Newest || found.Schema == 0 {
		t.Fatalf("check found schema %d, want this syncd's %d", found.Schema, found.Newest)
	}
}

// TestAServerWithNoConnectionLeftIsSaidSo: a server refusing syncd's
// connection for its connection limit (max_connections, or a CONNECTION
// LIMIT on the role or the database: SQLSTATE 53300, several instances on
// a small managed server) was said in the server's words alone, which
// validate put after "the database cannot be reached (a wrong host or
// port, the server down, or a firewall between ...)": the operator looked
// at the network. Open and Check say the limit is reached, how many
// connections an instance holds and the two ways out; it stays a refusal
// worth asking again (serve waits), and Full tells it apart.
func TestAServerWithNoConnectionLeftIsSaidSo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	owner, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	limited := limitedRole(t, dsn, `ALTER ROLE %[1]s CONNECTION LIMIT 1`)
	held, err := pgx.Connect(ctx, limited) // the role's one connection, another instance's
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close(ctx)
	_, checkErr := postgres.Check(ctx, limited+"&pool_max_conns=2")
	db, openErr := postgres.Open(ctx, limited)
	if openErr == nil {
		db.Close()
		t.Fatal("opened past the role's connection limit")
	}
	for what, err := range map[string]error{"open": openErr, "check": checkErr} {
		if !postgres.Full(err) || !postgres.Unreachable(err) {
			t.Errorf("%s: %v: want it told as a full server (Full), and worth asking again (Unreachable)", what, err)
		}
		for _, w := range []string{"the server has no connection left for user syncd_limited_",
			"max_connections, or a CONNECTION LIMIT on the role or the database", "pool_max_conns", "53300"} {
			if err != nil && !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v: no %q", what, err, w)
			}
		}
	}
	if want := "up to 5 connections"; checkErr != nil && !strings.Contains(checkErr.Error(), want) {
		t.Errorf("check with pool_max_conns=2: %v: no %q (its pool's 2 and 3 sessions)", checkErr, want)
	}
	if postgres.Full(errors.New("connect: connection refused")) {
		t.Error("Full took another error for a full server")
	}
}
