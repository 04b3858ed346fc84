package main

import (
	"context"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// recheckEvery is how often at most a failed account check runs again
// while CRM calls go through, not at every run (checkTold says when it
// is logged).
const recheckEvery = 15 * time.Minute

// crmSeen is what the daemon's syncer tells of the CRM answering: since
// when every call has failed and until when none is tried (the metric
// `syncd status` reads, the systemd status line, and a state row, which
// status on every instance of a shared store and outbox list read), and
// each call that went through. An account check that failed, which a CRM
// down when it ran (a reboot in the night) fails too, then runs again, at
// most every recheckEvery: its FAILING stayed in status, exit 5, for good.
// Both are called from the syncer's run only.
type crmSeen struct {
	d         *daemon
	rechecked time.Time

	mu     sync.Mutex
	stored crmFailingRow // what was last stored
	// carried is since when every call had failed for the syncer before
	// this one (the daemon restarted, another instance led sync), stopped
	// in an outage within carryWithin: an outage this syncer finds goes
	// on from then, not from its own first call (each restart or failover
	// began the half hour before status and the alert call it anew).
	carried time.Time
}

// carryWithin is how recently the syncer before this one must have been
// due to call the CRM again for its outage to be carried on: the longest
// cool-down, and some.
const carryWithin = 15 * time.Minute

// crmFailingRow is the CRM failing every call as the store keeps it (on
// the database server's clock for a shared store, given on this host's):
// since when, until when no call is tried (the syncer's cool-down), and
// how the last call failed (syncer.Options Outage's why); zero times while
// it answers.
type crmFailingRow struct {
	Since time.Time
	Until time.Time
	Why   string
}

// failing records since when every CRM call has failed, until when none
// is tried and how the last one failed (zero: the CRM answers again).
func (c *crmSeen) failing(since, until time.Time, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case since.IsZero():
		c.carried = time.Time{}
	case !c.carried.IsZero() && c.carried.Before(since):
		since = c.carried
	}
	name := c.d.adapter.Name()
	c.d.metrics.CRMFailing(name, since)
	c.d.metrics.CRMRateLimited(name, !since.IsZero() && syncer.RateLimited(why))
	c.d.line.crmFailing(name, since, clockOf(c.d.cfg))
	row := crmFailingRow{Since: since.UTC(), Until: until.UTC(), Why: why}
	if row.Since.Equal(c.stored.Since) && row.Until.Equal(c.stored.Until) && row.Why == c.stored.Why {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.d.db.SetCRMFailing(ctx, name, row.Since, row.Until, row.Why); err != nil {
		c.d.log.Warn().Err(err).Msg("crm failing state not stored: status and outbox list elsewhere may not show it")
		return
	}
	c.stored = row
}

// starting clears what a previous syncer stored of a CRM failing, as one
// starts: at the daemon's start (SQLite) or as an instance starts leading
// sync (a shared store), and the status line that followed it (followSync)
// until then. This one tells it anew if the CRM fails for it too (a leader
// stopped in an outage left its row behind), since when the previous one
// found it failing if that one stopped in it lately.
func (c *crmSeen) starting(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.d.line.crmFailing(c.d.adapter.Name(), time.Time{}, clockOf(c.d.cfg))
	c.stuckStarting(ctx)
	c.carried = time.Time{}
	if row := crmFailingOf(ctx, c.d.db, c.d.adapter.Name()); !row.Since.IsZero() && time.Since(row.Until) < carryWithin {
		c.carried = row.Since
	}
	if err := c.d.db.SetCRMFailing(ctx, c.d.adapter.Name(), time.Time{}, time.Time{}, ""); err != nil {
		c.d.down.sayOr("sync", err, func(err error) { // an outage's lines say it
			c.d.log.Warn().Err(err).Msg("crm failing state of the previous syncer not cleared")
		})
		return
	}
	c.stored = crmFailingRow{}
}

// ledNoMore ends what this instance told of the CRM failing once it no
// longer leads sync (its lead lost: cut off from the database): its gauge
// and status line said so for good, the alert firing on it after the
// outage was over; and its last sync, whose age set off the alert on the
// sync's age while the new leader synced. The stored row is the new
// leader's to keep or clear.
func (c *crmSeen) ledNoMore() {
	name := c.d.adapter.Name()
	c.d.metrics.CRMFailing(name, time.Time{})
	c.d.metrics.CRMRateLimited(name, false)
	c.d.line.crmFailing(name, time.Time{}, clockOf(c.d.cfg))
	c.d.metrics.CRMStuck(name, 0)
	c.d.line.crmStuck(name, nil, "")
	c.d.metrics.SyncLedNoMore(name) // only the sync leader's counts: the alert on its age
}

// followed shows on the status line the pause and the CRM failing the
// sync leader stored, unless this instance leads sync now (its syncer
// tells the line): under c.mu, so that what starting cleared as this one
// became the leader is not shown again.
func (c *crmSeen) followed(p syncd.Pause, since time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.d.runsSync() {
		return
	}
	name := c.d.adapter.Name()
	c.d.line.paused(name, p, c.d.metrics.Now())
	c.d.line.crmFailing(name, since, clockOf(c.d.cfg))
}

// answered follows a call that went through. It ends an outage carried
// from the syncer before this one: the syncer tells no end of an outage it
// did not find itself, and the CRM's next failure, however much later, was
// told as failing since that outage's start.
func (c *crmSeen) answered(ctx context.Context) {
	c.mu.Lock()
	c.carried = time.Time{}
	c.mu.Unlock()
	if !c.d.checked.dueAfterCall(time.Now(), c.rechecked) {
		return
	}
	c.rechecked = time.Now()
	_ = c.d.checkAccount(ctx) // it logs and records how it went
}

// crmFailingOf reads the CRM failing every call for target as its syncer
// stored it; zero while it answers (or when it cannot be read).
func crmFailingOf(ctx context.Context, db failingReader, target string) crmFailingRow {
	since, until, why, err := db.CRMFailing(ctx, target)
	if err != nil {
		return crmFailingRow{}
	}
	return crmFailingRow{Since: since, Until: until, Why: why}
}

// failingReader reads the CRM failing every call (storeapi.Store).
type failingReader interface {
	CRMFailing(ctx context.Context, target string) (since, until time.Time, why string, err error)
}
