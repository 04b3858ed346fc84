package main

import (
	"cmp"
	"context"
	"sync"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/rs/zerolog"
)

// A mapping file that did not load stopped serve at its start (exit 1): a
// mistake saved in a mapping and never reloaded, then a reboot, or systemd
// restarting the daemon after a failure, and no delivery was taken until
// someone fixed the file. Estate Agent Feeds retries a delivery twice, 30
// minutes apart: its leads of that hour and more were lost. The daemon now
// starts all the same and holds its mapping: it stores and answers every
// delivery, maps none and syncs nothing (the CRM adapter knows no write
// modes without the mappings), and says so in the log, syncd status,
// /metrics and the systemd status line, until a reload loads the files and
// maps what waited. A configuration file that does not load still stops
// serve: without it there are no sources, tokens or database to serve.

// heldWords is what the daemon does while it holds its mapping.
const heldWords = "the mapping files do not load: deliveries are stored and answered, none is mapped or sent to the CRM until they load"

// mappingHold is whether the daemon holds its mapping and since when.
// since and released are set as the daemon is built, before any of its
// goroutines runs, and not changed after.
type mappingHold struct {
	since    time.Time     // when the daemon began to hold it; zero: never held
	released chan struct{} // closed once the mappings load; nil: never held
	once     sync.Once
}

// on reports whether the mapping is held now.
func (h *mappingHold) on() bool {
	if h.released == nil {
		return false
	}
	select {
	case <-h.released:
		return false
	default:
		return true
	}
}

// wait returns true once the mapping is not held, false if ctx ends first.
func (h *mappingHold) wait(ctx context.Context) bool {
	if h.released == nil {
		return true
	}
	select {
	case <-h.released:
		return true
	case <-ctx.Done():
		return false
	}
}

// after is run once the mapping is not held: a part that must not run
// without the mappings (the syncer), waiting until then; nil if ctx ends
// first, as a part that returns when ctx ends.
func (h *mappingHold) after(run func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		if !h.wait(ctx) {
			return nil
		}
		return run(ctx)
	}
}

// holdMapping starts the daemon holding its mapping, the mapping files
// having failed to load (err).
func (d *daemon) holdMapping(err error) {
	d.held.since, d.held.released = time.Now(), make(chan struct{})
	d.log.Error().Err(err).Str("fix", "syncd validate -config "+shellescape.Quote(d.file)+" lists every problem; fix them, then "+
		"systemctl reload "+cmp.Or(instanceUnit(d.file), "syncd")+": the deliveries stored meanwhile are mapped then").Msg("start: " + heldWords)
	d.metrics.MappingHeld(d.held.since)
	d.line.set(attnHeld, "mappings DO NOT LOAD: deliveries stored, none mapped: syncd status")
}

// releaseMapping ends the hold, if any, once a reload has loaded the
// mappings and given them to the worker and the adapter: the worker maps
// the deliveries that waited and the syncer starts.
func (d *daemon) releaseMapping(log zerolog.Logger) {
	if !d.held.on() {
		return
	}
	d.held.once.Do(func() { close(d.held.released) })
	d.metrics.MappingHeld(time.Time{})
	d.line.set(attnHeld, "")
	log.Info().Time("held_since", d.held.since).Msg("the mapping files load: mapping the deliveries stored while they did not, and syncing")
	d.worker.Nudge()
}
