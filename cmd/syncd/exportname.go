package main

// This file is syncd export -name: the leads whose contact name is the
// one given, for a data-protection officer answering a client known to
// syncd by name alone (a lead with no email and no phone). A name is not
// an identity, so the export lists each lead with what it holds, for her
// to tell which are the client's before handing them over or erasing them
// (syncd erase -event).

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// nameNotice is what export -name says first, in both formats.
const nameNotice = "A name is not an identity: two clients can share one. Check each lead below against what the client " +
	"told you (when they wrote, about which property, their message) before you hand it over or erase it; " +
	"hand over only theirs (syncd export -event ID[,ID...] exports those alone), and erase only theirs (syncd erase -event ID[,ID...])."

// nameNotFound is what export -name says, in both formats, when no stored
// lead has the name: that it found none, how the name is matched, and
// what to try, where it said "0 leads have that contact name" and to
// check each lead "below", of which there were none.
const nameNotFound = "No stored lead has that contact name. The whole name is matched, case and spacing aside, " +
	"with its letters as the lead wrote them (Søren is not Soren, and a surname alone finds no one); leads whose body " +
	"the retention purged or an erase erased are not searched. Check the name as the client gave it, and export them by " +
	"-email or -phone if they gave one"

// notice is what the export of out says first: nameNotice; when it lists
// no lead, nameNotFound, then "Nothing found" or, when quarantined
// bodies mention the name, to check those.
func (out nameExport) notice() string {
	switch {
	case len(out.Leads) > 0:
		return nameNotice
	case len(out.Mentioning) > 0:
		mention := " quarantined bodies mention the name (listed): check whether each is the client's."
		if len(out.Mentioning) == 1 {
			mention = " quarantined body mentions the name (listed): check whether it is the client's."
		}
		return nameNotFound + ". " + strconv.Itoa(len(out.Mentioning)) + mention
	}
	return "Nothing found: " + strings.ToLower(nameNotFound[:1]) + nameNotFound[1:] +
		", before telling them that syncd holds nothing about them."
}

// nameExport is what export -name prints as JSON.
type nameExport struct {
	Name        string             `json:"name"`
	Notice      string             `json:"notice"`
	ExportedAt  time.Time          `json:"exported_at"`
	Leads       []namedLead        `json:"leads"`
	NotSearched []string           `json:"not_searched"`
	Quarantine  []exportQuarantine `json:"quarantined_copies"`
	// Mentioning are the quarantined bodies, not repaired, that mention
	// the name anywhere: they did not parse, so no field says whose it is.
	Mentioning []exportQuarantine `json:"quarantined_mentioning_the_name"`
}

// namedLead is one lead of the name: the event, as export prints a
// person's, with its sender as people know it, whether it holds an email
// or a phone (then erase -email or -phone finds the person whole), and the
// outbox operations made of it.
type namedLead struct {
	exportEvent
	Sender       string     `json:"sender"`
	HoldsContact bool       `json:"holds_email_or_phone"`
	Operations   []exportOp `json:"crm_operations"`
	kind         syncd.Kind
}

// nameNotSearched is what export -name does not search, said in both
// formats.
var nameNotSearched = []string{
	"other people's leads whose message names the client",
	"leads whose body retention purged or an erase erased",
}

// byNameFlags are export's flags for a client known by name alone.
type byNameFlags struct {
	name   *string
	events eventIDs
}

// exportNameFlags defines export's -name and -event on fs.
func exportNameFlags(fs *flag.FlagSet) *byNameFlags {
	f := &byNameFlags{name: fs.String("name", "", nameUsage)}
	fs.Var(&f.events, "event", "export exactly the leads of the events `ID[,ID...]` (repeat the flag or separate ids with commas), "+
		"those of a client known by name alone you checked are theirs, as export does a person's: to hand over; with -name, "+
		"the name heads the export")
	return f
}

// given says whether export was given -name or -event.
func (f *byNameFlags) given() bool { return *f.name != "" || len(f.events) > 0 }

