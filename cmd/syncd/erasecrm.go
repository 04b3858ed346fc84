package main

// This file is what erase -crm asks of the CRM: the operations it queues,
// the holders it erases at once, and the records it leaves there.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// queuedErase is what erase -crm asked of the CRM target ("": erase was
// not given -crm): noDaemon, no daemon serves the database to send it;
// unlinked, the lead ids of the person's deals that have no CRM id
// (syncd.UnlinkedDeals), which the queued erasure also carries.
type queuedErase struct {
	target   string
	noDaemon bool
	unlinked []string
}

// what names the records the erasure er queued in q.target erases: the
// contacts and deals linked there, and the deals syncd holds no id of,
// which HubSpot's erasure looks up by their lead id (it said "1
// operations" alone, the DPO left to guess what they erase, and the
// lookups by lead id counted nowhere). "" when nothing was queued.
func (q queuedErase) what(er syncd.Erasure) string {
	if er.CRMOps == 0 {
		return ""
	}
	ids := map[syncd.RecordKind][]string{}
	for _, l := range er.CRMLinks {
		if l.Target == q.target {
			ids[l.Kind] = append(ids[l.Kind], l.CRMID)
		}
	}
	out := recordList(ids)
	if n := len(q.unlinked); n > 0 {
		deals := syncd.Counted(n, "deal", "deals")
		how := "looked up in " + q.target + " by its lead id"
		if q.target != hubspot.Name {
			how = "deleted with the person's other deals if there (" + q.target + " finds no deal by lead id)"
		}
		if out != "" {
			out += ", and "
		}
		out += deals + " syncd holds no id of (its lead not recorded as sent, which the CRM may hold all the same), " + how
	}
	if out == "" {
		return ""
	}
	return ": " + out
}

