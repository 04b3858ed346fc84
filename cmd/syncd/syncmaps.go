package main

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// mapWaiting maps, before a syncd sync run claims, the events stored and
// not mapped yet, with the mapping files on disk, and says how many it
// mapped: the daemon maps in passes a moment after it stores a lead (none
// maps while no daemon runs), and a sync run right after a lead arrived
// claimed nothing, said "0 claimed" and exited 0, "everything due was
// sent", the lead unsent. It is safe beside a running daemon (on
// PostgreSQL, beside every instance, each mapping too): an operation
// already in the outbox is not enqueued twice, and an event erased or
// purged meanwhile is left as it is. It returns the rules loaded, nil
// when the mapping files do not load: then nothing is mapped, and it says
// how many events wait (unmapped true when some do, a person having to
// fix the files). A failed pass is err.
func (c *cli) mapWaiting(ctx context.Context, cfg *config.Config, db *backend, log zerolog.Logger) (rules *mapping.Rules, unmapped bool, err error) {
	rules, lerr := loadRules(cfg, targetName(cfg))
	if lerr != nil {
		n, err := db.CountEvents(ctx, syncd.EventFilter{MapState: syncd.MapPending})
		if err != nil || n == 0 {
			return nil, false, err
		}
		fmt.Fprintf(c.stdout, "%s not mapped yet, so not sent: the mapping files in %s do not load (syncd validate says why); "+
			"fix them, then run syncd sync again\n", syncd.Counted(n, "event received is", "events received are"), cfg.Mapping.Dir)
		log.Debug().Err(lerr).Msg("mappings not loaded")
		return nil, true, nil
	}
	sum, err := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: log}).RunOnce(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("map the events waiting: %w", err)
	}
	if sum.Events > 0 {
		fmt.Fprintf(c.stdout, "mapped %s waiting to be mapped: %s\n", syncd.Counted(sum.Events, "event", "events"),
			syncd.Counted(sum.Enqueued, "new operation", "new operations"))
	}
	return rules, false, nil
}