// exportByName runs export -name or -event: refused with -email or
// -phone (a person with either is exported by it, whole), it prints the
// leads of name, or those given by id, in format, or writes them to the
// new file outFile.
func (c *cli) exportByName(ctx context.Context, file string, f *byNameFlags, email, phone, outFile, format string) int {
	if email != "" || phone != "" {
		c.errorf("-name and -event are not taken with -email or -phone: export a person with an email or phone by it, " +
			"which finds all their leads; -name lists the leads of a name, -event exports the leads given")
		return exitUsage
	}
	name := *f.name
	if name != "" {
		var err error
		if name, err = c.readName(ctx, name); err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
	}
	if outFile != "" {
		if err := checkNewFile(outFile); err != nil {
			c.errorf("-out: %v", err)
			return exitUsage
		}
	}
	if len(f.events) > 0 {
		return c.withReader(ctx, file, func(cfg *config.Config, db *backend) int {
			return c.exportEvents(ctx, cfg, db, f.events, name, outFile, format)
		})
	}
	return c.withReader(ctx, file, func(cfg *config.Config, db *backend) int {
		s := syncd.Subject{Name: syncd.NameKey(name)}
		pd, err := db.PersonData(ctx, s)
		if err != nil {
			return c.fail(err)
		}
		if code, ok, _ := c.notUndone(ctx, cfg, db, readLogOf(cfg), s, pd); !ok { // the log tells nothing more of a name
			return code
		}
		out := newNameExport(name, time.Now(), clockOf(cfg).loc, pd)
		if out.Mentioning, err = quarantinedMentioning(ctx, db, name, clockOf(cfg).loc); err != nil {
			return c.fail(err)
		}
		out.Notice = out.notice()
		var b bytes.Buffer
		if format == exportText {
			writeNameText(&b, out, clockOf(cfg))
		} else {
			enc := json.NewEncoder(&b)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				return c.fail(err)
			}
		}
		if code := c.writeNameExport(b.Bytes(), outFile); code != exitOK {
			return code
		}
		if format != exportText || outFile != "" {
			if len(out.Leads) == 0 {
				c.errorf("%s", out.Notice)
			} else {
				have := syncd.Counted(len(out.Leads), "lead has", "leads have")
				c.errorf("%s that contact name. %s", have, nameNotice)
			}
		}
		return exitOK
	})
}

// writeNameExport prints b, or writes it to the new file outFile and
// prints its name.
func (c *cli) writeNameExport(b []byte, outFile string) int {
	if outFile == "" {
		if _, err := terminalSafe(c.stdout).Write(b); err != nil {
			return c.fail(err)
		}
		c.othersMayRead()
		return exitOK
	}
	return c.writeOut(outFile, b)
}

// newNameExport is pd, read for name, as export -name prints it, times in
// loc.
func newNameExport(name string, at time.Time, loc *time.Location, pd syncd.PersonData) nameExport {
	ex := newPersonExport(name, at, loc, pd)
	out := nameExport{Name: name, Notice: nameNotice, ExportedAt: ex.ExportedAt, Leads: []namedLead{},
		NotSearched: nameNotSearched, Quarantine: ex.Quarantined, Mentioning: []exportQuarantine{}}
	for i, ev := range pd.Events {
		l := namedLead{exportEvent: ex.Events[i], Sender: senderName(ev), kind: ev.Kind, HoldsContact: holdsContact(ev, pd.Ops), Operations: []exportOp{}}
		for _, op := range ex.Operations {
			if op.EventID == ev.ID {
				l.Operations = append(l.Operations, op)
			}
		}
		out.Leads = append(out.Leads, l)
	}
	out.Notice = out.notice()
	return out
}

// writeNameText writes out as text for the officer to check each lead:
// when it came, from whom, and what it holds, then how to export and erase the client's.
func writeNameText(w io.Writer, out nameExport, clk clock) {
	fmt.Fprintf(w, "Leads whose contact name is %q (case and spacing aside): %d\n\n%s\n", out.Name, len(out.Leads), out.notice())
	var ids []string
	for _, l := range out.Leads {
		if !l.HoldsContact {
			ids = append(ids, strconv.FormatInt(l.ID, 10))
		}
		lead := sender.Lead{}
		if s := sender.For(l.kind); s != nil && s.Lead != nil && len(l.Payload) > 0 {
			lead = s.Lead(l.Payload)
		}
		fmt.Fprintf(w, "\nEvent %d: received %s from %s\n", l.ID, clk.show(l.ReceivedAt), l.Sender)
		fmt.Fprintf(w, "  Contact: %s\n", oneLine(lead.Name, 0))
		if l.HoldsContact {
			fmt.Fprintf(w, "  Holds an email or a phone: export and erase that person with -email or -phone, which find all their leads\n")
		}
		for _, f := range []struct{ label, v string }{{"Email", lead.Email}, {"Phone", lead.Phone}, {"Company", lead.Company},
			{"Portal", lead.Portal}, {"Property", lead.Property}, {"Message", lead.Message}} {
			if f.label == "Message" && f.v == "" {
				f.v = lead.MessageHTML
			}
			if strings.TrimSpace(f.v) != "" {
				fmt.Fprintf(w, "  %s: %s\n", f.label, oneLine(f.v, 0))
			}
		}
		state := string(l.MapState)
		if l.MapError != "" {
			state += ": " + l.MapError
		}
		fmt.Fprintf(w, "  Mapping: %s; CRM operations: %d\n", oneLine(state, 0), len(l.Operations))
	}
	if len(out.Quarantine) > 0 {
		fmt.Fprintf(w, "\nQuarantined copies of these leads (bodies that did not parse, repaired into them): %d\n", len(out.Quarantine))
	}
	if len(out.Mentioning) > 0 {
		fmt.Fprintf(w, "\nQuarantined bodies that mention the name (they did not parse: no field says whose they are): %d\n", len(out.Mentioning))
		for _, q := range out.Mentioning {
			fmt.Fprintf(w, "  Quarantined body %d: received %s from %s: %s\n", q.ID, clk.show(q.ReceivedAt), q.Source, bodyText(q.Body, 300))
		}
		fmt.Fprintf(w, "  One that is the client's: syncd events repair it, then export and erase it with -event as above; "+
			"or syncd events dismiss ID drops its body (no erasure recorded)\n")
	}
	fmt.Fprintf(w, "\nNot searched: %s.\n", strings.Join(out.NotSearched, "; "))
	if len(ids) > 0 {
		fmt.Fprintf(w, "\nFor those of these leads with a name alone that are your client's, once checked (give only theirs): "+
			"syncd export -event %s -name NAME -format text -out FILE to hand them over; syncd erase -event %s to erase them\n",
			strings.Join(ids, ","), strings.Join(ids, ","))
	}
}

