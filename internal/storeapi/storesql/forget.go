package storesql

import "github.com/syncd-dev/syncd/internal/syncd"

// forgetReason is the last error of an operation made pending again
// because the CRM ids syncd held were forgotten.
const forgetReason = "the CRM ids syncd held were forgotten (syncd crm forget-links): written again"

// forgetEraseReason is the last error of a CRM erasure made dead because
// the CRM ids syncd held were forgotten: they are the earlier account's.
const forgetEraseReason = "not sent: the CRM ids it erases are those of the account syncd wrote to before syncd crm " +
	"forget-links, and name other records, or none, in the one the token belongs to now; erase the person in " +
	"the earlier account by hand (these ids), and in this one if the person is there, then syncd outbox give-up this " +
	"operation's id: no retry sends it"

// ForgetLinks returns the statements of a store's ForgetLinks, to run in
// one transaction, counting into f: they forget every CRM id and create
// intent recorded for target, and make pending again, due now (the
// store's now: its next attempts and update times), every delivered
// operation of each contact of target and the newest delivered one of
// each deal. A contact's operations are its leads', each writing what its
// own lead holds (a Lokalebasen lead the company, the first lead the name
// written on create only): only the newest was made pending, and the
// contact made in the new account lacked what the earlier leads had
// written; sent again in order, as the first time, they make it as it was.
// A deal's operations are one lead's, the newest its mapping now. A deal
// whose newest operation is pending or dead is left as it is. The CRM
// erasures of target pending or dead are made dead, of cause
// syncd.DeadOtherAccount (syncd.DeadOtherAccountGivenUp when given up by
// hand already), which no retry sends.
func ForgetLinks(d Dialect, f *syncd.ForgottenLinks, target string, now any) []Step {
	return []Step{
		{&f.Requeued, d(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1,
			lease_until = NULL, last_error = ?3, crm_id = '', updated_at = ?1
			WHERE state = 'done' AND target = ?2 AND kind = 'contact'`), []any{now, target, forgetReason}},
		{&f.RequeuedDeals, d(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1,
			lease_until = NULL, last_error = ?3, crm_id = '', updated_at = ?1
			WHERE state = 'done' AND id IN (SELECT max(id) FROM outbox
			  WHERE target = ?2 AND kind = 'deal' GROUP BY key)`), []any{now, target, forgetReason}},
		{&f.Erasures, d(`UPDATE outbox SET state = 'dead', lease_until = NULL, updated_at = ?1, dead_cause = ?4,
			  last_error = ?3 || CASE WHEN state = 'dead' AND last_error <> '' THEN '; last error: ' || last_error ELSE '' END
			WHERE state IN ('pending', 'dead') AND target = ?2 AND kind = 'erase' AND dead_cause NOT IN (?4, ?5, ?6)`),
			[]any{now, target, forgetEraseReason, string(syncd.DeadOtherAccount), string(syncd.DeadGivenUp),
				string(syncd.DeadOtherAccountGivenUp)}},
		// given up by hand already: still given up, and never sent
		{nil, d(`UPDATE outbox SET dead_cause = ?3, updated_at = ?1
			WHERE state = 'dead' AND target = ?2 AND kind = 'erase' AND dead_cause = ?4`),
			[]any{now, target, string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadGivenUp)}},
		{&f.Links, d(`DELETE FROM crm_links WHERE target = ?1`), []any{target}},
		{&f.Intents, d(`DELETE FROM crm_intents WHERE target = ?1`), []any{target}},
	}
}
