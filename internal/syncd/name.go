package syncd

import "strings"

// NameKey is a contact name as leads are found by it (Subject.Name):
// lower-cased, its words one space apart, without leading or trailing
// spaces, so that "  anna   JENSEN" finds "Anna Jensen". Callers give it
// names composed alike (Unicode NFC), as the senders' readers do.
func NameKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ")
}
