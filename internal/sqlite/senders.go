package sqlite

import (
	"strings"

	"github.com/syncd-dev/syncd/internal/sender"
)

// typesCond is an SQL condition on the events table aliased e: the event's
// (kind, type) is one pick chooses from its sender's spec. The senders are
// described in one place (internal/sender); the queries follow them. The
// names are fixed identifiers from the specs, never input.
func typesCond(pick func(sender.Spec) []string) string {
	var ors []string
	for _, s := range sender.All() {
		types := pick(s)
		if len(types) == 0 {
			continue
		}
		ors = append(ors, "(e.kind = '"+string(s.Kind)+"' AND e.type IN ('"+strings.Join(types, "', '")+"'))")
	}
	if len(ors) == 0 {
		return "0"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// sendersCond is an SQL condition on the events table aliased e: the
// event came from a sender, not one of syncd's own rows (an erasure's, a
// restore's).
func sendersCond() string {
	var kinds []string
	for _, s := range sender.All() {
		kinds = append(kinds, string(s.Kind))
	}
	return "e.kind IN ('" + strings.Join(kinds, "', '") + "')"
}

// Conditions the report queries are built from.
var (
	leadsCond   = typesCond(func(s sender.Spec) []string { return s.Leads })
	knownCond   = typesCond(func(s sender.Spec) []string { return s.Types })
	fromSenders = sendersCond()
)
