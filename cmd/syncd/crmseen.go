package main

import (
	"context"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// recheckEvery is how often at most a failed account check runs again
// while CRM calls go through: an account that is not ready is an error
// line that often, not at every run.
const recheckEvery = 15 * time.Minute

// crmSeen is what the daemon's syncer tells of the CRM answering: since
// when every call has failed (the metric `syncd status` reads, the systemd
// status line, and on a shared store a state row, which status on every
// instance reads), and each call that went through. An account check that
// failed, which a CRM down when it ran (a reboot in the night) fails too,
// then runs again, at most every recheckEvery: its FAILING stayed in
// status, exit 5, for good. Both are called from the syncer's run only.
type crmSeen struct {
	d         *daemon
	rechecked time.Time

	mu     sync.Mutex
	stored time.Time // the failing-since last stored in the shared store
}

// crmFailingState is the state row that holds since when every call to
// target has failed, on a shared store: the sync leader's, which the
// other instances' status reads ("" or no row: the CRM answers).
func crmFailingState(target string) string { return "crm_failing:" + target }

// failing records since when every CRM call has failed (zero: no longer).
func (c *crmSeen) failing(since time.Time) {
	name := c.d.adapter.Name()
	c.d.metrics.CRMFailing(name, since)
	c.d.line.crmFailing(name, since, clockOf(c.d.cfg))
	if c.d.db.cluster == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if since.Equal(c.stored) {
		return
	}
	v := ""
	if !since.IsZero() {
		v = syncd.FormatTime(since)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.d.db.SetStateValue(ctx, crmFailingState(name), v); err != nil {
		c.d.log.Warn().Err(err).Msg("crm failing state not stored: status on the other instances may not show it")
		return
	}
	c.stored = since
}

// leading clears what a previous sync leader stored of a CRM failing: the
// instance that starts leading sync tells it anew if it fails for it too
// (a leader stopped in an outage left its row behind).
func (c *crmSeen) leading(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.d.db.SetStateValue(ctx, crmFailingState(c.d.adapter.Name()), ""); err != nil {
		c.d.log.Warn().Err(err).Msg("crm failing state of the previous sync leader not cleared")
		return
	}
	c.stored = time.Time{}
}

// ledNoMore ends what this instance told of the CRM failing once it no
// longer leads sync (its lead lost: cut off from the database): its gauge
// and status line said so for good, the alert firing on it after the
// outage was over. The stored row is the new leader's to keep or clear.
func (c *crmSeen) ledNoMore() {
	name := c.d.adapter.Name()
	c.d.metrics.CRMFailing(name, time.Time{})
	c.d.line.crmFailing(name, time.Time{}, clockOf(c.d.cfg))
}

// answered follows a call that went through.
func (c *crmSeen) answered(ctx context.Context) {
	if !c.d.checkFailed.Load() || time.Since(c.rechecked) < recheckEvery {
		return
	}
	c.rechecked = time.Now()
	_ = c.d.checkAccount(ctx) // it logs and records how it went
}

// crmFailingSince reads since when every call to target has failed, as
// the sync leader of a shared store stored it; zero when it did not.
func crmFailingSince(ctx context.Context, db stateReader, target string) time.Time {
	v, ok, err := db.StateValue(ctx, crmFailingState(target))
	if err != nil || !ok || v == "" {
		return time.Time{}
	}
	t, err := syncd.ParseTime(v)
	if err != nil {
		return time.Time{}
	}
	return t
}
