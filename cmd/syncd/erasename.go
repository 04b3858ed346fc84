package main

// This file erases leads given by event id (syncd erase -event), for a
// client known to syncd by name alone: a lead with a contact name but no
// email and no phone, which -email and -phone cannot find. A name is not
// an identity (two clients may share one), so erase never takes one:
// syncd erase -name lists the leads of that name and asks for their ids,
// to be given after a person checked each (syncd export -name).

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// nameUsage is the description of erase's and export's -name.
const nameUsage = "the client's contact name, for a lead that has no email and no phone (case and spacing aside); " +
	"a name is not an identity: export lists the leads of that name to check, erase refuses it and lists their ids for -event; " +
	"- reads it from standard input"

// eventIDs is erase's -event: event ids, the flag repeated or
// comma-separated, each once, in order.
type eventIDs []int64

func (e *eventIDs) String() string {
	if e == nil {
		return ""
	}
	parts := make([]string, len(*e))
	for i, id := range *e {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func (e *eventIDs) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%q is not an event id (syncd export -name and syncd events list show them)", strings.TrimSpace(p))
		}
		if !slices.Contains(*e, id) {
			*e = append(*e, id)
		}
	}
	return nil
}

// byIDFlags are erase's flags for leads found by name: -name, -event
// and -despite-contact.
type byIDFlags struct {
	name    *string
	events  eventIDs
	despite *bool
}

// eraseByIDFlags defines -name, -event and -despite-contact on fs.
func eraseByIDFlags(fs *flag.FlagSet) *byIDFlags {
	f := &byIDFlags{}
	f.name = fs.String("name", "", nameUsage)
	fs.Var(&f.events, "event", "erase exactly the leads of the events `ID[,ID...]` (repeat the flag or separate ids with commas): "+
		"for a client known by name alone, after checking each with syncd export -name; not the CRM")
	f.despite = fs.Bool("despite-contact", false, "with -event: erase a lead that holds an email or phone too "+
		"(refused without it: erase that person with -email or -phone, which also finds their other leads and reaches the CRM)")
	return f
}

// given says whether erase was given -name or -event.
func (f *byIDFlags) given() bool { return *f.name != "" || len(f.events) > 0 }

// eraseByID runs erase -name (refused: it lists the leads' ids) or erase
// -event, given the other flags erase took, which -event does not go with.
func (c *cli) eraseByID(ctx context.Context, file string, f *byIDFlags, email, phone string, crm, others bool) int {
	var bad []string
	for flag, set := range map[string]bool{"-email": email != "", "-phone": phone != "", "-crm": crm, "-others": others} {
		if set {
			bad = append(bad, flag)
		}
	}
	if *f.name != "" && len(f.events) > 0 {
		bad = append(bad, "-name")
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		fmt.Fprintf(c.stderr, "syncd erase: %s not taken with -name or -event: -event erases exactly the leads given, in syncd only; "+
			"a person with an email or phone is erased with -email or -phone (and -crm)\n", strings.Join(bad, ", "))
		return exitUsage
	}
	if len(f.events) == 0 {
		return c.eraseNameRefused(ctx, file, *f.name)
	}
	return c.withWriter(ctx, file, func(cfg *config.Config, db *backend) int {
		return c.eraseEvents(ctx, cfg, db, f.events, *f.despite)
	})
}

// readName is -name as given, or a line of standard input for "-" (a
// command line shows in ps and in sudo's log), composed (NFC) as the
// senders' names are read.
func (c *cli) readName(ctx context.Context, name string) (string, error) {
	if name == "-" {
		if c.stdin == nil {
			return "", errors.New("-name -: no standard input to read the name from")
		}
		if in, ok := c.stdin.(*os.File); ok && isatty.IsTerminal(in.Fd()) {
			fmt.Fprint(c.stderr, "name: ")
		}
		line, err := readLine(ctx, bufio.NewReader(c.stdin))
		if ctx.Err() != nil {
			return "", fmt.Errorf("-name -: interrupted before a line was read, nothing done: %w", ctx.Err())
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("-name -: read standard input: %w", err)
		}
		name = strings.TrimPrefix(line, "\ufeff") // a file saved by Notepad begins with a byte-order mark
	}
	if name = norm.NFC.String(strings.TrimSpace(syncd.WithoutUnseen(name))); syncd.NameKey(name) == "" {
		return "", errors.New("-name: give the client's name as the leads carry it (-name 'Anna Jensen')")
	}
	return name, nil
}