// holderKeys are the contact keys under which the CRM target may hold the
// person now: the email given, the keys of the person's contacts linked in
// target (an email found by -phone), and the phone given when it reads as
// one number only (one in several countries may be someone else's).
func holderKeys(s syncd.Subject, links []syncd.Link, target string) []string {
	keys, phones := s.KeysOf(syncd.KeyEmail), s.KeysOf(syncd.KeyPhone)
	if len(phones) == 1 {
		keys = append(keys, phones[0])
	}
	for _, l := range links {
		if l.Target == target && l.Kind == syncd.RecordContact {
			keys = append(keys, l.Key)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// queuedGoes says what sends the n CRM erasures an erase queued: the
// daemon's syncer, or with no daemon serving the database (noDaemon: on
// PostgreSQL no instance running) only syncd sync or the daemon's start
// (it said the daemon's syncer then too); nothing for none.
func queuedGoes(n int, noDaemon bool, w serving) string {
	switch {
	case n == 0:
		return ""
	case noDaemon:
		return " (" + w.noneRuns() + ": they go with syncd sync, or " + w.started() + ")"
	}
	return " (sent by " + w.whose("syncer") + ", or now by: syncd sync)"
}

// eraseHolders erases in target, now, whoever holds each of keys (the
// contact syncd linked may have been deleted and the person recreated
// under another id): the queued operations keep ids and the person's
// emails and phones only sealed, no value to search by, so this cannot
// wait for the syncer. It says what it did. merged is true when a holder
// was left alone as a merge of several contacts
// (syncd.CodeMergedContact), or, as a contact of links in target is
// (syncd.SharedChecker), as holding someone else's email or phone too, by
// known (syncd.CodeSharedContact), which it says once a contact, with
// what to do by hand; kept holds the CRM ids of the contacts of links so
// left (looked up by the link's key, or checked by its id).
func (c *cli) eraseHolders(ctx context.Context, cfg *config.Config, db store, keys []string, links []syncd.Link, known syncd.PersonKeys,
	target string) (merged bool, kept map[string]bool, err error) {
	if target == "" || len(keys) == 0 {
		return false, nil, nil
	}
	adapter := newCRM(cfg, db, commandLogger(c.stderr, "erase", "warn", clockOf(cfg)), nil)
	// On a restored backup, only in the account its CRM ids were made in,
	// as the daemon sends: another agency's backup would erase this one's
	// clients of the same address.
	pinRecorded(ctx, db, adapter)
	he, ok := adapter.(syncd.HolderEraser)
	if !ok {
		return false, nil, nil
	}
	kept = map[string]bool{}
	keep := func(key, id string) { // the linked contacts of key (or id) were left
		for _, l := range links {
			if l.Target == target && l.Kind == syncd.RecordContact && (key != "" && l.Key == key || l.CRMID == id) {
				kept[l.CRMID] = true
			}
		}
	}
	said := map[string]bool{}
	left := func(err error) bool { // says each contact left as shared once
		msgs := sharedLeft(err)
		for _, m := range msgs {
			if !said[m] {
				said[m] = true
				fmt.Fprintf(c.stdout, "CRM NOT ERASED: %s: %s; a queued erasure of the same person is refused alike, the deals syncd "+
					"made for the person deleted (a dead letter that syncd status counts: syncd outbox show ID says this) (exit 5)\n", target, m)
			}
		}
		merged = merged || len(msgs) > 0
		return len(msgs) > 0
	}
	done, skipped := 0, 0
	for _, k := range keys {
		ok, err := he.EraseHolders(ctx, k, known)
		var ce *syncd.CRMError
		if errors.As(err, &ce) && ce.Code == syncd.CodeWrongAccount { // no answer awaited: the account is not the one
			// ce.Message alone: "crm WRONG_ACCOUNT:" before it is a code, no word of syncd's
			return false, nil, fmt.Errorf("erase in %s: nothing erased there (the rest of the erase is done): %s", target, ce.Message)
		}
		if errors.As(err, &ce) && ce.Code == syncd.CodeMergedContact {
			fmt.Fprintf(c.stdout, "CRM NOT ERASED: %s: %s; the queued erasure of that contact is refused alike, "+
				"its deals deleted (a dead letter that syncd status counts: syncd outbox show ID says this) (exit 5)\n", target, ce.Message)
			merged = true
			keep(k, "")
			continue
		}
		if left(err) {
			keep(k, "")
			continue
		}
		if err != nil {
			return false, nil, fmt.Errorf("erase in %s of whoever holds the person's email or phone now (the rest of the erase is done: run it again, with -email, when %s answers): %w",
				target, target, err)
		}
		if ok {
			done++
		} else {
			skipped++
		}
	}
	leftID := func(id string, err error) bool {
		if left(err) {
			keep("", id)
			return true
		}
		return false
	}
	if err := checkLinkedShared(ctx, adapter, target, links, known, leftID); err != nil {
		return merged, kept, err
	}
	if done > 0 {
		fmt.Fprintf(c.stdout, "CRM erase now: %d of the person's emails and phones looked up in %s, whoever holds them erased\n", done, target)
	}
	if skipped > 0 {
		fmt.Fprintln(c.stdout, notLookedUp(skipped, done == 0 && !merged, erasedLinked(links, target, kept), target))
	}
	return merged, kept, nil
}

// erasedLinked counts the contacts syncd linked in target (links) whose
// erasure is queued and not refused (kept: left as a merge or shared).
func erasedLinked(links []syncd.Link, target string, kept map[string]bool) int {
	n := 0
	for _, l := range links {
		if l.Target == target && l.Kind == syncd.RecordContact && !kept[l.CRMID] {
			n++
		}
	}
	return n
}

// notLookedUp is erase -crm's line on the skipped phone numbers of the
// person that target (HubSpot) cannot find contacts by: noEmail when no
// email of the person was looked up either (a phone-only erase of a
// person syncd knows no email of), linked the contacts syncd linked whose
// queued erasure goes on. A phone-only erase on HubSpot said "0 of the
// person's emails and phones looked up in hubspot, whoever holds them
// erased", then "only the contact syncd linked is erased" of a person
// syncd had linked none of.
func notLookedUp(skipped int, noEmail bool, linked int, target string) string {
	line := fmt.Sprintf("CRM erase now: %s of the person's not looked up in %s, which finds contacts by email only",
		syncd.Counted(skipped, "phone number", "phone numbers"), target)
	if noEmail {
		line += ", and no email of the person's is known to syncd (erase was given none, and no contact syncd linked is keyed by one): " +
			"nothing was looked up there"
	}
	if linked > 0 {
		return line + fmt.Sprintf(": only %s syncd linked %s erased there, by the CRM erase queued above",
			syncd.Counted(linked, "contact", "contacts"), syncd.Noun(linked, "is", "are"))
	}
	return line + ": no contact is erased there (syncd linked none of the person's): a contact made in " + target +
		" by hand that holds the number stays: find it there by the number and delete it, or run syncd erase -crm again with the person's email"
}

// checkLinkedShared has the contacts of links in target, whose erasure is
// queued and which the person's email may no longer find, checked for
// holding someone else's email or phone too (syncd.SharedChecker), each
// such told by left, with its CRM id.
func checkLinkedShared(ctx context.Context, adapter syncd.CRM, target string, links []syncd.Link, known syncd.PersonKeys,
	left func(id string, err error) bool) error {
	sc, ok := adapter.(syncd.SharedChecker)
	if !ok {
		return nil
	}
	for _, l := range links {
		if l.Target != target || l.Kind != syncd.RecordContact {
			continue
		}
		if err := sc.CheckShared(ctx, l.CRMID, known); !left(l.CRMID, err) && err != nil {
			return fmt.Errorf("read %s's contact %s the person's erasure is queued for (the rest of the erase is done): %w", target, l.CRMID, err)
		}
	}
	return nil
}

// sharedLeft are the messages of the syncd.CodeSharedContact errors err
// holds (one a contact left), in order.
func sharedLeft(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok { // errors.Join: one a contact
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, sharedLeft(e)...)
		}
		return out
	}
	var ce *syncd.CRMError
	if errors.As(err, &ce) && ce.Code == syncd.CodeSharedContact {
		return []string{ce.Message}
	}
	return nil
}

// crmLeft says which of the person's CRM records the erase did not ask a
// CRM to erase: all of them without -crm, and with it those in a CRM other
// than the configured one (linked before the target changed). Their links
// are gone with the erase, so syncd cannot erase them later: their ids are
// printed for the operator to delete them by hand. The dry run's are none.
func crmLeft(w io.Writer, links []syncd.Link, target string) {
	left := map[string]map[syncd.RecordKind][]string{}
	for _, l := range links {
		if l.Target == target || l.Target == dryrun.Name {
			continue
		}
		if left[l.Target] == nil {
			left[l.Target] = map[syncd.RecordKind][]string{}
		}
		left[l.Target][l.Kind] = append(left[l.Target][l.Kind], l.CRMID)
	}
	for _, t := range slices.Sorted(maps.Keys(left)) {
		why := "erase was not given -crm"
		if target != "" {
			why = t + " is not the configured CRM"
		}
		fmt.Fprintf(w, "left in the CRM: %s %s (%s; syncd no longer knows these records: delete them in %s by hand)\n",
			t, recordList(left[t]), why, t)
	}
}

// recordList is "contact 12, deals 34 56" for the CRM ids of each kind,
// each once: a contact linked by its email and by its phone was named
// twice ("contacts 1008 1008").
func recordList(ids map[syncd.RecordKind][]string) string {
	var parts []string
	for _, k := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		var once []string
		for _, id := range ids[k] {
			if !slices.Contains(once, id) {
				once = append(once, id)
			}
		}
		if len(once) > 0 {
			name := string(k)
			if len(once) > 1 {
				name += "s"
			}
			parts = append(parts, name+" "+strings.Join(once, " "))
		}
	}
	return strings.Join(parts, ", ")
}
