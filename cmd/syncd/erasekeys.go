package main

import (
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// personKeys are the emails and phone numbers syncd knows as the person
// s's, from pd as read before the erase: those given (s), the keys of
// their contacts linked in a CRM, and the email and phone their contact
// operations sent (a phone syncd wrote for a person erased by -email).
// Contacts of s.Others (a colleague's lead naming the person) are not the
// person's. A CRM that keeps no trace of merges tells by them whether a
// record holding the person's email is theirs alone (PersonKeys).
func personKeys(s syncd.Subject, pd syncd.PersonData) syncd.PersonKeys {
	var emails, phones []string
	add := func(v string) {
		switch v = strings.TrimSpace(v); {
		case v == "":
		case strings.Contains(v, "@"):
			emails = append(emails, strings.ToLower(v))
		default:
			phones = append(phones, v)
		}
	}
	for _, k := range s.Keys {
		add(k)
	}
	for _, l := range pd.Links {
		if l.Kind == syncd.RecordContact && !slices.Contains(s.Others, l.Key) {
			add(l.Key)
		}
	}
	for _, op := range pd.Ops {
		if op.Kind == syncd.RecordContact && !slices.Contains(s.Others, op.Key) {
			add(op.Key)
			add(op.Properties["email"])
			add(op.Properties["phone"])
		}
	}
	digits := slices.Clone(s.Phones)
	for _, p := range phones {
		digits = append(digits, digitsOf(p)) // as written, when it reads as no number
	}
	digits = append(digits, phoneDigitForms(phones)...)
	return syncd.PersonKeys{Emails: sortedSet(emails), Phones: sortedSet(slices.DeleteFunc(digits, func(d string) bool { return d == "" }))}
}

// sortedSet is vs sorted, each once.
func sortedSet(vs []string) []string { return slices.Compact(slices.Sorted(slices.Values(vs))) }
