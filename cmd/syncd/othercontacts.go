package main

// Leads of other people that an erase or export finds with the person's: a
// phone number several contacts share (a firm's switchboard, left by each
// employee who enquires) does not name one person, and a colleague's lead
// that names the person in its message is still the colleague's contact in
// the CRM. Erase and export refuse rather than erase, or hand over, the
// leads of a shared number; erase erases a colleague's lead naming the
// person only when given -others, keeping the colleague's CRM links (so
// erase -crm -others erases in the CRM the person's own records, not the
// colleague's), and export says whose those leads are.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// otherContacts returns an error naming the other contacts when pd, found
// for s (from -email email and -phone phone), holds leads that the mappings
// keyed to another email and that do not name -email, found by -phone (or,
// without -email, of two emails or more): a shared number. Else it returns
// the leads of other contacts that name the person (their email or phone
// -> their events), which an erase erases whole, keeping those contacts'
// CRM links: an erase -crm erases only the person's own records there.
func otherContacts(cfg *config.Config, email, phone string, s syncd.Subject, pd syncd.PersonData) (map[string][]int64, error) {
	email, phone = strings.TrimSpace(email), strings.TrimSpace(phone)
	others := notTheirs(s, eventContacts(pd, syncd.KeyEmail))
	if own := carrying(s, pd, others); email == "" && len(seenKeys(own)) < 2 {
		// By -phone alone, the one email whose contact carries the number
		// is the person's; one that only names it (in a message) is not.
		maps.DeleteFunc(others, func(k string, _ []int64) bool { return own[k] })
	} else if err := sharedPhone(cfg, email, phone, carried(others, own), pd); err != nil {
		// A lead whose contact was sent with another phone, naming the
		// number in its message only, is a colleague's naming the person
		// (below, as without -email), not a number shared.
		return nil, err
	}
	// A contact keyed by another phone (a lead without an email) is
	// another person's whose message names the person, but for the
	// person's own lead mapped once by its phone (its email left out by a
	// mapping mended since, and the lead replayed): its contact by email
	// is the person's. So is a lead whose email field gave the person's
	// address, which the mapping refused (an address at a .example
	// domain): its contact went by its phone.
	own := ownEvents(s, eventContacts(pd, syncd.KeyEmail))
	for id := range refusedEmail(s, pd) {
		own[id] = true
	}
	for k, ids := range notTheirs(s, eventContacts(pd, syncd.KeyPhone)) {
		if ids = slices.DeleteFunc(ids, func(id int64) bool { return own[id] }); len(ids) > 0 {
			others[k] = ids
		}
	}
	return others, nil
}

// refusedEmail returns the events of pd whose mapping refused the
// address their email field gave, as no address the CRM takes, and
// keyed their contact by its phone (mapping.EmailLeftOut), where that
// address is s's: the person's own leads, though no contact of theirs
// holds the address. Each event maps to why the address was refused.
func refusedEmail(s syncd.Subject, pd syncd.PersonData) map[int64]string {
	out := map[int64]string{}
	for _, e := range pd.Events {
		given, why, ok := mapping.EmailLeftOut(e.MapError)
		if ok && s.HasKey(mapping.EmailKey(given, "")) {
			out[e.ID] = why
		}
	}
	return out
}

// refusedEmailSaid tells the operator (on w, each line starting with
// prefix) which of the person's own leads (refused, from refusedEmail)
// have no contact by their address, and why: the mapping refused it, so
// their contacts went by their phone. Nothing when there are none.
func refusedEmailSaid(w io.Writer, prefix string, refused map[int64]string) {
	if len(refused) == 0 {
		return
	}
	ids := slices.Sorted(maps.Keys(refused))
	whys := slices.Sorted(maps.Values(refused))
	fmt.Fprintf(w, "%sthe person's own leads (%s) gave the address in their email field, which the mapping refused (%s): "+
		"their contacts went by their phone, without the address, in syncd and in the CRM\n",
		prefix, shortEventList(ids), strings.Join(slices.Compact(whys), "; "))
}

// shortEventList is eventList of ids, the first 20 of them and how many
// more: a broker's hundreds of leads would fill the terminal.
func shortEventList(ids []int64) string {
	const most = 20
	if len(ids) <= most {
		return eventList(ids)
	}
	return fmt.Sprintf("%s and %d more", eventList(ids[:most]), len(ids)-most)
}

// ownEvents are the events of contacts (event -> its contact keys) one
// of whose contacts is s's.
func ownEvents(s syncd.Subject, contacts map[int64][]string) map[int64]bool {
	out := map[int64]bool{}
	for id, keys := range contacts {
		out[id] = slices.ContainsFunc(keys, func(k string) bool { return s.HasKey(syncd.WithoutUnseen(k)) })
	}
	return out
}

