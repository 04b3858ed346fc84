package main

import (
	"context"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// quarantineCheck is how often the daemon counts the quarantined bodies
// waiting for a person: dismissed or repaired by a command (another
// process), one waits no more.
const quarantineCheck = 15 * time.Second

// watchQuarantine counts the quarantined bodies and the unmappable leads
// that wait for a person, as syncd status finds them, for the gauges
// syncd_quarantine_waiting_bodies and syncd_unmappable_waiting_leads and
// the systemd status line: every quarantineCheck, and at once when a
// body is quarantined or a lead found unmappable (d.quarantined), until ctx ends. Before, only status
// said they wait, and an operator watching Prometheus or systemctl status
// never learnt that a lead sat in the quarantine. The count is read from
// the database here, not at each scrape: the quarantine keeps its rows
// (and held bodies) for the retention, read whole by the count.
func (d *daemon) watchQuarantine(ctx context.Context) error {
	t := time.NewTimer(quarantineCheck) // startQuarantine counted them first
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-d.quarantined:
		}
		if err := d.countQuarantine(ctx); err != nil && ctx.Err() == nil {
			d.log.Debug().Err(err).Msg("quarantined bodies waiting not counted: the gauge stays as it was")
		}
		t.Reset(quarantineCheck)
	}
}

// startQuarantine counts the bodies waiting before the daemon serves, so
// that its first scrape has the gauge (it had no series until the watcher
// first ran) and its status line says them from the start.
func (d *daemon) startQuarantine(ctx context.Context) {
	if err := d.countQuarantine(ctx); err != nil {
		d.log.Debug().Err(err).Msg("quarantined bodies waiting not counted at start: counted again in 15 s")
	}
}

// countQuarantine reads the bodies waiting by source into the gauge (every
// configured source, 0 when none waits) and the status line.
func (d *daemon) countQuarantine(ctx context.Context) error {
	by, err := d.db.QuarantineWaiting(ctx)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range by {
		total += n
	}
	for _, s := range d.cfg.SourceNames() { // every configured source has its series
		if _, ok := by[s]; !ok {
			by[s] = 0
		}
	}
	d.metrics.QuarantineWaiting(by)
	d.line.quarantineWaiting(total)
	// The unmappable leads that wait, alike: a seek in their partial
	// index (migration 0011), not a read of every event.
	n, err := d.db.CountEvents(ctx, syncd.EventFilter{Unattended: true})
	if err != nil {
		return err
	}
	d.metrics.UnmappableWaiting(n)
	d.line.unmappableWaiting(n)
	return nil
}

// quarantineNudge asks watchQuarantine to count again now: a body was
// quarantined, or a lead found unmappable. It never blocks.
func (d *daemon) quarantineNudge() {
	select {
	case d.quarantined <- struct{}{}:
	default:
	}
}

// quarantineWaiting shows (or, at 0, clears) the quarantined bodies that
// wait for a person on the status line, as syncd status says them.
func (l *statusLine) quarantineWaiting(n int) {
	what := ""
	switch {
	case n == 1:
		what = "1 quarantined body WAITS for a person: syncd status"
	case n > 1:
		what = fmt.Sprintf("%d quarantined bodies WAIT for a person: syncd status", n)
	}
	l.set(attnQuarantine, what)
}

// unmappableWaiting shows (or, at 0, clears) the unmappable leads that
// wait for a person on the status line, as syncd status says them.
func (l *statusLine) unmappableWaiting(n int) {
	what := ""
	switch {
	case n == 1:
		what = "1 unmappable lead WAITS for a person: syncd status"
	case n > 1:
		what = fmt.Sprintf("%d unmappable leads WAIT for a person: syncd status", n)
	}
	l.set(attnUnmappable, what)
}
