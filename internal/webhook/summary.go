package webhook

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DefaultSummaryEvery is Options.SummaryEvery when unset.
const DefaultSummaryEvery = time.Minute

// tally counts stored deliveries per source and outcome between two
// summary lines: one line at info a minute instead of one per delivery
// (each a write to the journal), which stays at debug.
type tally struct {
	mu    sync.Mutex
	n     map[tallyKey]int
	since time.Time // when the counts began: the receiver's start or the last take
}

type tallyKey struct {
	source  string
	outcome string // a syncd.Outcome, or OutcomeUnrecognised
}

func (t *tally) add(source, outcome string) {
	t.mu.Lock()
	if t.n == nil {
		t.n = map[tallyKey]int{}
	}
	t.n[tallyKey{source, outcome}]++
	t.mu.Unlock()
}

// take returns the counts since the last take, and how long they were
// counted for, and starts again at now.
func (t *tally) take(now time.Time) (map[tallyKey]int, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, over := t.n, now.Sub(t.since)
	t.n, t.since = nil, now
	return n, over
}

// Run logs, every Options.SummaryEvery, one info line per source that
// received deliveries: how many were accepted, duplicates, quarantined and
// unrecognised. It logs the last counts when ctx ends.
func (rc *Receiver) Run(ctx context.Context) error {
	t := time.NewTicker(rc.opts.SummaryEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			rc.logSummary()
			return nil
		case <-t.C:
			rc.logSummary()
		}
	}
}

func (rc *Receiver) logSummary() {
	counts, over := rc.tally.take(rc.opts.Now()) // at stop, less than SummaryEvery
	bySource := map[string]map[string]int{}
	for k, n := range counts {
		if bySource[k.source] == nil {
			bySource[k.source] = map[string]int{}
		}
		bySource[k.source][k.outcome] = n
	}
	for _, source := range slices.Sorted(maps.Keys(bySource)) {
		c := bySource[source]
		rc.opts.Log.Info().Str("source", source).Int("accepted", c[string(syncd.Accepted)]).
			Int("duplicate", c[string(syncd.Duplicate)]).Int("quarantined", c[string(syncd.Quarantined)]).
			Int("unrecognised", c[OutcomeUnrecognised]).Dur("over", over.Round(time.Millisecond)).Msg("deliveries")
	}
}
