package postgres

import "github.com/syncd-dev/syncd/internal/sender"

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
