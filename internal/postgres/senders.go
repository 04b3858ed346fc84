package postgres

import (
	"fmt"

	"github.com/syncd-dev/syncd/internal/sender"
)

// senderTypes are the (kind, type) pairs that pick chooses from each
// sender's spec, as two arrays of the same length (kinds[i] goes with
// types[i]) for unnest. The senders are described in one place
// (internal/sender); the queries take them as parameters.
func senderTypes(pick func(sender.Spec) []string) (kinds, types []string) {
	for _, s := range sender.All() {
		for _, typ := range pick(s) {
			kinds, types = append(kinds, string(s.Kind)), append(types, typ)
		}
	}
	return kinds, types
}

// senderKinds are the kinds of the senders: the events that came from
// one, not syncd's own rows (an erasure's, a restore's).
func senderKinds() []string {
	var kinds []string
	for _, s := range sender.All() {
		kinds = append(kinds, string(s.Kind))
	}
	return kinds
}

// documentedType is e.type read as sender.DocumentedType reads it, for a
// comparison with documented types (lower-case ASCII): trimmed of
// TrimSpace's white space, and the characters EqualFold reads as ASCII
// letters made those (translate, whatever the database's collation).
var documentedType = func() string {
	from, to := sender.TypeFold()
	return "translate(btrim(e.type, '" + sender.TypeSpace() + "'), '" + from + "', '" + to + "')"
}()

// typeIn is an SQL condition on the events table aliased e: its (kind,
// type) is one of the pairs of the query's parameters $k and $t
// (senderTypes), its type as stored, else as sender.DocumentedType reads
// it (an older syncd stored "Email_Lead" as it came).
func typeIn(k, t int) string {
	pairs := fmt.Sprintf("(SELECT * FROM unnest($%d::text[], $%d::text[]))", k, t)
	return "((e.kind, e.type) IN " + pairs + " OR (e.kind, " + documentedType + ") IN " + pairs + ")"
}
