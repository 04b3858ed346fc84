package syncd

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// StoredProps returns op's properties as the outbox keeps them, and their
// hash, the outbox's rule of uniqueness:
//
//   - props is a JSON object of the properties, names sorted: byte for
//     byte what encoding/json writes for the map (an empty map, or nil,
//     is "{}");
//   - hash is the hex SHA-256 over kind, key, contact key and the sorted
//     names and values, each field written as "len:value;" so that no two
//     different operations share an input. The same record with the same
//     values is enqueued once while they stay its newest (again once other
//     values were enqueued for it since, under this hash and the event's
//     id), in either store, and a copied outbox keeps its uniqueness.
//
// The mapper calls it for every operation it writes, so it sorts the names
// once for both and uses no reflection.
func (op Op) StoredProps() (props, hash string) {
	names := SortedNames(op.Properties, make([]string, 0, len(op.Properties)))
	size := 2
	for _, n := range names {
		size += len(n) + len(op.Properties[n]) + 6
	}
	js := AppendJSONObject(make([]byte, 0, size+size/8), names, op.Properties)
	return string(js), op.hashOf(names)
}

// PropsHash is the hash StoredProps returns, alone.
func (op Op) PropsHash() string {
	return op.hashOf(SortedNames(op.Properties, make([]string, 0, len(op.Properties))))
}

// hashOf hashes op's fields with names as the properties' order.
func (op Op) hashOf(names []string) string {
	size := len(op.Kind) + len(op.Key) + len(op.ContactKey) + 24
	for _, n := range names {
		size += len(n) + len(op.Properties[n]) + 12
	}
	in := make([]byte, 0, size)
	field := func(s string) {
		in = append(strconv.AppendInt(in, int64(len(s)), 10), ':')
		in = append(append(in, s...), ';')
	}
	field(string(op.Kind))
	field(op.Key)
	field(op.ContactKey)
	for _, n := range names {
		field(n)
		field(op.Properties[n])
	}
	sum := sha256.Sum256(in)
	return hex.EncodeToString(sum[:])
}
