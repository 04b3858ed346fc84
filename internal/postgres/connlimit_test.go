package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// TestAFullServerStillHasLeaders: with the server's connection limit
// reached by the instances' pools (their idle connections kept), no
// instance could open the report leader's session, nor the sync
// leader's: each tried every 2 s, refused (53300), and the daily report
// was never made. A leader refused a session of its own takes over an
// idle connection of its instance's pool (one is always left to the
// pool), so one instance leads, and only one; one that does not lead
// keeps its pool whole (it tries the lock on the pool's connection first).
// One whose pool has no connection to spare says what stops.
func TestAFullServerStillHasLeaders(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.DSN(t)
	openDSN(t, dsn) // migrated by the owner
	limited := limitedRole(t, dsn, `ALTER ROLE %[1]s CONNECTION LIMIT 5;
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s`)
	role := limited[len("postgres://"):strings.Index(limited, "@")]
	// Two instances whose pools keep two connections each, and one whose
	// pool holds one: the role's five.
	a := openDSN(t, limited+"&pool_min_conns=2&pool_max_conns=2")
	b := openDSN(t, limited+"&pool_min_conns=2&pool_max_conns=2")
	c := openDSN(t, limited+"&pool_max_conns=1")
	admin, err := pgx.Connect(ctx, dsn) // a superuser: not bound by the role's limit
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	sessions := func(name string) (n int) {
		err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND application_name LIKE $2`,
			role, name).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor(t, "the pools holding the role's 5 connections", func() bool { return sessions("%") == 5 })
	var running, ran, most atomic.Int32
	lead := func(ctx context.Context) error {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		ran.Add(1)
		<-ctx.Done()
		return nil
	}
	said := make(chan error, 1)
	c.OnError = func(err error) {
		select {
		case said <- err:
		default:
		}
	}
	go c.Lead(ctx, "report", lead)
	select {
	case err := <-said:
		for _, w := range []string{"lead report: no session to lead the report: no daily report is made or mailed",
			"the server has no connection left", "pool_max_conns"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("an instance with no connection to spare said %q: no %q", err, w)
			}
		}
	case <-time.After(20 * time.Second):
		t.Fatal("an instance with no connection to spare said nothing")
	}
	var errs sync.Map
	for _, db := range []*postgres.DB{a, b} {
		db.OnError = func(err error) { errs.Store(err.Error(), true) }
		go db.Lead(ctx, "report", lead)
	}
	deadline := time.Now().Add(20 * time.Second)
	for ran.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if ran.Load() == 0 {
		errs.Range(func(k, _ any) bool { t.Log(k); return true })
		t.Fatal("no instance leads the report on a server with no connection left")
	}
	if n := sessions("syncd lead report %"); n != 1 {
		t.Errorf("%d sessions named 'syncd lead report', want the leader's one", n)
	}
	for i, db := range []*postgres.DB{a, b} {
		if err := db.Ping(ctx); err != nil {
			t.Errorf("instance %d: its pool no longer answers: %v", i, err)
		}
	}
	// The instance that does not lead tries again every 2 s: over three
	// tries its pool keeps its two connections.
	other := b
	if b.PoolConns() < 2 {
		other = a
	}
	for end := time.Now().Add(7 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if n := other.PoolConns(); n < 2 {
			t.Fatalf("the instance not leading holds %d connections in its pool, want its 2", n)
		}
	}
	if most.Load() != 1 || ran.Load() != 1 {
		t.Errorf("%d leaders at once, %d leads: want one, of the instances with a connection to spare", most.Load(), ran.Load())
	}
}

// TestAFullServerWaitsForThePoolsOwnConnection: on a server with no
// connection left, an instance whose pool held fewer than its bound failed
// every statement that found its connections busy, the pool's new
// connection refused (53300): a delivery answered 503 while the instance's
// own connection was free a moment later, the mapping and the heartbeat
// logging errors. Such a statement waits for one of the pool's own.
func TestAFullServerWaitsForThePoolsOwnConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	openDSN(t, dsn)
	limited := limitedRole(t, dsn, `ALTER ROLE %[1]s CONNECTION LIMIT 2;
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s`)
	db := openDSN(t, limited+"&pool_max_conns=4") // its pool holds the one connection Open took
	held, err := pgx.Connect(ctx, limited)        // the role's other connection, another instance's
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if err := db.Ping(ctx); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a statement on a full server, its pool's own connection busy: %v", err)
	}
	if n := db.PoolConns(); n != 1 {
		t.Errorf("the pool holds %d connections, want its one", n)
	}
}