// eraseNameRefused refuses erase -name, listing the leads of that name by
// id, for the operator to check each (export -name) and erase those that
// are the client's with -event.
func (c *cli) eraseNameRefused(ctx context.Context, file, name string) int {
	name, err := c.readName(ctx, name)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd erase: %v\n", err)
		return exitUsage
	}
	return c.withReader(ctx, file, func(cfg *config.Config, db *backend) int {
		pd, err := db.PersonData(ctx, syncd.Subject{Name: syncd.NameKey(name)})
		if err != nil {
			return c.fail(err)
		}
		if len(pd.Events) == 0 {
			fmt.Fprintf(c.stderr, "syncd erase: -name: no stored lead has that contact name (case and spacing aside), so nothing "+
				"to erase by it; a lead with an email or phone is erased with -email or -phone; erased or purged before, it is gone already (exit 2)\n")
			return exitUsage
		}
		var list []string
		for _, ev := range pd.Events {
			list = append(list, fmt.Sprintf("%d (%s, %s)", ev.ID, clockOf(cfg).show(ev.ReceivedAt), senderName(ev)))
		}
		fmt.Fprintf(terminalSafe(c.stderr), "syncd erase: -name is refused: a name is not an identity, and two clients may share one. "+
			"%s that contact name: %s. Check each is your client's (syncd export -name shows what each holds), "+
			"then erase those that are with syncd erase -event ID[,ID...] (exit 2)\n", syncd.Counted(len(pd.Events), "stored lead has", "stored leads have"),
			strings.Join(list, "; "))
		return exitUsage
	})
}

// senderName is the sender and type of ev, as people know them.
func senderName(ev syncd.Event) string {
	who := string(ev.Kind)
	if s := sender.For(ev.Kind); s != nil {
		who = s.Name
	}
	return who + " " + cell(ev.Type)
}

// eventsSubject is the subject of an erase of the events ids: the audit
// records a hash of their ids, which are no personal data.
func eventsSubject(ids []int64) syncd.Subject {
	id := "events " + (*eventIDs)(&ids).String()
	return syncd.Subject{ID: id, Events: ids}
}

// eraseEvents erases the leads of the events ids, as an erase of a
// person does (bodies, quarantined copies, outbox operations, reports made
// again, the erasure log): refused for an id the database does not hold,
// and, without despite, for a lead that holds an email or a phone.
func (c *cli) eraseEvents(ctx context.Context, cfg *config.Config, db store, ids []int64, despite bool) int {
	s := eventsSubject(ids)
	for reads := 1; ; reads++ {
		pd, err := db.PersonData(ctx, s)
		if err != nil {
			return c.fail(err)
		}
		if err := checkEvents(ids, pd, despite, "erased"); err != nil {
			fmt.Fprintf(c.stderr, "syncd erase: %v (exit 2)\n", err)
			return exitUsage
		}
		if slices.IndexFunc(pd.Events, func(ev syncd.Event) bool { return ev.ErasedAt.IsZero() }) < 0 {
			fmt.Fprintf(c.stdout, "nothing to erase: the events given were erased before (syncd events show ID says when); nothing recorded\n")
			return exitOK
		}
		// The contacts of leads erased -despite-contact are people erase
		// -email reaches: their CRM links and other leads stay.
		s.Others = contactsOf(pd.Ops)
		er, err := db.Erase(ctx, s, pd, "")
		if syncd.ErrorCode(err) == syncd.EChanged && reads < eraseReads {
			c.errorf("%v: reading the events again", err)
			continue
		}
		kept := len(s.Others)
		s.Others = nil
		code := c.erased(ctx, cfg, db, s, queuedErase{}, nil, erasureIDs{events: ids}, time.Time{}, er, err)
		if kept > 0 && !er.At.IsZero() {
			who := "the contact"
			if kept > 1 {
				who = fmt.Sprintf("the %d contacts", kept)
			}
			fmt.Fprintf(c.stdout, "kept: %s of those leads, with their CRM links and their other leads "+
				"(erase each person with -email or -phone, and -crm, to erase those)\n", who)
		}
		return code
	}
}

