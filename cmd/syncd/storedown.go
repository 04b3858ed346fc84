package main

import (
	"errors"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/postgres"
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
type storeDown struct{ log *dbdown.Log }

// newStoreDown returns the outage log of cfg's store, nil on SQLite.
func newStoreDown(cfg *config.Config, log zerolog.Logger) *storeDown {
	if cfg.Store.Kind != config.StorePostgres {
		return nil
	}
	where, err := postgres.Where(cfg.Store.DSN)
	if err != nil { // the open refuses it
		return nil
	}
	remind, _ := time.ParseDuration(os.Getenv(storeDownRemindEnv))
	return &storeDown{dbdown.New(log, where, storeDownStops, remind, nil)}
}

// took tells the outage log of err when it is the database not answering
// and reports whether it did. Other errors, a server refusing a
// connection for its limit (its own words say the way out), and a session
// that ended while the database answers (a DBA ended it), are for the
// caller to log.
func (s *storeDown) took(err error) bool {
	if s == nil || !postgres.Unreachable(err) || postgres.Full(err) {
		return false
	}
	f := dbdown.Failure{Err: err, Connect: errors.As(err, new(*pgconn.ConnectError))} // a pool's statement
	if pe := (*postgres.PartError)(nil); errors.As(err, &pe) {
		f.Part, f.Retries, f.Connect = pe.Part, true, pe.Connect
	} else {
		f.Part, _, _ = strings.Cut(err.Error(), ": ") // "intake", "record intake run": they try again when next needed
	}
	return s.log.Failed(f)
}

// answered is postgres.DB.OnAnswer.
func (s *storeDown) answered(part string) {
	if s != nil {
		s.log.Answered(part)
	}
}
