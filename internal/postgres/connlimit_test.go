package postgres_test

import (
	"context"
	"testing"

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
