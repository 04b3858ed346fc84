package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeDownStops is what a shared database not answering stops, as the
// lines of its outage say.
const storeDownStops = "deliveries answered 503 (senders retry them), leads neither mapped nor sent to the CRM, " +
	"no daily report made"

// storeDownRemindEnv, for the tests alone, sets how often an outage is
// told again (a Go duration; 5 minutes without it): no setting of the
// configuration, as no operator has a reason to change it.
const storeDownRemindEnv = "SYNCD_TEST_DB_DOWN_REMIND"

// storeDown tells the log of a PostgreSQL database that does not answer
// (dbdown): the first failure, a reminder every 5 minutes, and when it
// answers again. Each part retrying on its own logged its every failure,
// at most once per 10 s: on each instance four error lines every 10 s
// through an outage, and no line when it was over. Nil on SQLite, whose
// failures are a file's or a disk's, each logged as it comes.
type storeDown struct {
	log *dbdown.Log
	// say logs a session that ended with no outage under way, held for
	// endedGrace (hold).
	say func(error)
}

// endedGrace is how long a session that ended with no outage under way
// is held before it is logged: the server stopping ends every session
// (listen, the leads, the heartbeat's) a moment before it refuses a
// connection, which begins the outage; a DBA ending one leaves none.
const endedGrace = 3 * time.Second

// newStoreDown returns the outage log of cfg's store, nil on SQLite; say
// logs what it holds (hold).
func newStoreDown(cfg *config.Config, log zerolog.Logger, say func(error)) *storeDown {
	if cfg.Store.Kind != config.StorePostgres {
		return nil
	}
	where, err := postgres.Where(cfg.Store.DSN)
	if err != nil { // the open refuses it
		return nil
	}
	remind, _ := time.ParseDuration(os.Getenv(storeDownRemindEnv))
	return &storeDown{log: dbdown.New(log, where, storeDownStops, remind, nil), say: say}
}

// took tells the outage log of err when it is the database not answering
// and reports whether it did. A session that ended with no outage under
// way, a part's (PartError) or a pool statement's ("intake keys: mark
// session: … 57P01", a connection the server's stop ended as it was being
// opened), is held (hold) and reported taken. Other errors, and a server
// refusing a connection for its limit (its own words say the way out),
// are for the caller to log.
func (s *storeDown) took(err error) bool {
	if !s.outage(err) {
		return false
	}
	f := dbdown.Failure{Err: err, Connect: errors.As(err, new(*pgconn.ConnectError))} // a pool's statement
	pe := (*postgres.PartError)(nil)
	if errors.As(err, &pe) {
		f.Part, f.Retries, f.Connect = pe.Part, true, pe.Connect
	} else {
		f.Part, _, _ = strings.Cut(err.Error(), ": ") // "intake", "record intake run": they try again when next needed
	}
	n := s.log.Began()
	if s.log.Failed(f) {
		return true
	}
	if s.say == nil {
		return false
	}
	s.hold(err, n, s.say)
	return true
}

// ended returns the outages that ended since it was last called (none on
// SQLite: s nil).
func (s *storeDown) ended() []dbdown.Outage {
	if s == nil {
		return nil
	}
	return s.log.Ended()
}

// outage reports whether err is the database not answering, which the
// outage log tells (a server refusing a connection for its limit is not:
// its own words say the way out); false on SQLite (s nil).
func (s *storeDown) outage(err error) bool {
	return s != nil && postgres.Unreachable(err) && !postgres.Full(err)
}

// tookFor is took for a part that logs its own failures and tries again
// on its own schedule (the report scheduler): the database not answering
// is told by the outage's log; a session the server ended with no outage
// under way is held as took holds a PartError's, then logged by say
// unless an outage began meanwhile (the server stopping ends the sessions
// a moment before it refuses connections: the report's first run that
// met it was an error line of its own beside the outage's).
func (s *storeDown) tookFor(part string, err error, say func(error)) bool {
	if !s.outage(err) {
		return false
	}
	n := s.log.Began()
	if !s.log.Failed(dbdown.Failure{Part: part, Err: err, Connect: errors.As(err, new(*pgconn.ConnectError))}) {
		s.hold(err, n, say)
	}
	return true
}

