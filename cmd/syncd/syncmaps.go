package main

import (
	"context"
	"fmt"
	"strings"

	"al.essio.dev/pkg/shellescape"

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
//
// Beside a daemon that runs on files other than those on disk (a mapping
// edited and not reloaded) it maps nothing, leaves the events to the
// daemon and says so (left true when some wait): mapped here, a day's
// leads went to the CRM two ways, those of this run by the files on disk,
// the others by the daemon's, and nothing said which.
func (c *cli) mapWaiting(ctx context.Context, file string, cfg *config.Config, db *backend, log zerolog.Logger) (rules *mapping.Rules, unmapped, left bool, err error) {
	rules, lerr := loadRules(cfg, targetName(cfg))
	if left, err := c.leftToDaemon(ctx, file, cfg, db); left || err != nil {
		return rules, false, left, err
	}
	if lerr != nil {
		n, err := db.CountEvents(ctx, syncd.EventFilter{MapState: syncd.MapPending})
		if err != nil || n == 0 {
			return nil, false, false, err
		}
		fmt.Fprintf(c.stdout, "%s not mapped yet, so not sent: the mapping files in %s do not load (syncd validate says why); "+
			"fix them, then run syncd sync again\n", syncd.Counted(n, "event received is", "events received are"), cfg.Mapping.Dir)
		log.Debug().Err(lerr).Msg("mappings not loaded")
		return nil, true, false, nil
	}
	sum, err := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: log}).RunOnce(ctx)
	if err != nil {
		return nil, false, false, fmt.Errorf("map the events waiting: %w", err)
	}
	if sum.Events > 0 {
		fmt.Fprintf(c.stdout, "mapped %s waiting to be mapped: %s\n", syncd.Counted(sum.Events, "event", "events"),
			syncd.Counted(sum.Enqueued, "new operation", "new operations"))
	}
	return rules, false, false, nil
}

// leftToDaemon says, when a daemon serves cfg's database on files other
// than those on disk, that the events waiting to be mapped are left to it,
// and reports whether some wait.
func (c *cli) leftToDaemon(ctx context.Context, file string, cfg *config.Config, db *backend) (bool, error) {
	if nothingServes(ctx, cfg, db) {
		return false, nil
	}
	pid, files := daemonOnOtherFiles(ctx, file, cfg)
	if len(files) == 0 {
		return false, nil
	}
	n, err := db.CountEvents(ctx, syncd.EventFilter{MapState: syncd.MapPending})
	if err != nil {
		return false, err
	}
	fmt.Fprintf(c.stdout, "%s waiting to be mapped left to the daemon (pid %d): it maps with the files it loaded, and %s "+
		"changed on disk since; mapped here with those, a day's leads would go to the CRM two ways. To map with the files "+
		"on disk: systemctl reload syncd (or syncd reload -config %s), then syncd sync\n",
		syncd.Counted(n, "event", "events"), pid, strings.Join(files, ", "), shellescape.Quote(file))
	return n > 0, nil
}
