package postgres_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestSessionsAreNamedForADBA: syncd's connections set no
// application_name, so a DBA looking at pg_stat_activity could not tell
// syncd's sessions from another program's, nor the session that listens
// for nudges, a leader's and the pool's apart, nor which instance held
// each. Each is named "syncd WHAT HOST:PID"; an application_name the DSN
// sets wins, on every session.
func TestSessionsAreNamedForADBA(t *testing.T) {
	t.Parallel()
	host, _ := os.Hostname()
	self := fmt.Sprintf("%s:%d", host, os.Getpid())
	dsn := pgtest.DSN(t)
	named := sessionNames(t, dsn)
	for _, want := range []string{"syncd listen " + self, "syncd lead report " + self, "syncd command " + self} {
		if !slices.Contains(named, want) {
			t.Errorf("sessions named %q, want one %q", named, want)
		}
	}
	named = sessionNames(t, pgtest.DSN(t)+"&application_name=crm-sync")
	if slices.ContainsFunc(named, func(n string) bool { return n != "crm-sync" }) || len(named) < 3 {
		t.Errorf("sessions named %q with the DSN's application_name, want it on every one", named)
	}
}

// sessionNames opens dsn, runs the listening session and the report's
// leader, and returns the application_name of every session syncd holds
// on the database meanwhile, once the leader and the listener are there.
func sessionNames(t *testing.T, dsn string) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := openDSN(t, dsn)
	listening := make(chan struct{}, 1)
	go db.Listen(ctx, map[string]func(){postgres.ChannelEvents: func() {
		select {
		case listening <- struct{}{}:
		default:
		}
	}})
	go db.Lead(ctx, "report", func(ctx context.Context) error { <-ctx.Done(); return nil })
	waitFor(t, "listening and leading", func() bool { return len(listening) == 1 && len(db.Leads()) == 1 })
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var names []string
	err = admin.QueryRow(ctx, `SELECT array_agg(application_name ORDER BY application_name) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&names)
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Leads()) != 1 {
		t.Fatal("the leader stopped meanwhile")
	}
	return names
}