// hold logs err with say, a part's session that ended with no outage under
// way (n outages begun so far), once endedGrace has passed, unless an outage
// began meanwhile: the server's stop is then told by the outage's lines
// alone, where each session it ended (listen, heartbeat, lost leadership
// of sync and of report) was an error line of its own before them.
func (s *storeDown) hold(err error, n int, say func(error)) {
	time.AfterFunc(endedGrace, func() {
		if s.log.Began() == n {
			say(err)
		}
	})
}

// told is err marked dbdown.Told when the outage log took it as a
// failure of part, for the part to leave it out of its own lines; err as
// it is otherwise. The mapping worker, /readyz and the metrics' outbox
// query each logged the outage on their own: on each instance an error
// line a minute (mapping), every 10 s (a load balancer polling /readyz)
// and at each scrape, through an outage the outage's lines already say.
// They retry when next needed and hold no outage open.
func (s *storeDown) told(part string, err error) error {
	if err == nil || !s.outage(err) {
		return err
	}
	if !s.log.Failed(dbdown.Failure{Part: part, Err: err, Connect: errors.As(err, new(*pgconn.ConnectError))}) {
		return err
	}
	return dbdown.Told(err)
}

// answered is postgres.DB.OnAnswer.
func (s *storeDown) answered(part string) {
	if s != nil {
		s.log.Answered(part)
	}
}

// toldMappings is the mapping worker's store, its failures in an outage
// marked told (storeDown.told): the worker leaves them out of its lines.
// Its session ended by the server with no outage under way yet (a
// server stopping ends its sessions a moment before it refuses
// connections: 57P01) is held as the report scheduler's is (tookFor),
// then logged by log as the worker would, unless an outage began
// meanwhile: it was a "map events" error line of its own beside the
// outage's lines.
type toldMappings struct {
	mapping.Store
	down *storeDown
	log  zerolog.Logger
	// damaged is told every failure, to note the database found damaged
	// (daemon.noteDamaged); nil: not noted.
	damaged func(error) bool
}

// PendingEvents lists the events waiting to be mapped.
func (t toldMappings) PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error) {
	evs, err := t.Store.PendingEvents(ctx, afterID, limit)
	return evs, t.told(err)
}

// RecordMappings records what the events mapped to.
func (t toldMappings) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	n, err := t.Store.RecordMappings(ctx, ms)
	return n, t.told(err)
}

// told is err marked dbdown.Told when the outage log took it, or holds
// it (see toldMappings); err as it is otherwise.
func (t toldMappings) told(err error) error {
	if err != nil && t.damaged != nil {
		t.damaged(err)
	}
	if err == nil || !t.down.tookFor("mapping", err, func(err error) { t.log.Error().Err(err).Msg("map events") }) {
		return err
	}
	return dbdown.Told(err)
}

// toldIntake is the receiver's store, its failures in an outage marked
// told: a delivery answered 503 and /readyz failing, each an error line
// every 10 s through an outage (senders retry, a load balancer polls).
type toldIntake struct {
	intake
	down *storeDown
}

// intake returns in, its failures in an outage marked told; in itself on
// SQLite.
func (s *storeDown) intake(in intake) intake {
	if s == nil {
		return in
	}
	return toldIntake{in, s}
}

// Store stores a delivery. Its failure was told already, by the writer
// that commits it: it is not counted again.
func (t toldIntake) Store(ctx context.Context, in syncd.Incoming) (syncd.Receipt, error) {
	r, err := t.intake.Store(ctx, in)
	if err != nil && postgres.Unreachable(err) && t.down.log.Down() {
		err = dbdown.Told(err)
	}
	return r, err
}

// Ready checks that the store takes writes, for /readyz.
func (t toldIntake) Ready(ctx context.Context) error {
	return t.down.told("readyz", t.intake.Ready(ctx))
}

// sayOr has the outage log take err as a failure of part, or hold a
// session the server ended with no outage under way yet (tookFor); else,
// and on SQLite, say logs it. A part's session ended as PostgreSQL stopped
// was a line of its own beside the outage's ("keep reports: … terminating
// connection due to administrator command").
func (s *storeDown) sayOr(part string, err error, say func(error)) {
	if !s.tookFor(part, err, say) {
		say(err)
	}
}
