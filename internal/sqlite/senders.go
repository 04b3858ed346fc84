package sqlite

import (
	"strings"
	"unicode/utf8"

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
		in := "IN ('" + strings.Join(types, "', '") + "')"
		// The type as stored, else as DocumentedType reads it (an older
		// syncd stored "Email_Lead" as it came): evaluated only for the
		// events whose type is not one of these as it is.
		ors = append(ors, "(e.kind = '"+string(s.Kind)+"' AND (e.type "+in+" OR "+documentedType+" "+in+"))")
	}
	if len(ors) == 0 {
		return "0"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// documentedType is e.type read as sender.DocumentedType reads it, for a
// comparison with documented types (lower-case ASCII): trimmed of
// TrimSpace's white space, its ASCII letters in lower case (SQLite's
// lower() changes those alone) and the other characters EqualFold reads
// as ASCII letters made those.
var documentedType = func() string {
	expr := "lower(trim(e.type, '" + sender.TypeSpace() + "'))"
	from, to := sender.TypeFold()
	fr, tr := []rune(from), []rune(to)
	for i, r := range fr {
		if r >= utf8.RuneSelf {
			expr = "replace(" + expr + ", '" + string(r) + "', '" + string(tr[i]) + "')"
		}
	}
	return expr
}()

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
