package pipedrive

import (
	"sync"
	"time"
)

// witnesses remembers the records this adapter created and saw confirmed,
// per object, with when: a witness confirmed more than Settle ago that the
// list of recent records does not show is evidence that the list lags more
// than Settle, so a record missing from it may still exist. Kept in memory:
// after a restart there is no evidence until new records are created.
type witnesses struct {
	mu sync.Mutex
	m  map[string][]witness
}

type witness struct {
	id int64
	at time.Time // when the create's answer arrived
}

// maxWitnesses bounds what is kept per object.
const maxWitnesses = 256

// witnessSpan is how many settle times back a witness is evidence: lists
// lagging up to that long are detected without a newer record.
const witnessSpan = 10

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (w *witnesses) add(object string, id int64, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = map[string][]witness{}
	}
	l := append(w.m[object], witness{id: id, at: at})
	if len(l) > maxWitnesses {
		l = l[len(l)-maxWitnesses:]
	}
	w.m[object] = l
}

// missing reports whether a witness of object confirmed between from and
// to is not in shown.
func (w *witnesses) missing(object string, from, to time.Time, shown map[int64]bool) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range w.m[object] {
		if !x.at.Before(from) && !x.at.After(to) && !shown[x.id] {
			return true
		}
	}
	return false
}
