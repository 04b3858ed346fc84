package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// endedMappings is a mapping store whose session the server ended (57P01,
// as PostgreSQL stopping ends every session before it refuses
// connections): the failure a worker meets when its query is in flight at
// the stop.
type endedMappings struct{ mapping.Store }

// PendingEvents fails as a session the server ended.
func (endedMappings) PendingEvents(context.Context, int64, int) ([]syncd.Event, error) {
	return nil, &pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"}
}

// TestMappingSessionEndedAsTheServerStopsIsHeld: the mapping worker whose
// query was in flight as PostgreSQL stopped logged a "map events" error
// line of its own (57P01, "terminating connection due to administrator
// command") beside the outage's lines, which say that leads are not
// mapped (TestADatabaseOutageIsToldOnceWithAReminderAndItsEnd failed so on
// a loaded run). It is held as the report scheduler's is: left out when
// an outage begins within endedGrace, logged once when none does.
func TestMappingSessionEndedAsTheServerStopsIsHeld(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Store: config.Store{Kind: config.StorePostgres, DSN: "postgres://syncd@127.0.0.1:1/syncd"}}
	for _, outage := range []bool{true, false} {
		var buf logtest.Buffer
		log := zerolog.New(&buf)
		down := newStoreDown(cfg, log, nil)
		st := toldMappings{endedMappings{}, down, log, nil}
		if _, err := st.PendingEvents(context.Background(), 0, 10); !dbdown.IsTold(err) {
			t.Fatalf("outage %v: the ended session's error %v is left for the worker to log at once", outage, err)
		}
		if outage { // the server refuses connections now: the outage begins
			down.log.Failed(dbdown.Failure{Part: "listen", Err: errors.New("connection refused"), Connect: true})
		}
		time.Sleep(endedGrace + time.Second)
		logged := strings.Count(buf.String(), `"message":"map events"`)
		if want := map[bool]int{true: 0, false: 1}[outage]; logged != want {
			t.Errorf("outage %v: %d \"map events\" lines, want %d:\n%s", outage, logged, want, buf.String())
		}
	}
}

// TestKeepReportsSessionEndedAsTheServerStopsIsHeld: the hourly keeping of
// the reports whose read met PostgreSQL stopping logged "keep reports:
// read what the reports need" (57P01) beside the outage's lines (a
// loaded CI run of TestADatabaseOutageIsToldOnceWithAReminderAndItsEnd).
// It is held as the mapping's is; on SQLite (no outage log) it is said at
// once.
func TestKeepReportsSessionEndedAsTheServerStopsIsHeld(t *testing.T) {
	t.Parallel()
	ended := &pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"}
	cfg := &config.Config{Store: config.Store{Kind: config.StorePostgres, DSN: "postgres://syncd@127.0.0.1:1/syncd"}}
	for _, outage := range []bool{true, false} {
		down := newStoreDown(cfg, zerolog.Nop(), nil)
		var said atomic.Int32
		down.sayOr("keep reports", ended, func(error) { said.Add(1) })
		if said.Load() != 0 {
			t.Fatalf("outage %v: said at once, before an outage could begin", outage)
		}
		if outage {
			down.log.Failed(dbdown.Failure{Part: "listen", Err: errors.New("connection refused"), Connect: true})
		}
		time.Sleep(endedGrace + time.Second)
		if want := map[bool]int32{true: 0, false: 1}[outage]; said.Load() != want {
			t.Errorf("outage %v: said %d times, want %d", outage, said.Load(), want)
		}
	}
	var sqlite *storeDown // SQLite: no outage log
	said := 0
	sqlite.sayOr("keep reports", ended, func(error) { said++ })
	if said != 1 {
		t.Errorf("on SQLite: said %d times, want once, at once", said)
	}
}

// TestPoolSessionEndedAsTheServerStopsIsHeld: a pool's statement whose
// connection the server's stop ended as it was being opened ("intake
// keys: mark session: FATAL: terminating connection due to administrator
// command (SQLSTATE 57P01)", the intake putting back its keys as the
// daemon started) was a "store" error line of its own beside the
// outage's lines (TestADatabaseOutageIsToldOnceWithAReminderAndItsEnd
// failed so in a full run): only a part's session (PartError) was held.
// It is held as theirs are: left out when an outage begins within
// endedGrace, logged once when none does (a DBA ended it).
func TestPoolSessionEndedAsTheServerStopsIsHeld(t *testing.T) {
	t.Parallel()
	ended := fmt.Errorf("intake keys: %w", fmt.Errorf("mark session: %w",
		&pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"}))
	cfg := &config.Config{Store: config.Store{Kind: config.StorePostgres, DSN: "postgres://syncd@127.0.0.1:1/syncd"}}
	for _, outage := range []bool{true, false} {
		var said atomic.Int32
		down := newStoreDown(cfg, zerolog.Nop(), func(error) { said.Add(1) })
		if !down.took(ended) {
			t.Fatalf("outage %v: the ended session's error is left for the caller to log at once", outage)
		}
		if outage {
			down.log.Failed(dbdown.Failure{Part: "listen", Err: errors.New("connection refused"), Connect: true})
		}
		time.Sleep(endedGrace + time.Second)
		if want := map[bool]int32{true: 0, false: 1}[outage]; said.Load() != want {
			t.Errorf("outage %v: said %d times, want %d", outage, said.Load(), want)
		}
	}
}
