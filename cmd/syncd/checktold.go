package main

import (
	"sync"
	"time"
)

// checkTold is how the daemon's last CRM account check went, and what of
// it the log was told. A check that found the account set up wrong (a
// scope missing, a property of another type) is logged once until what it
// finds changes: before, the first call that went through ran it again at
// once, as after a check the CRM was down for, and "crm check failed" came
// twice in the same minute with the same findings, then every 15 minutes
// while leads flowed. A check that could not read the account (no answer,
// a 5xx, a limit) is said as such, and runs again as soon as a call goes
// through (crmSeen.answered).
type checkTold struct {
	mu     sync.Mutex
	failed bool      // the last check did not pass
	unread bool      // ... and some of its reads failed (or it could not run): it runs again once a call goes through
	at     time.Time // when the last check ran
	said   string    // the failure last logged ("": none since the last pass or reload)
	// testSaid is the account for tests (a sandbox) last said to be one.
	testSaid string
}

// newTestAccount reports whether id, an account for tests, was not the
// last one said to be: it is said once, not at each check.
func (c *checkTold) newTestAccount(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	news := id != c.testSaid
	c.testSaid = id
	return news
}

// record keeps how a check ended at now, and reports whether it is news
// for the log: a pass, or a failure other than the one last logged;
// unread says some of its reads failed.
func (c *checkTold) record(now time.Time, failed, unread bool, said string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed, c.unread, c.at = failed, unread, now
	if !failed {
		c.said = ""
		return true
	}
	news := said != c.said
	c.said = said
	return news
}

// forget makes the next check's outcome news, whatever it is: the
// operator reloaded the daemon and looks for its answer.
func (c *checkTold) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.said = ""
}

// dueAfterCall reports whether a CRM call that went through at now should
// run the check again, rechecked being when a call last did so: after a
// failed read at once (at most every recheckEvery), after findings about
// the account once recheckEvery has passed since that check, quietly
// unless they changed (so status clears once the account is fixed).
func (c *checkTold) dueAfterCall(now, rechecked time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !c.failed:
		return false
	case c.unread:
		return now.Sub(rechecked) >= recheckEvery
	}
	return now.Sub(c.at) >= recheckEvery
}
