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
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// nameNotice is what export -name says first, in both formats.
const nameNotice = "A name is not an identity: two clients can share one. Check each lead below against what the client " +
	"told you (when she wrote, about which property, her message) before you hand it over or erase it; " +
	"hand over only hers, and erase only hers, with syncd erase -event ID[,ID...]."

// nameExport is what export -name prints as JSON.
type nameExport struct {
	Name        string             `json:"name"`
	Notice      string             `json:"notice"`
	ExportedAt  time.Time          `json:"exported_at"`
	Leads       []namedLead        `json:"leads"`
	NotSearched []string           `json:"not_searched"`
	Quarantine  []exportQuarantine `json:"quarantined_copies"`
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
	"leads whose body did not parse and was not repaired (syncd events list -quarantined): a name is not searched in them",
	"other people's leads whose message names the client",
	"leads whose body retention purged or an erase erased",
}

// exportNameFlag defines export's -name on fs.
func exportNameFlag(fs *flag.FlagSet) *string {
	return fs.String("name", "", nameUsage)
}

// exportByName runs export -name: refused with -email or -phone (a
// person with either is exported by it, whole), it prints the leads of
// name in format, or writes them to the new file outFile.
func (c *cli) exportByName(ctx context.Context, file, name, email, phone, outFile, format string) int {
	if email != "" || phone != "" {
		fmt.Fprintln(c.stderr, "syncd export: -name is not taken with -email or -phone: export a person with an email or phone by it, "+
			"which finds all their leads; -name lists the leads of a name that have neither")
		return exitUsage
	}
	name, err := c.readName(ctx, name)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd export: %v\n", err)
		return exitUsage
	}
	if outFile != "" {
		if err := checkNewFile(outFile); err != nil {
			fmt.Fprintf(c.stderr, "syncd export: -out: %v\n", err)
			return exitUsage
		}
	}
	return c.withReader(ctx, file, func(cfg *config.Config, db *backend) int {
		pd, err := db.PersonData(ctx, syncd.Subject{Name: syncd.NameKey(name)})
		if err != nil {
			return c.fail(err)
		}
		out := newNameExport(name, time.Now(), clockOf(cfg).loc, pd)
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
			fmt.Fprintf(c.stderr, "syncd export: %d leads have that contact name. %s\n", len(out.Leads), nameNotice)
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
	if err := writeNewFile(outFile, b); errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(c.stderr, "syncd export: -out: %v\n", existsError(outFile))
		return exitUsage
	} else if err != nil {
		return c.fail(fmt.Errorf("export: %w", err))
	}
	fmt.Fprintln(c.stdout, outFile)
	return exitOK
}

// newNameExport is pd, read for name, as export -name prints it, times in
// loc.
func newNameExport(name string, at time.Time, loc *time.Location, pd syncd.PersonData) nameExport {
	ex := newPersonExport(name, at, loc, pd)
	out := nameExport{Name: name, Notice: nameNotice, ExportedAt: ex.ExportedAt, Leads: []namedLead{},
		NotSearched: nameNotSearched, Quarantine: ex.Quarantined}
	for i, ev := range pd.Events {
		l := namedLead{exportEvent: ex.Events[i], Sender: senderName(ev), kind: ev.Kind, HoldsContact: holdsContact(ev, pd.Ops), Operations: []exportOp{}}
		for _, op := range ex.Operations {
			if op.EventID == ev.ID {
				l.Operations = append(l.Operations, op)
			}
		}
		out.Leads = append(out.Leads, l)
	}
	return out
}

// writeNameText writes out as text for the officer to check each lead:
// when it came, from whom, and what it holds, then how to erase hers.
func writeNameText(w io.Writer, out nameExport, clk clock) {
	fmt.Fprintf(w, "Leads whose contact name is %q (case and spacing aside): %d\n\n%s\n", out.Name, len(out.Leads), nameNotice)
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
	fmt.Fprintf(w, "\nNot searched: %s.\n", strings.Join(out.NotSearched, "; "))
	if len(ids) > 0 {
		fmt.Fprintf(w, "\nTo erase those of these leads with a name alone that are your client's, once checked: syncd erase -event %s "+
			"(give only hers)\n", strings.Join(ids, ","))
	}
}
