package main

// Leads of other people that an erase or export finds with the person's: a
// phone number several contacts share (a firm's switchboard, left by each
// employee who enquires) does not name one person, and a colleague's lead
// that names the person in its message is still the colleague's contact in
// the CRM. Erase and export refuse rather than erase, or hand over, the
// others' leads, and erase -crm rather than erase the others in the CRM.

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// otherContacts returns an error naming the other contacts when pd, found
// for s (from -email email and -phone phone), holds leads that the mappings
// keyed to another email: with -phone, those that do not name -email (or,
// without -email, of two emails or more); with crm (erase -crm), any,
// -email given, since erasing them in the CRM would erase those contacts.
// Else it returns the leads of other contacts that name the person (email
// -> their events), which an erase erases whole: none without -email.
func otherContacts(cfg *config.Config, email, phone string, crm bool, s syncd.Subject, pd syncd.PersonData) (map[string][]int64, error) {
	email, phone = strings.TrimSpace(email), strings.TrimSpace(phone)
	others := map[string][]int64{} // email -> its events found
	for id, keys := range eventEmailContacts(pd) {
		for _, k := range keys {
			if !slices.Contains(s.Keys, k) {
				others[k] = append(others[k], id)
			}
		}
	}
	if len(others) == 0 || email == "" && len(others) < 2 {
		return nil, nil // by -phone alone, a single email is the person's
	}
	naming, err := eventsNaming(cfg, email, pd)
	if err != nil {
		return nil, err
	}
	unnamed := map[string][]int64{} // a lead naming the person is theirs, whoever's contact it made
	for k, ids := range others {
		if rest := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return naming[id] }); len(rest) > 0 {
			unnamed[k] = rest
		}
	}
	switch {
	case phone != "" && len(unnamed) > 0:
		whose := "other contacts' leads too"
		if email == "" {
			whose = "the leads of several contacts"
		}
		return nil, fmt.Errorf("-phone is in %s (%s): a number several people share, such as a firm's switchboard, "+
			"names none of them, so nothing was done; give -email alone (each person's own), "+
			"and -phone only with a number that is the person's own", whose, contactList(unnamed))
	case crm && email != "":
		return nil, fmt.Errorf("-crm would also erase in the CRM other contacts, whose leads were found for the person (%s), "+
			"and a GDPR delete cannot be undone, so nothing was done; if one is the person's own address, erase that first "+
			"(-email ADDR -crm); else erase without -crm, giving -others (syncd then erases the leads that name the person, "+
			"and keeps those contacts linked) and delete only the person's own records in the CRM by hand", contactList(others))
	case email == "":
		return nil, nil // -phone alone found one email, refused above for more
	}
	return others, nil
}

// othersRefused is erase's refusal of the leads of other contacts that
// name the person (others, from otherContacts) when not given -others.
func othersRefused(others map[string][]int64) error {
	return fmt.Errorf("other contacts' leads name the person in their message (%s): erasing the person would erase "+
		"those leads whole, so nothing was done; if one is the person's own address, erase it too (-email ADDR); "+
		"to erase those leads as well, give -others (their contacts stay linked and in the CRM, where "+
		"their deals may still name the person: edit those by hand)", contactList(others))
}

// eventsNaming returns the events of pd whose body names email (none for
// "").
func eventsNaming(cfg *config.Config, email string, pd syncd.PersonData) (map[int64]bool, error) {
	out := map[int64]bool{}
	if email == "" {
		return out, nil
	}
	es, err := newSubject(cfg, email, "")
	if err != nil {
		return nil, err
	}
	m := es.Matcher()
	for _, e := range pd.Events {
		out[e.ID] = m.Match(e.Body) || m.Match(e.Payload)
	}
	return out, nil
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
