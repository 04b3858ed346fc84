package main

import (
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// exportOthers is how much of an erasure of the person was other
// contacts' leads that named them (erase -others), as the erasure log
// records it: the audit keeps only totals, which the export listed as the
// person's own.
type exportOthers struct {
	Events      int `json:"events"`
	Quarantined int `json:"quarantined_bodies"`
	Ops         int `json:"crm_operations"`
	// Counted is false of an erasure that an older syncd logged: it was
	// given -others, but did not count what of it was other contacts'.
	Counted bool `json:"counted"`
}

// erasuresOfOthers sets, on each of ers that lg (the erasure log) records
// as made with -others, at its time, how much of it was other contacts'
// leads. An erasure the log does not hold (another host's on PostgreSQL,
// a log lost or unread) is left as it is: nothing is known of it.
func erasuresOfOthers(lg erasureLog, ers []exportErasure) {
	for i := range ers {
		for _, e := range lg.entries {
			if !e.Others || syncd.FormatTime(audited(e)) != syncd.FormatTime(ers[i].At) {
				continue
			}
			o := exportOthers{}
			if s := e.OthersErased; s != nil {
				o = exportOthers{Events: s.Events, Quarantined: s.Quarantined, Ops: s.Ops, Counted: true}
			}
			if !o.Counted || o.Events+o.Quarantined+o.Ops > 0 {
				ers[i].OfOthers = &o
			}
			break
		}
	}
}

// othersSaid is what export says on stderr of er's share of other
// contacts' leads; "" when it has none known.
func othersSaid(er exportErasure) string {
	o := er.OfOthers
	switch {
	case o == nil:
		return ""
	case !o.Counted:
		return "; erase was given -others: some of this may be other contacts' leads that named the person, which the syncd that ran it did not count"
	}
	return "; of this, other contacts' leads that named the person (not the person's own): " + strings.Join([]string{
		syncd.Counted(o.Events, "event", "events"), syncd.Counted(o.Quarantined, "quarantined body", "quarantined bodies"),
		syncd.Counted(o.Ops, "outbox operation", "outbox operations")}, ", ")
}

// othersForPerson is what the person's text says of er's share of other
// contacts' leads, under what it erased; "" when it has none known.
func othersForPerson(er exportErasure) string {
	o := er.OfOthers
	switch {
	case o == nil:
		return ""
	case !o.Counted:
		return "some of these may have been other people's enquiries that named you, erased with yours, and what was sent to the CRM for them: they were not counted apart"
	}
	var what []string
	for _, k := range []struct {
		n         int
		one, many string
	}{
		{o.Events, "enquiry", "enquiries"},
		{o.Quarantined, "enquiry syncd could not read", "enquiries syncd could not read"},
		{o.Ops, "record of what was sent, or was to be sent, to the CRM", "records of what was sent, or was to be sent, to the CRM"},
	} {
		if k.n > 0 {
			what = append(what, syncd.Counted(k.n, k.one, k.many))
		}
	}
	were := "were"
	if o.Events+o.Quarantined+o.Ops == 1 {
		were = "was"
	}
	return "of these, " + joinAnd(what) + " " + were + " other people's, not yours: their enquiries named you, so syncd erased them with yours"
}

// joinAnd is "a", "a and b", "a, b and c".
func joinAnd(what []string) string {
	if len(what) < 2 {
		return strings.Join(what, "")
	}
	return strings.Join(what[:len(what)-1], ", ") + " and " + what[len(what)-1]
}
