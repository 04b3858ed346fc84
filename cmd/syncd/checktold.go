package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
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
	// warned is the warnings last logged ("": none since the start or
	// reload).
	warned string
}

// newWarnings reports whether warnings, those of a check that ran to its
// end, are not the ones last logged: they are said once, not at each
// check.
func (c *checkTold) newWarnings(warnings string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	news := warnings != c.warned
	c.warned = warnings
	return news && warnings != ""
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
	c.said, c.warned = "", ""
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

// sayCheckFailed logs a check that did not pass: a failure already logged
// (news false) at debug level only; a check whose reads failed (unread)
// as that, with when it runs again; one that found the account wrong as
// the alarm.
func (d *daemon) sayCheckFailed(st checkState, unread, news bool, acct func(*zerolog.Event)) {
	switch {
	case !news:
		d.log.Debug().Str("crm", d.adapter.Name()).Str("problems_found", st.Summary).
			Msg("crm check failed as when last logged")
	case unread:
		d.log.Warn().Str("crm", d.adapter.Name()).Func(acct).Str("reads_failed", st.Summary).
			Msg("crm check could not read the account (the CRM did not answer, or answered with an error or a limit): " +
				"nothing is known wrong with it; the check runs again once a CRM call goes through, and syncd crm check runs it now")
	case st.ReadsFailed != "":
		d.log.Error().Str("crm", d.adapter.Name()).Func(acct).Int("problems", st.Problems).Str("problems_found", st.Summary).
			Str("reads_failed", st.ReadsFailed).
			Msg(checkFailedText + "; some of its reads failed, so there may be more: it runs again once a CRM call goes through")
	default:
		d.log.Error().Str("crm", d.adapter.Name()).Func(acct).Int("problems", st.Problems).Str("problems_found", st.Summary).
			Msg(checkFailedText)
	}
}

// sayCheckWarnings logs the warnings of a check, once until they change
// or a reload: before, only syncd crm check showed them (HubSpot not
// saying which scopes the token has, a deal amount without currency, a
// Pipedrive token whose user is no admin), and the daemon's log said "crm
// check passed". Those of a check whose reads failed (unread) are left
// for the check that reads the account whole.
func (d *daemon) sayCheckWarnings(fs []syncd.Finding, unread bool) {
	if unread {
		return
	}
	n := 0
	for _, f := range fs {
		if f.Severity == syncd.SevWarn {
			n++
		}
	}
	if w := summaryOf(fs, func(f syncd.Finding) bool { return f.Severity == syncd.SevWarn }); d.checked.newWarnings(w) {
		d.log.Warn().Str("crm", d.adapter.Name()).Int("warnings", n).Str("warnings_found", w).
			Msg("crm check warns: nothing is stopped for it; run syncd crm check for what each needs")
	}
}

// checkFailedText is the alarm of a check that found the account wrong.
const checkFailedText = "crm check failed: run syncd crm check; intake goes on, and leads still go out unless the CRM refuses them for it, " +
	"which pauses the adapter: then they wait in the outbox (syncd status says so)"

// checkOutcome is what a check's findings fs and error err come to: its
// state (problems -1: it could not run, or only reads failed), whether it
// runs again once a call goes through (again: some of its reads failed or
// it could not run), and whether only reads failed (unread: nothing is
// known wrong with the account).
func checkOutcome(fs []syncd.Finding, err error) (st checkState, again, unread bool) {
	if err != nil {
		return checkState{Problems: -1, Summary: err.Error()}, true, false
	}
	if !syncd.Failed(fs) {
		return st, false, false
	}
	for _, f := range fs {
		if f.Severity == syncd.SevError && !f.Unread {
			st.Problems++
		}
	}
	if st.Problems == 0 {
		st.Problems, st.Summary = -1, summary(fs)
		return st, true, true
	}
	// The problems apart from the reads that failed: before, a 503 read
	// stood among them as one more thing wrong with the account, and the
	// check run again once the read went through, finding the same
	// problems, logged the alarm a second time.
	st.Summary = summaryOf(fs, func(f syncd.Finding) bool { return f.Severity == syncd.SevError && !f.Unread })
	st.ReadsFailed = summaryOf(fs, func(f syncd.Finding) bool { return f.Severity == syncd.SevError && f.Unread })
	return st, syncd.ReadFailed(fs), false
}

// testAccountText says that acc is an account for tests (a sandbox), and
// what to do if leads should not go there: before, only its type in the
// check's first line told it, and the daemon said nothing of it.
func testAccountText(acc crm.Account) string {
	return fmt.Sprintf("%s %s is a %s account, made for tests: leads written there reach no one working the client's own account; "+
		"if this syncd serves the client, put a token of the production account and pin it", acc.IDName, acc.ID, acc.Type)
}
