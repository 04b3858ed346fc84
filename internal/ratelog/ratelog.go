// Package ratelog logs an error that repeats once per interval, with the
// number of times it happened, instead of once per occurrence: a full disk
// under load otherwise writes tens of megabytes of identical lines a
// minute, and fills what little space is left.
package ratelog

import (
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Limiter logs at most one line per key per interval. The first occurrence
// is logged at once; the ones after it within the interval are counted and
// reported ("repeated": n) with the next line logged for the key.
type Limiter struct {
	log      zerolog.Logger
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	keys map[string]*entry
}

type entry struct {
	last       time.Time
	suppressed int
}

// New returns a Limiter writing to log; interval 0 means 10 seconds.
func New(log zerolog.Logger, interval time.Duration, now func() time.Time) *Limiter {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{log: log, interval: interval, now: now, keys: map[string]*entry{}}
}

// Error logs msg with err at error level under key, unless it was logged
// less than an interval ago; fields adds context to the line logged.
func (l *Limiter) Error(key string, err error, msg string, fields func(*zerolog.Event)) {
	l.Log(zerolog.ErrorLevel, key, err, msg, fields)
}

// Log is Error at any level; err may be nil.
func (l *Limiter) Log(level zerolog.Level, key string, err error, msg string, fields func(*zerolog.Event)) {
	n, ok := l.allow(key)
	if !ok {
		return
	}
	ev := l.log.WithLevel(level)
	if err != nil {
		ev = ev.Err(err)
	}
	if n > 0 {
		ev = ev.Int("repeated", n).Str("interval", l.interval.String())
	}
	if fields != nil {
		fields(ev)
	}
	ev.Msg(msg)
}

// allow says whether key may be logged now, and how many occurrences were
// held back since it last was.
func (l *Limiter) allow(key string) (int, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.keys[key]
	if e == nil {
		e = &entry{}
		l.keys[key] = e
	} else if now.Sub(e.last) < l.interval {
		e.suppressed++
		return 0, false
	}
	n := e.suppressed
	e.last, e.suppressed = now, 0
	return n, true
}
