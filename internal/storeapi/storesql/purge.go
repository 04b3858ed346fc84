package storesql

import (
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// PurgeSQL are a store's statements of the retention purge, one per kind
// of data, each changing at most a batch (see each store's retention.go:
// they differ in locking, in how they walk their index and in what they
// return).
type PurgeSQL struct{ Events, Quarantine, Outbox, Links, Intents string }

// PurgeStep is one kind of data the retention purges.
type PurgeStep struct {
	Keep  time.Duration // how long the retention keeps it
	Table string        // rows kept without their bodies (events, quarantine), walked by received_at; "" for rows deleted
	SQL   string        // its statement in PurgeSQL
	N     *int          // where the purge counts the rows it changed
}

// PurgeSteps returns the kinds of data r purges, with the statements of q,
// counted into p: those r keeps for a while, events before operations
// (an event's purge waits for its operations to age).
func PurgeSteps(r syncd.Retention, p *syncd.Purge, q PurgeSQL) []PurgeStep {
	var steps []PurgeStep
	for _, s := range []PurgeStep{
		{r.Events, "events", q.Events, &p.Events},
		{r.Quarantine, "quarantine", q.Quarantine, &p.Quarantined},
		{r.Outbox, "", q.Outbox, &p.Ops},
		{r.Links, "", q.Links, &p.Links},
		{r.Intents, "", q.Intents, &p.Intents},
	} {
		if s.Keep > 0 {
			steps = append(steps, s)
		}
	}
	return steps
}
