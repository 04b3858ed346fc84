package syncd

import (
	"strconv"
	"strings"
	"unicode"
)

// ShownType is a sender's event type as syncd shows it on one line (the
// report's alarms and the mail's subject, the table of syncd events
// list): a plain name (letters, digits, _ - .) of at most 40 bytes as it
// is, any other quoted with its escapes shown and cut at 40 runes, so that
// neither a line break nor a megabyte of it reaches a mail or a table.
func ShownType(t string) string {
	const most = 40
	if len(t) <= most && strings.IndexFunc(t, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-.", r)
	}) < 0 && t != "" {
		return t
	}
	if r := []rune(t); len(r) > most {
		return strconv.Quote(string(r[:most])) + "…"
	}
	return strconv.Quote(t)
}
