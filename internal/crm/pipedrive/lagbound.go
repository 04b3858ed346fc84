package pipedrive

import (
	"sync"
	"time"
)

// lagBounds bound how far behind writes each list is, from what the lists
// showed: a record added at A that a list showed at t proves the list lags
// at most t-A (writes show up in the order they were made). The smallest
// bound seen within boundKeep is kept per object, in memory: after a
// restart the lists must show a record again before a create is repeated.
type lagBounds struct {
	mu sync.Mutex
	m  map[string]observation
}

type observation struct {
	at    time.Time     // when the list was read (our clock)
	bound time.Duration // it lags at most this, clock skew and whole seconds included
}

// boundKeep is how long a bound stays usable, since a list may slow down:
// ten settle times, at least ten minutes.
func (a *Adapter) boundKeep() time.Duration { return max(10*a.opts.Settle, 10*time.Minute) }

// observe records that the list of object, read at at, showed a record
// added at added (Pipedrive's clock, whole seconds).
func (l *lagBounds) observe(object string, at, added time.Time, skew, keep time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]observation{}
	}
	o := observation{at: at, bound: at.Sub(added) + time.Second + skew}
	if cur, ok := l.m[object]; !ok || at.Sub(cur.at) >= keep || o.bound <= cur.bound {
		l.m[object] = o
	}
}

// bound is the bound of object's list lag; ok is false when the list has
// shown nothing within keep.
func (l *lagBounds) bound(object string, now time.Time, keep time.Duration) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	o, ok := l.m[object]
	if !ok || now.Sub(o.at) >= keep {
		return 0, false
	}
	return o.bound, true
}