// carrying returns the contacts of others whose contact operations carry
// s's phone in their properties (the lead's own phone), rather than the
// lead naming it only in its message.
func carrying(s syncd.Subject, pd syncd.PersonData, others map[string][]int64) map[string]bool {
	m := s.Matcher()
	out := map[string]bool{}
	for _, op := range pd.Ops {
		if op.Kind != syncd.RecordContact || others[op.Key] == nil {
			continue
		}
		if b, err := json.Marshal(op.Properties); err == nil && m.Match(b) {
			out[op.Key] = true
		}
	}
	return out
}

// carried are the contacts of others (key -> events) in own: those whose
// contact operations carry the person's phone.
func carried(others map[string][]int64, own map[string]bool) map[string][]int64 {
	out := map[string][]int64{}
	for k, ids := range others {
		if own[k] {
			out[k] = ids
		}
	}
	return out
}

// seenKeys are the contact keys of keys as they show: without the
// characters no one sees (syncd.Unseen), so that "jane@x.dk" and the
// "jane\u00ad@x.dk" a sender pasted are one address, not two contacts.
func seenKeys(keys map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range keys {
		out[syncd.WithoutUnseen(k)] = true
	}
	return out
}

// notTheirs returns the contacts of contacts (key -> events) that are not
// among s's keys. A key with a character no one sees in it (a soft hyphen
// pasted with the address: the CRM refused the contact) is the person's
// when it is one of s's keys without it.
func notTheirs(s syncd.Subject, contacts map[int64][]string) map[string][]int64 {
	others := map[string][]int64{}
	for id, keys := range contacts {
		for _, k := range keys {
			if !s.HasKey(syncd.WithoutUnseen(k)) {
				others[k] = append(others[k], id)
			}
		}
	}
	return others
}

// sharedPhone is otherContacts' refusal for others, the email-keyed
// contacts found that are not the person's, when -phone found leads of
// theirs that do not name the person.
func sharedPhone(cfg *config.Config, email, phone string, others map[string][]int64, pd syncd.PersonData) error {
	if phone == "" || len(others) == 0 {
		return nil
	}
	naming, err := eventsNaming(cfg, email, pd)
	if err != nil {
		return err
	}
	unnamed := map[string][]int64{} // a lead naming the person is theirs, whoever's contact it made
	for k, ids := range others {
		if rest := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return naming[id] }); len(rest) > 0 {
			unnamed[k] = rest
		}
	}
	if len(unnamed) == 0 {
		return nil
	}
	whose := "other contacts' leads too"
	if email == "" {
		whose = "the leads of several contacts"
	}
	return &othersError{format: "-phone is in " + whose + " (%s): a number several people share, such as a firm's switchboard, " +
		"names none of them, so nothing was done; give -email alone (each person's own), " +
		"and -phone only with a number that is the person's own; a person who wrote from two addresses (one of those) " +
		"is one run with -email alone for each address", others: unnamed}
}

// othersRefused is erase's refusal of the leads of other contacts that
// name the person (others, from otherContacts) when not given -others.
func othersRefused(others map[string][]int64) error {
	return &othersError{format: "other contacts' leads name the person in their message (%s): erasing the person would erase " +
		"those leads whole, so nothing was done; if one is the person's own address or number, erase it too (-email ADDR, -phone NUMBER); " +
		"to erase those leads as well, give -others (their contacts stay linked and in the CRM, where " +
		"their deals may still name the person: edit those by hand)", others: others}
}

// othersError is a refusal on account of other people's leads: its Error
// names their contacts (emails, phones) with their events, for the
// operator at the terminal; unnamed gives the events alone, for a log.
type othersError struct {
	format string // one %s: the contacts and their events
	others map[string][]int64
}

func (e *othersError) Error() string { return fmt.Sprintf(e.format, contactList(e.others)) }

// unnamed is the refusal naming the events only: the contacts are other
// people's personal data, which no log line above debug holds.
func (e *othersError) unnamed() error {
	var ids []int64
	for _, evs := range e.others {
		ids = append(ids, evs...)
	}
	slices.Sort(ids)
	return fmt.Errorf(e.format, eventList(slices.Compact(ids)))
}

// withoutContacts is err, or when it names other people's contacts (an
// othersError) the same refusal naming their events alone: for a log.
func withoutContacts(err error) error {
	var oe *othersError
	if errors.As(err, &oe) {
		return oe.unnamed()
	}
	return err
}

