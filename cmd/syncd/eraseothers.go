package main

// An erase given -others erases whole the leads of other contacts whose
// message names the person (a colleague's "min kollega jane@x.dk kommer
// med"), and the audit counts them with the person's own: the person's
// export then said "syncd erased 2 enquiries" of one of theirs and one of
// the colleague's. The erasure log records how much of an erasure was
// other contacts' leads, and export says it.

import "github.com/syncd-dev/syncd/internal/syncd"

// othersShare is how much of an erasure was other contacts' leads naming
// the person: their events, the quarantined bodies repaired into them, and
// the outbox operations made of them.
type othersShare struct {
	Events      int `json:"events"`
	Quarantined int `json:"quarantined"`
	Ops         int `json:"ops"`
}

// othersShareOf is the share of pd, as read for an erase, that is the
// leads of others (otherContacts: their contact key -> their events).
func othersShareOf(pd syncd.PersonData, others map[string][]int64) othersShare {
	theirs := map[int64]bool{}
	for _, ids := range others {
		for _, id := range ids {
			theirs[id] = true
		}
	}
	var share othersShare
	for _, e := range pd.Events {
		if theirs[e.ID] {
			share.Events++
		}
	}
	for _, q := range pd.Quarantined {
		if theirs[q.ResolvedEvent] {
			share.Quarantined++
		}
	}
	for _, op := range pd.Ops {
		if theirs[op.EventID] {
			share.Ops++
		}
	}
	return share
}
