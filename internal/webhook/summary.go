package webhook

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// DefaultSummaryEvery is Options.SummaryEvery when unset.
const DefaultSummaryEvery = time.Minute

// tally counts stored deliveries per source and outcome between two
// summary lines: one line at info a minute instead of one per delivery
// (each a write to the journal), which stays at debug.
type tally struct {
	mu     sync.Mutex
	n      map[tallyKey]int
	tokens map[tokenKey]int // deliveries by the position of their token in the source's list
	since  time.Time        // when the counts began: the receiver's start or the last take
}

type tokenKey struct {
	source string
	at     int // from 1
}

type tallyKey struct {
	source  string
	outcome string // a syncd.Outcome, or OutcomeUnrecognised
}

func (t *tally) add(source, outcome string, token int) {
	t.mu.Lock()
	if t.n == nil {
		t.n, t.tokens = map[tallyKey]int{}, map[tokenKey]int{}
	}
	t.n[tallyKey{source, outcome}]++
	t.tokens[tokenKey{source, token}]++
	t.mu.Unlock()
}

// take returns the counts since the last take, by outcome and by token,
// and how long they were counted for, and starts again at now.
func (t *tally) take(now time.Time) (map[tallyKey]int, map[tokenKey]int, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, tokens, over := t.n, t.tokens, now.Sub(t.since)
	t.n, t.tokens, t.since = nil, nil, now
	return n, tokens, over
}

// Run logs, every Options.SummaryEvery, one info line per source that
// received deliveries: how many were accepted, duplicates, quarantined and
// unrecognised, and, for a source with several tokens (a rotation), how
// many came with each (tokens, by position: "1" the first). It logs the
// last counts when ctx ends.
func (rc *Receiver) Run(ctx context.Context) error {
	t := time.NewTicker(rc.opts.SummaryEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			rc.logSummary()
			rc.logs.Close() // the counts of errors held back
			return nil
		case <-t.C:
			rc.logSummary()
		}
	}
}

func (rc *Receiver) logSummary() {
	counts, tokens, over := rc.tally.take(rc.opts.Now()) // at stop, less than SummaryEvery
	bySource := map[string]map[string]int{}
	for k, n := range counts {
		if bySource[k.source] == nil {
			bySource[k.source] = map[string]int{}
		}
		bySource[k.source][k.outcome] = n
	}
	for _, source := range slices.Sorted(maps.Keys(bySource)) {
		c := bySource[source]
		ev := rc.opts.Log.Info().Str("source", source).Int("accepted", c[string(syncd.Accepted)]).
			Int("duplicate", c[string(syncd.Duplicate)]).Int("quarantined", c[string(syncd.Quarantined)]).
			Int("unrecognised", c[OutcomeUnrecognised])
		if src := (*rc.sources.Load())[source]; src != nil && len(src.Tokens) > 1 {
			by := zerolog.Dict()
			for at := 1; at <= len(src.Tokens); at++ {
				by.Int(strconv.Itoa(at), tokens[tokenKey{source, at}])
			}
			ev.Dict("tokens", by)
		}
		ev.Dur("over", over.Round(time.Millisecond)).Msg("deliveries")
	}
}
