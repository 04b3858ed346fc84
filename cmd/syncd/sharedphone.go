package main

// A phone number several contacts share (a firm's switchboard, left by
// each employee who enquires) does not name one person: erase and export
// refuse it rather than erase, or hand over, the others' leads.

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// sharedPhone returns an error naming the other contacts when -phone found
// leads that the mappings keyed to another person's email: with -email
// (email not ""), those of the leads found that do not name that email;
// without it, those of two emails or more. Nil when phone is "" (not given).
func sharedPhone(cfg *config.Config, email, phone string, s syncd.Subject, pd syncd.PersonData) error {
	if strings.TrimSpace(phone) == "" {
		return nil
	}
	var byEmail *syncd.Matcher
	if strings.TrimSpace(email) != "" {
		es, err := newSubject(cfg, email, "")
		if err != nil {
			return err
		}
		byEmail = es.Matcher()
	}
	others := map[string][]int64{} // email -> its events found
	for id, keys := range eventEmailContacts(pd) {
		for _, k := range keys {
			if !slices.Contains(s.Keys, k) {
				others[k] = append(others[k], id)
			}
		}
	}
	for _, e := range pd.Events {
		if byEmail != nil && (byEmail.Match(e.Body) || byEmail.Match(e.Payload)) {
			for k, ids := range others { // a lead naming the person is theirs, whoever's contact it made
				others[k] = slices.DeleteFunc(ids, func(id int64) bool { return id == e.ID })
			}
		}
	}
	maps.DeleteFunc(others, func(_ string, ids []int64) bool { return len(ids) == 0 })
	if len(others) == 0 || byEmail == nil && len(others) < 2 {
		return nil
	}
	whose := "other contacts' leads too"
	if byEmail == nil {
		whose = "the leads of several contacts"
	}
	return fmt.Errorf("-phone is in %s (%s): a number several people share, such as a firm's switchboard, "+
		"names none of them, so nothing was done; give -email alone (each person's own), "+
		"and -phone only with a number that is the person's own", whose, contactList(others))
}

// eventEmailContacts returns, for each event of pd with operations, the
// email-keyed contacts they name: a contact's key, a deal's contact.
func eventEmailContacts(pd syncd.PersonData) map[int64][]string {
	emails := map[string]bool{}
	for _, op := range pd.Ops {
		if op.Kind == syncd.RecordContact && op.KeyKind == syncd.KeyEmail {
			emails[op.Key] = true
		}
	}
	out := map[int64][]string{}
	for _, op := range pd.Ops {
		k := op.ContactKey
		if op.Kind == syncd.RecordContact {
			k = op.Key
		}
		if emails[k] && !slices.Contains(out[op.EventID], k) {
			out[op.EventID] = append(out[op.EventID], k)
		}
	}
	return out
}

// contactList is "bob@x.dk: events 10 12, eve@x.dk: event 11".
func contactList(others map[string][]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(others)) {
		ids := others[k]
		slices.Sort(ids)
		word := "event"
		if len(ids) > 1 {
			word = "events"
		}
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = fmt.Sprint(id)
		}
		parts = append(parts, fmt.Sprintf("%s: %s %s", k, word, strings.Join(s, " ")))
	}
	return strings.Join(parts, ", ")
}
