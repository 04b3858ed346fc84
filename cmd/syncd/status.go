package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// cmdStatus prints the daemon's state at a glance: from the running
// daemon's /metrics, or from the database when it is not running.
func cmdStatus(ctx context.Context, c *cli) int {
	fs := c.flags("status")
	file := fs.String("config", defaultConfig, "configuration file")
	if fs.Parse(c.args) != nil {
		return exitUsage
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	addr := cfg.Listen
	if cfg.Metrics.Listen != "" {
		addr = cfg.Metrics.Listen
	}
	snap, err := scrape(ctx, "http://"+addr+"/metrics")
	if err != nil {
		fmt.Fprintf(c.stdout, "daemon: not reachable at %s (%v); from the database:\n", addr, err)
		return c.withStore(ctx, *file, func(cfg *config.Config, db *backend) int {
			s, err := dbSnapshot(ctx, cfg, db)
			if err != nil {
				return c.fail(err)
			}
			metrics.WriteStatus(c.stdout, s)
			return c.statusCluster(ctx, db)
		})
	}
	metrics.WriteStatus(c.stdout, snap)
	if cfg.Store.Kind == config.StoreSQLite {
		return exitOK
	}
	return c.withStore(ctx, *file, func(_ *config.Config, db *backend) int { return c.statusCluster(ctx, db) })
}

// statusCluster prints the instances sharing a store, if it is shared.
func (c *cli) statusCluster(ctx context.Context, db *backend) int {
	if db.cluster == nil {
		return exitOK
	}
	if err := writeCluster(ctx, c.stdout, db.cluster); err != nil {
		return c.fail(err)
	}
	return exitOK
}

func scrape(ctx context.Context, url string) (metrics.Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return metrics.Snapshot{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return metrics.Snapshot{}, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	return metrics.ParseSnapshot(resp.Body, time.Now())
}

// dbSnapshot is what the database alone can tell.
func dbSnapshot(ctx context.Context, cfg *config.Config, db store) (metrics.Snapshot, error) {
	s := metrics.Snapshot{At: time.Now(), Version: version, Offline: true}
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return s, err
	}
	s.OutboxKnown = true
	for _, d := range depths {
		s.Outbox = append(s.Outbox, metrics.OutboxDepth(d))
	}
	target := targetName(cfg)
	until, _, err := db.AdapterPause(ctx, target)
	if err != nil {
		return s, err
	}
	last, err := db.LastSync(ctx, target)
	if err != nil {
		return s, err
	}
	s.Adapters = []metrics.AdapterStatus{{Name: target, Paused: until.After(s.At), LastSync: last}}
	reports, err := db.Reports(ctx, "")
	if err != nil {
		return s, err
	}
	if n := len(reports); n > 0 {
		s.LastReport = reports[n-1].CreatedAt
	}
	return s, nil
}
