package main

import (
	"context"
	"time"
)

// recheckEvery is how often at most a failed account check runs again
// while CRM calls go through: an account that is not ready is an error
// line that often, not at every run.
const recheckEvery = 15 * time.Minute

// crmSeen is what the daemon's syncer tells of the CRM answering: since
// when every call has failed (the metric `syncd status` reads), and each
// call that went through. An account check that failed, which a CRM down
// when it ran (a reboot in the night) fails too, then runs again, at most
// every recheckEvery: its FAILING stayed in status, exit 5, for good.
// Both are called from the syncer's run only.
type crmSeen struct {
	d         *daemon
	rechecked time.Time
}

// failing records since when every CRM call has failed (zero: no longer).
func (c *crmSeen) failing(since time.Time) {
	c.d.metrics.CRMFailing(c.d.adapter.Name(), since)
}

// answered follows a call that went through.
func (c *crmSeen) answered(ctx context.Context) {
	if !c.d.checkFailed.Load() || time.Since(c.rechecked) < recheckEvery {
		return
	}
	c.rechecked = time.Now()
	_ = c.d.checkAccount(ctx) // it logs and records how it went
}
