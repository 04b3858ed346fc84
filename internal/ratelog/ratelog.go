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
// is logged at once; the ones after it within the interval are held back
// and counted. The count comes out with the next line logged for the key
// ("repeated": n, the occurrences held back before that line), or, when
// none comes within the interval, at its end: the last occurrence held
// back is logged then, with "repeated": n counting it and the others held
// back, and "last_at" when it happened. One timer per Limiter, armed when
// a line is first held back, writes those; Close writes what is held back
// at once.
type Limiter struct {
	log      zerolog.Logger
	interval time.Duration
	now      func() time.Time

	mu     sync.Mutex
	keys   map[string]*entry
	timer  *time.Timer // armed while some key has lines held back
	closed bool
}

type entry struct {
	last       time.Time
	suppressed int
	held       line // the last occurrence held back
}

// line is one occurrence to log.
type line struct {
	level  zerolog.Level
	err    error
	msg    string
	fields func(*zerolog.Event)
	at     time.Time
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
	ln := line{level: level, err: err, msg: msg, fields: fields}
	if n, ok := l.allow(key, ln); ok {
		l.write(ln, n, false)
	}
}

// Close writes, at once, the count of each key's lines held back, and
// stops the timer; lines logged after it are limited as before, their
// counts written with the next line of their key only.
func (l *Limiter) Close() {
	l.mu.Lock()
	l.closed = true
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	out := l.takeHeld(l.now(), true)
	l.mu.Unlock()
	for _, h := range out {
		l.write(h.line, h.n, true)
	}
}

// Discard stops the timer and drops the counts held back, for a caller
// that says them itself (a "working again" line with the failures' count);
// the Limiter is not to be used after.
func (l *Limiter) Discard() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	clear(l.keys)
}

// write logs ln; n is how many of its key were held back before it, or,
// when late, with it (ln being the last of them).
func (l *Limiter) write(ln line, n int, late bool) {
	ev := l.log.WithLevel(ln.level)
	if ln.err != nil {
		ev = ev.Err(ln.err)
	}
	if n > 0 {
		ev = ev.Int("repeated", n).Str("interval", l.interval.String())
	}
	if late {
		ev = ev.Time("last_at", ln.at)
	}
	if ln.fields != nil {
		ln.fields(ev)
	}
	ev.Msg(ln.msg)
}

// allow says whether key may be logged now, and how many occurrences were
// held back since it last was; one held back is kept as the key's last.
func (l *Limiter) allow(key string, ln line) (int, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.keys[key]
	if e == nil {
		e = &entry{}
		l.keys[key] = e
	} else if wait := l.interval - now.Sub(e.last); wait > 0 {
		e.suppressed++
		ln.at = now
		e.held = ln
		if l.timer == nil && !l.closed { // one timer for all keys, not one per line
			l.timer = time.AfterFunc(wait, l.flushDue)
		}
		return 0, false
	}
	n := e.suppressed
	e.last, e.suppressed, e.held = now, 0, line{}
	return n, true
}

// heldBack is a key's last line held back and how many were.
type heldBack struct {
	line
	n int
}

// takeHeld takes the lines held back of each key whose interval has ended
// by now (all, when all), starting the key's interval again at now: the
// line written for them is its line for that interval.
func (l *Limiter) takeHeld(now time.Time, all bool) []heldBack {
	var out []heldBack
	for _, e := range l.keys {
		if e.suppressed > 0 && (all || now.Sub(e.last) >= l.interval) {
			out = append(out, heldBack{e.held, e.suppressed})
			e.last, e.suppressed, e.held = now, 0, line{}
		}
	}
	return out
}

// flushDue is the timer's: it writes the lines held back whose interval
// ended, and arms the timer again for the next interval to end, if any.
func (l *Limiter) flushDue() {
	now := l.now()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	out := l.takeHeld(now, false)
	var next time.Duration
	for _, e := range l.keys {
		if wait := l.interval - now.Sub(e.last); e.suppressed > 0 && (next == 0 || wait < next) {
			next = max(wait, time.Millisecond)
		}
	}
	l.timer = nil
	if next > 0 {
		l.timer = time.AfterFunc(next, l.flushDue)
	}
	l.mu.Unlock()
	for _, h := range out {
		l.write(h.line, h.n, true)
	}
}