// checkEvents refuses ids the database does not hold (pd, read for
// them), saying nothing was done ("erased", "exported"), and, without
// despite, leads that hold an email or a phone: those name a person
// erase -email or -phone finds whole, with their other leads and their
// CRM records.
func checkEvents(ids []int64, pd syncd.PersonData, despite bool, done string) error {
	var missing, contact []string
	for _, id := range ids {
		i := slices.IndexFunc(pd.Events, func(ev syncd.Event) bool { return ev.ID == id })
		if i < 0 {
			missing = append(missing, strconv.FormatInt(id, 10))
		} else if holdsContact(pd.Events[i], pd.Ops) {
			contact = append(contact, strconv.FormatInt(id, 10))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("-event: no event %s in this database, nothing %s (syncd export -name lists a name's leads with their ids)",
			strings.Join(missing, ", "), done)
	}
	if len(contact) > 0 && !despite {
		return fmt.Errorf("-event: event %s holds an email or a phone, nothing erased: erase that person with -email or -phone "+
			"(which finds their other leads too, and with -crm reaches the CRM); to erase only this lead, add -despite-contact",
			strings.Join(contact, ", "))
	}
	return nil
}

// holdsContact says whether ev's lead holds an email or a phone, in its
// body or in the contact operations mapped from it.
func holdsContact(ev syncd.Event, ops []syncd.Op) bool {
	if slices.ContainsFunc(ops, func(op syncd.Op) bool { return op.EventID == ev.ID && op.Kind == syncd.RecordContact }) {
		return true
	}
	s := sender.For(ev.Kind)
	if s == nil || s.Lead == nil || len(ev.Body) == 0 {
		return false
	}
	l := s.Lead(payloadOf(ev))
	return strings.TrimSpace(l.Email) != "" || strings.TrimSpace(l.Phone) != ""
}

// payloadOf is ev's body as standard JSON.
func payloadOf(ev syncd.Event) []byte {
	if len(ev.Payload) > 0 {
		return ev.Payload
	}
	return ev.Body
}

// contactsOf are the contact keys ops name, each once.
func contactsOf(ops []syncd.Op) []string {
	var out []string
	for _, op := range ops {
		k := op.ContactKey
		if op.Kind == syncd.RecordContact {
			k = op.Key
		}
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// eraseEventsAgain erases again, on a restored backup, the events of the
// erasure log's entry e (erase -event), and records that it did.
func eraseEventsAgain(ctx context.Context, cfg *config.Config, db store, path string, e erasureEntry, opened time.Time) (syncd.Erasure, error) {
	s := eventsSubject(e.Events)
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		return syncd.Erasure{}, err
	}
	s.Others = contactsOf(pd.Ops)
	er, err := db.Erase(ctx, s, pd, "")
	if err != nil && er.At.IsZero() {
		return er, err
	}
	_, rerr := rewriteReports(ctx, cfg, db, er.Received)
	again := erasureEntry{At: er.At, Events: e.Events, First: e.First, Again: true, OnRestore: opened, Audited: er.Audited, Settles: e.Audited}
	return er, errors.Join(err, rerr, appendErasure(path, again))
}
