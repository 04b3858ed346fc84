package main

import (
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// personKeys are the emails and phone numbers syncd knows as the person
// s's, from pd as read before the erase: those given (s), the keys of
// their contacts linked in a CRM, and the email and phone their contact
// operations sent (a phone syncd wrote for a person erased by -email).
// Contacts of s.Others (a colleague's lead naming the person) are not the
// person's. A CRM that keeps no trace of merges tells by them whether a
// record holding the person's email is theirs alone (PersonKeys). Each
// value's kind is as recorded: s's keys' (Subject.KeysOf), an operation's
// KeyKind, the property it was sent as; a link, which records none, has
// that of an operation or a key of s alike (linkKind).
func personKeys(s syncd.Subject, pd syncd.PersonData) syncd.PersonKeys {
	var emails, phones []string
	add := func(kind syncd.KeyKind, v string) {
		switch v = strings.TrimSpace(v); {
		case v == "":
		case kind == syncd.KeyEmail:
			emails = append(emails, strings.ToLower(v))
		case kind == syncd.KeyPhone:
			phones = append(phones, v)
		}
	}
	for _, kind := range []syncd.KeyKind{syncd.KeyEmail, syncd.KeyPhone} {
		for _, k := range s.KeysOf(kind) {
			add(kind, k)
		}
	}
	for _, l := range pd.Links {
		if l.Kind == syncd.RecordContact && !slices.Contains(s.Others, l.Key) {
			add(linkKind(s, pd, l.Key), l.Key)
		}
	}
	for _, op := range pd.Ops {
		if op.Kind == syncd.RecordContact && !slices.Contains(s.Others, op.Key) {
			add(op.KeyKind, op.Key)
			add(syncd.KeyEmail, op.Properties["email"])
			add(syncd.KeyPhone, op.Properties["phone"])
		}
	}
	digits := slices.Clone(s.Phones)
	for _, p := range phones {
		digits = append(digits, digitsOf(p)) // as written, when it reads as no number
	}
	digits = append(digits, phoneDigitForms(phones)...)
	return syncd.PersonKeys{Emails: sortedSet(emails), Phones: sortedSet(slices.DeleteFunc(digits, func(d string) bool { return d == "" }))}
}

// linkKind is the kind of a contact's CRM link key: that of a key of s
// alike, or of a contact operation of pd keyed by it (its KeyKind). A link
// whose contact's operations the retention dropped before the deal's (the
// link found by that deal's contact key) has neither: a key that is its
// own E.164 form, as the mapper makes a phone key, is a phone's, any other
// an email's.
func linkKind(s syncd.Subject, pd syncd.PersonData, key string) syncd.KeyKind {
	for _, kind := range []syncd.KeyKind{syncd.KeyEmail, syncd.KeyPhone} {
		if slices.Contains(s.KeysOf(kind), key) {
			return kind
		}
	}
	for _, op := range pd.Ops {
		if op.Kind == syncd.RecordContact && op.Key == key && op.KeyKind != "" {
			return op.KeyKind
		}
	}
	if mapping.E164(key, "") == key {
		return syncd.KeyPhone
	}
	return syncd.KeyEmail
}

// sortedSet is vs sorted, each once.
func sortedSet(vs []string) []string { return slices.Compact(slices.Sorted(slices.Values(vs))) }
