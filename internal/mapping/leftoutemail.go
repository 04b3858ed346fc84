package mapping

import (
	"strconv"
	"strings"
)

// emailLeftOut starts the note a contact's lead gets when its email is no
// address the CRM takes and its phone identifies the contact instead:
// the address as given (%q), then why, as contactIdentity writes it.
const emailLeftOut = "contact's email "

// EmailLeftOut reads the note the mapper wrote in an event's reason (its
// map_error) when it left the contact's email out as no address the CRM
// takes and keyed the contact by its phone: the address as the sender's
// field gave it (lower case), and why it was refused ("not an address",
// ".example is no top-level domain"). ok is false when the reason holds
// no such note.
func EmailLeftOut(reason string) (given, why string, ok bool) {
	_, rest, found := strings.Cut(reason, emailLeftOut)
	if !found {
		return "", "", false
	}
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", false
	}
	rest, found = strings.CutPrefix(rest[len(q):], " left out, not an address")
	if !found {
		return "", "", false
	}
	if given, err = strconv.Unquote(q); err != nil {
		return "", "", false
	}
	why = "not an address"
	if r, ok := strings.CutPrefix(rest, " ("); ok {
		if w, _, ok := strings.Cut(r, "); the contact goes by its phone"); ok {
			why = w
		}
	}
	return given, why, true
}
