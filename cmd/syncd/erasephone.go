package main

// A person who enquired from two addresses is two contacts, and an erase
// or export by -email finds the leads of the one address given. Their
// phone, sent with their contact, is on the other address's leads too:
// erase and export say so, naming those contacts, rather than leave the
// officer believing the person is erased, or exported, whole.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// phoneShared is a phone of the person's own contacts and the other
// contacts (key -> events) whose leads carry it as their own phone.
type phoneShared struct {
	phone  string
	others map[string][]int64
	// byPhone are those of others keyed by their phone (leads without an
	// email), as their operations record it; nil when none is.
	byPhone map[string]bool
}

// ownPhones are the phones the person's own contact operations of pd (keyed
// by one of s's keys, or by its phone on a lead of the person's whose
// address the mapping refused: refusedEmail; not one of s.Others) were
// sent with, each once.
func ownPhones(s syncd.Subject, pd syncd.PersonData) []string {
	var phones []string
	refused := refusedEmail(s, pd) // the person's own leads keyed by their phone
	for _, op := range pd.Ops {
		own := s.HasKey(syncd.WithoutUnseen(op.Key)) || refused[op.EventID] != "" && op.KeyKind == syncd.KeyPhone
		if op.Kind != syncd.RecordContact || slices.Contains(s.Others, op.Key) || !own {
			continue
		}
		if p := strings.TrimSpace(op.Properties["phone"]); p != "" && !slices.Contains(phones, p) {
			phones = append(phones, p)
		}
	}
	slices.Sort(phones)
	return phones
}

// phonesElsewhere searches db by each of phones (ownPhones of s) and
// returns those that leads of other contacts than s's carry as their own
// phone (their contact sent with it, not a message naming it), leaving
// out the events of skip (what was found of s). Each search reads every
// event and operation: several phones (a broker who enquired for each of
// his clients, with their phones) are first looked for together, and only
// one that another contact was sent with is searched on its own.
func phonesElsewhere(ctx context.Context, cfg *config.Config, db store, s syncd.Subject, phones []string,
	skip map[int64]bool) ([]phoneShared, error) {
	var out []phoneShared
	subjects := map[string]syncd.Subject{}
	for _, phone := range phones {
		if ps, err := newSubject(cfg, "", phone); err == nil { // else no number in any configured country: nothing to search by
			subjects[phone] = ps
		}
	}
	if len(subjects) > 1 {
		var err error
		if subjects, err = carriedElsewhere(ctx, db, s, subjects); err != nil {
			return nil, err
		}
	}
	for _, phone := range phones {
		ps, ok := subjects[phone]
		if !ok {
			continue
		}
		pd, err := db.PersonData(ctx, ps)
		if err != nil {
			return nil, fmt.Errorf("search the person's phone: %w", err)
		}
		others, phoneKeyed := notTheirs(s, eventContacts(pd, syncd.KeyEmail)), notTheirs(s, eventContacts(pd, syncd.KeyPhone))
		maps.Copy(others, phoneKeyed)
		carry := carrying(ps, pd, others)
		for k, ids := range others {
			if ids = slices.DeleteFunc(ids, func(id int64) bool { return skip[id] }); carry[k] && len(ids) > 0 {
				slices.Sort(ids)
				others[k] = ids
			} else {
				delete(others, k)
			}
		}
		if len(others) > 0 {
			sh := phoneShared{phone: phone, others: others}
			for k := range others {
				if phoneKeyed[k] != nil {
					if sh.byPhone == nil {
						sh.byPhone = map[string]bool{}
					}
					sh.byPhone[k] = true
				}
			}
			out = append(out, sh)
		}
	}
	return out, nil
}

// carriedElsewhere returns those of subjects (phone -> its subject) that a
// contact operation not keyed by s was sent with, found in one search of
// db for all of them by their digits and keys. A number written glued to
// letters or digits in a contact's properties, which only its patterns
// would find, is no phone a contact was sent with.
func carriedElsewhere(ctx context.Context, db store, s syncd.Subject, subjects map[string]syncd.Subject) (map[string]syncd.Subject, error) {
	var all syncd.Subject
	for _, ps := range subjects {
		all.Keys = append(all.Keys, ps.Keys...)
		all.Phones = append(all.Phones, ps.Phones...)
	}
	pd, err := db.PersonData(ctx, all)
	if err != nil {
		return nil, fmt.Errorf("search the person's phones: %w", err)
	}
	var props [][]byte // of the contact operations not keyed by s
	for _, op := range pd.Ops {
		if op.Kind != syncd.RecordContact || s.HasKey(syncd.WithoutUnseen(op.Key)) {
			continue
		}
		if b, err := json.Marshal(op.Properties); err == nil {
			props = append(props, b)
		}
	}
	out := map[string]syncd.Subject{}
	for phone, ps := range subjects {
		if m := ps.Matcher(); slices.ContainsFunc(props, m.Match) {
			out[phone] = ps
		}
	}
	return out, nil
}

// samePhoneSaid says, for command (erase or export) given -email alone,
// which other contacts' leads carry the person's phone (shared, from
// phonesElsewhere), which it left: the person's own under another address
// or without one, or a colleague's giving the firm's number.
func samePhoneSaid(w io.Writer, command string, shared []phoneShared) {
	done, prefix := "erased", ""
	if command == "export" {
		done, prefix = "exported", "syncd export: "
	}
	for _, sh := range shared {
		byEmail, byPhone := map[string][]int64{}, map[string][]int64{}
		for k, ids := range sh.others {
			if sh.byPhone[k] {
				byPhone[k] = ids
			} else {
				byEmail[k] = ids
			}
		}
		var whose, todo []string
		if len(byEmail) > 0 {
			whose = append(whose, contactList(byEmail))
			todo = append(todo, fmt.Sprintf("if one is the person's own address (they wrote from two), run syncd %s -email ADDR for it", command))
		}
		if len(byPhone) > 0 {
			var ids []int64
			for _, evs := range byPhone {
				ids = append(ids, evs...)
			}
			ids = slices.Compact(slices.Sorted(slices.Values(ids)))
			whose = append(whose, "leads without an email: "+eventList(ids))
			// -phone is refused while leads of another address carry the
			// number (it would name two contacts): it said to run this
			// again with -phone, which then did nothing, exit 2.
			switch {
			case len(byEmail) == 0:
				todo = append(todo, fmt.Sprintf("if those are the person's (syncd export -event ID shows each), run syncd %s again "+
					"with -phone %s too", command, sh.phone))
			case command == "export":
				todo = append(todo, fmt.Sprintf("if the leads without an email are the person's (syncd export -event ID shows "+
					"each), export them with syncd export -event %s (-phone is refused while another address's leads carry the "+
					"number)", (*eventIDs)(&ids).String()))
			default:
				todo[0] += fmt.Sprintf(", with -phone %s too if the leads without an email are the person's (syncd export -event "+
					"ID shows each; -phone is refused while another address's leads carry the number: give it with the last of "+
					"the person's addresses)", sh.phone)
			}
		}
		fmt.Fprintf(w, "%snot %s: the person's phone %s is the phone of other leads too, which the email given does not find "+
			"(%s): %s; a number several people share, such as a firm's switchboard, names none of them\n",
			prefix, done, sh.phone, strings.Join(whose, "; "), strings.Join(todo, "; "))
	}
}

// foundEvents are the ids of the events of pd.
func foundEvents(pd syncd.PersonData) map[int64]bool {
	out := map[int64]bool{}
	for _, e := range pd.Events {
		out[e.ID] = true
	}
	return out
}