// exportEvents prints, as export prints a person's data (in format, or to
// the new file outFile), the leads of the events ids: those of a client
// known by name alone that the operator checked are theirs, to hand over
// without anyone else's. name, when given, heads it (the text's "What
// syncd holds about"). An id the database does not hold is refused.
func (c *cli) exportEvents(ctx context.Context, cfg *config.Config, db store, ids []int64, name, outFile, format string) int {
	s := eventsSubject(ids)
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		return c.fail(err)
	}
	if err := checkEvents(ids, pd, true, "exported"); err != nil {
		c.errorf("%v (exit 2)", err)
		return exitUsage
	}
	lg := readLogOf(cfg)
	code, ok, unread := c.notUndone(ctx, cfg, db, lg, s, pd)
	if !ok {
		return code
	}
	if unread == nil {
		if pd.Erasures, err = loggedErasures(ctx, db, lg, s, pd.Erasures); err != nil {
			return c.fail(err)
		}
	}
	label := "the enquiries of events " + (*eventIDs)(&ids).String()
	if len(ids) == 1 {
		label = "the enquiry of event " + (*eventIDs)(&ids).String()
	}
	if name != "" {
		label = name
	}
	out, code := c.writePersonExport(ctx, cfg, db, lg, s, pd, label, format, outFile)
	if code != exitOK {
		return code
	}
	var contact []string
	for _, ev := range pd.Events {
		if holdsContact(ev, pd.Ops) {
			contact = append(contact, strconv.FormatInt(ev.ID, 10))
		}
	}
	if len(contact) > 0 {
		c.errorf("event %s holds an email or a phone: syncd export -email or -phone finds everything "+
			"syncd holds of that person, their other leads too", strings.Join(contact, ", "))
	}
	c.errorf("the leads given by id, and nothing found by a name, email or phone: hand it over only if " +
		"each is the client's (syncd export -name shows what each holds)")
	c.errorf("not included, out of syncd's reach (not_included): %s", strings.Join(out.NotIncluded, "; "))
	if unread != nil {
		c.logUnreadSaid(unread)
		return exitAttention
	}
	return exitOK
}

// quarantinedMentioning are the quarantined bodies, neither repaired nor
// dropped, that mention name (its words one space apart) as a whole word,
// ignoring case, as typed or JSON-escaped (syncd.Matcher), times in loc.
func quarantinedMentioning(ctx context.Context, db store, name string, loc *time.Location) ([]exportQuarantine, error) {
	list, err := db.Quarantined(ctx, syncd.EventFilter{})
	if err != nil {
		return nil, err
	}
	name = strings.Join(strings.Fields(name), " ") // as a body most likely spells it
	m := syncd.Subject{Patterns: []string{name, asciiJSON(name)}}.Matcher()
	out := []exportQuarantine{}
	for _, q := range list {
		if q.ResolvedEvent != 0 || len(q.Body) == 0 || !m.Match(q.Body) {
			continue
		}
		eq := newPersonExport("", time.Time{}, loc, syncd.PersonData{Quarantined: []syncd.Quarantine{q}}).Quarantined[0]
		out = append(out, eq)
	}
	return out, nil
}
