package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStoreErrorsOfOneKindHideNoOther: every failure a store reported on
// its own was logged under one rate limit, so in a database restart the
// first line (the listen session's) hid for 10 s every other (a lost
// lead, the heartbeat), and the newer-schema notice, said once, could be
// lost altogether. Each kind has its own limit.
func TestStoreErrorsOfOneKindHideNoOther(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs logtest.Buffer
	say, done := storeErrors(zerolog.New(&logs))
	defer done()
	db.OnError = say
	// Listening on a channel that cannot be listened on (a zero-length
	// name) fails every couple of seconds: a storm of one kind.
	go db.Listen(ctx, map[string]func(){"": func() {}})
	waitLog(t, &logs, `"error":"listen: `)
	conn, err := pgx.Connect(ctx, dsn) // a newer syncd migrates the database
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, to := db.Migrated()
	if _, err := conn.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, to+1); err != nil {
		t.Fatal(err)
	}
	go db.Heartbeat(ctx, "127.0.0.1:1", version, func() string { return "" })
	waitLog(t, &logs, "is newer than this binary's") // within the listen error's 10 s
}

// waitLog waits up to 8 s for want in logs.
func waitLog(t *testing.T, logs *logtest.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for !strings.Contains(logs.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never logged:\n%s", want, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
