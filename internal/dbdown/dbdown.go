// Package dbdown tells the log of a database that stopped answering, as
// an operator reads it afterwards: one line when it went away, saying
// what that stops, a reminder at most once per interval with the count of
// failures since, and one line when it answers again, with how long it
// was gone. The parts of a daemon that retry on their own (on PostgreSQL:
// the session listening for the other instances' nudges, each lead's
// session, the heartbeat) each logged every failure, four error lines
// every 10 s on each instance through an outage, the cause buried under
// them and no line saying it was over.
package dbdown

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Log tracks one database's outage across the parts that use it. A part
// that failed holds the outage open until it tells it answered again, so
// the line saying the database is back comes once every such part reached
// it (each retries every couple of seconds).
type Log struct {
	log    zerolog.Logger
	where  string
	stops  string
	remind time.Duration
	now    func() time.Time

	mu       sync.Mutex
	since    time.Time       // when the outage began; zero: none
	said     time.Time       // when it was last logged
	failures int             // failures since the last line
	total    int             // failures since it began
	failing  map[string]bool // the parts that failed and have not answered since
	began    int             // outages begun so far
	seen     map[string]bool // the parts that failed since the last line
	ended    []Outage        // the outages ended and not taken yet (Ended)
}

// Outage is an outage that ended: the database did not answer from From
// to To.
type Outage struct{ From, To time.Time }

// endedKept is how many ended outages are kept for Ended at most.
const endedKept = 64

// New returns a Log writing to log of the database named where (no
// password); stops says what an outage stops ("deliveries answered
// 503, ..."), remind is the least time between two lines during one (0:
// 5 minutes), now the clock (nil: time.Now).
func New(log zerolog.Logger, where, stops string, remind time.Duration, now func() time.Time) *Log {
	if remind <= 0 {
		remind = 5 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &Log{log: log, where: where, stops: stops, remind: remind, now: now, failing: map[string]bool{}, seen: map[string]bool{}}
}

// Failure is a part of the daemon failing to reach the database.
type Failure struct {
	Part string // what failed: "heartbeat", "listen", "lead sync", "intake"
	Err  error  // why
	// Retries: the part tries again on its own, and tells Answered once
	// it reaches the database; it holds the outage open until then. A
	// part that does not (a delivery's commit: the next comes when a
	// sender sends it) never tells it answered.
	Retries bool
	// Connect: the part could not connect, which begins an outage. A
	// session that ended (the server stopping, or a DBA ending it) is
	// no outage by itself: it is counted in one under way only.
	Connect bool
}

// Failed records f, and reports whether it did: false for a failure
// that begins no outage (not Connect) while none is under way, for the
// caller to log. The first failure of an outage is logged at once, at
// error level; the ones after it are counted, and logged at warn level at
// most once per remind interval, with their count and the parts that
// failed.
func (l *Log) Failed(f Failure) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.since.IsZero() && !f.Connect {
		return false
	}
	if f.Retries {
		l.failing[f.Part] = true
	}
	l.total++
	part, err := f.Part, f.Err
	if l.since.IsZero() {
		l.since, l.said, l.failures = now, now, 0
		l.began++
		clear(l.seen)
		l.log.Error().Err(err).Str("db", l.where).Str("part", part).
			Msg("database not answering: " + l.stops + ", until it answers")
		return true
	}
	l.failures++
	l.seen[part] = true
	if now.Sub(l.said) < l.remind {
		return true
	}
	parts := make([]string, 0, len(l.seen))
	for p := range l.seen {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	l.log.Warn().Err(err).Str("db", l.where).Str("for", now.Sub(l.since).Round(time.Second).String()).
		Time("since", l.since).Int("failures", l.failures).Strs("parts", parts).
		Msg("database still not answering: " + l.stops + ", until it answers")
	l.said, l.failures = now, 0
	clear(l.seen)
	return true
}

// Answered records that part reached the database. Once no part that
// failed is still failing, an outage under way ends, logged at info level
// with how long it lasted and how many failures it counted.
func (l *Log) Answered(part string) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failing, part)
	if l.since.IsZero() || len(l.failing) > 0 {
		return
	}
	l.log.Info().Str("db", l.where).Str("down_for", now.Sub(l.since).Round(time.Second).String()).
		Time("since", l.since).Int("failures", l.total).Msg("database answers again")
	if len(l.ended) == endedKept {
		l.ended = l.ended[1:]
	}
	l.ended = append(l.ended, Outage{From: l.since, To: now})
	l.since, l.total, l.failures = time.Time{}, 0, 0
	clear(l.seen)
}

// Ended returns the outages that ended since it was last called, oldest
// first, and forgets them: the daemon records them as times its intake
// answered every delivery 503.
func (l *Log) Ended() []Outage {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.ended
	l.ended = nil
	return out
}

// Since is when the outage under way began; zero when none is.
func (l *Log) Since() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.since
}

// Down reports whether an outage is under way.
func (l *Log) Down() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.since.IsZero()
}

// Began is how many outages have begun so far: one that begins and ends
// between two calls shows as a higher count.
func (l *Log) Began() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.began
}

// told is an error an outage's log took: its lines say it.
type told struct{ err error }

func (t told) Error() string { return t.err.Error() }
func (t told) Unwrap() error { return t.err }

// Told marks err as taken by an outage's log (Failed returned true), for
// a part that logs its own failures to leave it out: the outage's lines
// say it. A nil err stays nil.
func Told(err error) error {
	if err == nil {
		return nil
	}
	return told{err}
}

// IsTold reports whether err, or an error it wraps, is one Told marked.
func IsTold(err error) bool { return errors.As(err, new(told)) }