// othersDropped returns pd without the CRM links and create intents of the
// contacts others and of their deals: what PersonData finds for a Subject
// whose Others they are (the contact keys of pd's operations and its
// deals' contacts but others, the deals of the others' contacts left
// out), without reading the person again.
func othersDropped(pd syncd.PersonData, others []string) syncd.PersonData {
	deals := map[string]bool{}
	for _, op := range pd.Ops {
		if op.Kind == syncd.RecordDeal && !slices.Contains(others, op.ContactKey) {
			deals[op.Key] = true
		}
	}
	keep := func(kind syncd.RecordKind, key string) bool {
		if kind == syncd.RecordDeal {
			return deals[key]
		}
		return !slices.Contains(others, key)
	}
	pd.Links = slices.DeleteFunc(slices.Clone(pd.Links), func(l syncd.Link) bool { return !keep(l.Kind, l.Key) })
	pd.Intents = slices.DeleteFunc(slices.Clone(pd.Intents), func(in syncd.Intent) bool { return !keep(in.Kind, in.Key) })
	return pd
}

// linkedContacts are the contact keys of pd's links, each with the CRM
// records ("hubspot deal 1007") of the deals pd's operations made for
// that contact: for another contact's leads naming the person, the deals
// that may still name them in the CRM once the leads, and with them
// syncd's operations saying which deals those were, are erased.
func linkedContacts(pd syncd.PersonData) map[string][]string {
	out := map[string][]string{}
	deals := map[string]syncd.Link{}
	for _, l := range pd.Links {
		switch l.Kind {
		case syncd.RecordContact:
			out[l.Key] = nil
		case syncd.RecordDeal:
			deals[l.Key] = l
		}
	}
	for _, op := range pd.Ops {
		ids, ok := out[op.ContactKey]
		if op.Kind != syncd.RecordDeal || !ok {
			continue
		}
		target, id := op.Target, op.CRMID
		if l, ok := deals[op.Key]; ok && l.CRMID != "" {
			target, id = l.Target, l.CRMID
		}
		if d := target + " deal " + id; id != "" && !slices.Contains(ids, d) {
			out[op.ContactKey] = append(ids, d)
		}
	}
	return out
}

// othersKept says what became of the contacts others whose leads naming the
// person erase -others erased: those a CRM has (linked, with the deals of
// those leads) stay linked, and in the CRM, where those deals may name the
// person: each is named, as syncd no longer knows which they were; the
// others' leads went before they were sent, with their CRM operations, so
// they never reach the CRM.
func othersKept(w io.Writer, others []string, linked map[string][]string) {
	var in, unsent []string
	for _, k := range others {
		deals, ok := linked[k]
		switch {
		case !ok:
			unsent = append(unsent, k)
		case len(deals) > 0:
			slices.Sort(deals)
			in = append(in, k+" ("+strings.Join(deals, ", ")+")")
		default:
			in = append(in, k)
		}
	}
	if len(in) > 0 {
		fmt.Fprintf(w, "kept linked: %s (their leads that name the person are erased; their contacts and deals are theirs, "+
			"and stay in the CRM, where the deals named may still name the person: edit those by hand)\n", strings.Join(in, ", "))
	}
	if len(unsent) > 0 {
		fmt.Fprintf(w, "not sent: %s (their leads that name the person were erased before they reached the CRM, "+
			"with their CRM operations, so they never will: enter them in the CRM by hand if they are needed)\n", strings.Join(unsent, ", "))
	}
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

// eventContacts returns, for each event of pd with operations, the
// contacts keyed by kind (email, phone) they name: a contact's key, a
// deal's contact.
func eventContacts(pd syncd.PersonData, kind syncd.KeyKind) map[int64][]string {
	keyed := map[string]bool{}
	for _, op := range pd.Ops {
		if op.Kind == syncd.RecordContact && op.KeyKind == kind {
			keyed[op.Key] = true
		}
	}
	out := map[int64][]string{}
	for _, op := range pd.Ops {
		k := op.ContactKey
		if op.Kind == syncd.RecordContact {
			k = op.Key
		}
		if keyed[k] && !slices.Contains(out[op.EventID], k) {
			out[op.EventID] = append(out[op.EventID], k)
		}
	}
	return out
}

// eventList is "event 11" or "events 10 12".
func eventList(ids []int64) string {
	word := "event"
	if len(ids) > 1 {
		word = "events"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return word + " " + strings.Join(s, " ")
}

// contactList is "bob@x.dk: events 10 12, eve@x.dk: event 11".
func contactList(others map[string][]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(others)) {
		ids := others[k]
		slices.Sort(ids)
		parts = append(parts, k+": "+eventList(ids))
	}
	return strings.Join(parts, ", ")
}
