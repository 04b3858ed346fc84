package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/message"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// cellTime is a real Excel date-time cell (local wall time) in style id.
func cellTime(id int, t time.Time) excelize.Cell { return excelize.Cell{StyleID: id, Value: t} }

// dayTime is t as a real date-time cell in local wall time: hh:mm when it
// falls on the report's day (with its zone on a day the clocks change,
// whose repeated hour would else show twice alike), else with its date
// (and its zone where its clock could read two ways: otherDayAt).
func (b *book) dayTime(t time.Time) excelize.Cell {
	if t.Before(b.from) || !t.Before(b.to) {
		return cellTime(b.st.otherDayAt(t.In(b.loc)), t.In(b.loc))
	}
	return cellTime(b.st.clockAt(t.In(b.loc)), t.In(b.loc))
}

// fullTime is t as a real date-time cell in local wall time with its
// date, whatever its day (with its zone on a day the clocks change): the
// unprinted column of each detail sheet that keeps a row's day when the
// sheets of several days are pasted into one, where hh:mm alone read
// alike.
func (b *book) fullTime(t time.Time) excelize.Cell {
	return cellTime(b.st.datetimeAt(t.In(b.loc)), t.In(b.loc))
}

// cell is a value in style id.
func cell(id int, v any) excelize.Cell { return excelize.Cell{StyleID: id, Value: v} }

var feedColumns = []column{
	{Title: "Time", Min: 6, Max: 22}, // another day's time with its date, and its zone where it could read two ways (dayTime)
	{Title: "Source", Min: 8, Max: 14},
	{Title: "Agent", Min: 10, Max: 24},
	{Title: "Format", Min: 8, Max: 16},
	{Title: "Records changed", Min: 8, Max: 9},
	{Title: "Feed", Min: 10, Max: 50},
	{Title: "Date and time", Min: 17, Max: 22}, // Time with its date, for a week pasted together; it does not print
}

// feedPrintedCols is how many of the Feed imports sheet's columns print:
// not Date and time, the footer naming the day.
const feedPrintedCols = 6

// readFeeds emits the day's feed imports for the Feed imports sheet, at
// the time the sender gives.
func (b *book) readFeeds(ctx context.Context, emit func(row ...any) error) error {
	return eachOfKinds(ctx, b, func(s sender.Spec) ([]string, bool) { return s.Imports, s.Import != nil },
		func(s sender.Spec, r *EventRow) error {
			g := s.Import(r.JSON)
			at := orReceived(g.At, r.ReceivedAt).In(b.loc)
			b.sum.addFeed(feedImport{at: at, source: portalLabel(r.Source), agent: g.Agent, format: g.Format,
				feed: g.Feed, records: g.Records, recordsBad: g.RecordsBad})
			return emit(b.dayTime(at), portalLabel(r.Source), g.Agent, g.Format, records(b.st, g.Records, g.RecordsBad),
				link(b.st, "", g.Feed), b.fullTime(at))
		})
}

// records is a feed import's count of records changed in style: why it
// is none when the body's is no count (bad), as text.
func records(st styles, n int64, bad string) excelize.Cell {
	if bad != "" {
		return cell(st.id, bad)
	}
	return cell(st.id, n)
}

// eachOfKinds calls fn with every event of the day of the types that
// types picks from each sender kind with a reader for them (ok), kind by
// kind, in received order within each; it stops at fn's first error.
func eachOfKinds(ctx context.Context, b *book, types func(sender.Spec) ([]string, bool),
	fn func(sender.Spec, *EventRow) error) error {
	for _, s := range sender.All() {
		typs, ok := types(s)
		if !ok {
			continue
		}
		for _, typ := range typs {
			err := b.opts.Store.EachEvent(ctx, b.from, b.to, string(s.Kind), typ, func(r *EventRow) error {
				return fn(s, r)
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// attentionIntro marks the Needs attention sheet as the operator's, and
// says the operations given up by hand, which it lists too, need nobody:
// written before the rows are read, it holds whatever they turn out to be.
// Its second line says whose names the Source column shows: the
// configuration's, which the operator's commands take (syncd events list
// -source eaf), where the Leads sheet names the portal or sender a
// manager knows (Rightmove, Lokalebasen).
const attentionIntro = "For whoever runs syncd: what syncd could not deliver or read, each row with how to inspect it. " +
	"Rows given up by hand (syncd outbox give-up) need nothing more; " +
	"a lead with a field left out goes to the CRM without it, for whoever keeps the CRM to fill in.\n" +
	"Source is the source's name in syncd's configuration (sources:), the name syncd's commands take; " +
	"the Leads sheet names the portal or sender instead (Rightmove, Lokalebasen)."

var attentionColumns = []column{
	{Title: "Time", Min: 6, Max: 22}, // as the Feed imports sheet's
	{Title: "Problem", Min: 10, Max: 13},
	{Title: "ID", Min: 6, Max: 9},
	{Title: "Source", Min: 8, Max: 14},
	{Title: "Detail", Min: 10, Max: 20},
	{Title: "Reason", Min: 20, Max: 50, Stretch: true},
	{Title: "Lead", Min: 8, Max: 12}, // "lead" and 7 digits on one line
	{Title: "Inspect with", Min: 20, Max: 30},
	{Title: "Date and time", Min: 17, Max: 22}, // Time with its date, for a week pasted together; it does not print
}

// attentionPrintedCols is how many of the Needs attention sheet's columns
// print: not Date and time, the footer naming the day.
const attentionPrintedCols = 8

// InspectCommand is the command that shows one row that needs attention.
func InspectCommand(kind AttentionKind, id int64) string {
	switch kind {
	case AttentionQuarantined:
		return fmt.Sprintf("syncd events show -quarantined %d", id)
	case AttentionDead, AttentionGivenUp:
		return fmt.Sprintf("syncd outbox show %d", id)
	default:
		return fmt.Sprintf("syncd events show %d", id)
	}
}

// readAttention emits quarantined bodies, unmappable and unrecognised
// events, events of new types and dead operations for the Needs attention
// sheet; the last two kinds of event also raise alarms.
func (b *book) readAttention(ctx context.Context, emit func(row ...any) error) error {
	newTypes := map[string]int{}
	err := b.opts.Store.EachAttention(ctx, b.from, b.to, func(r *AttentionRow) error {
		b.sum.attention[r.Kind]++
		if r.Kind == AttentionNewType {
			newTypes[r.Detail]++
		}
		// The id centred: right-aligned, it read as part of the source
		// beside it ("1 eaf").
		return emit(b.dayTime(r.At), problem(r.Kind), cell(b.st.id, r.ID), r.Source, r.Detail,
			text(b.attentionReason(r)), b.leadCell(r.EventID, r.LeadAt), InspectCommand(r.Kind, r.ID),
			b.fullTime(r.At))
	})
	b.sum.alarms = append(b.sum.alarms, attentionAlarms(b.sum.num, b.sum.attention[AttentionUnrecognised], newTypes)...)
	return err
}

// attentionReason is a row's Reason: the store's, and for a lead mapped
// without a field, worded for the manager who reads it: what the CRM
// record lacks and why, and what to do. The words hold whether the lead
// is in the CRM yet or not (waiting while the CRM is down, or on the dry
// run, which sends nothing): the Leads sheet says which.
func (b *book) attentionReason(r *AttentionRow) string {
	if r.Kind != AttentionLeftOut {
		return r.Reason
	}
	// The source's name, not its kind: the phones a note names unquoted
	// are the CRM's, in E.164, which need no country to read.
	return "Goes to the CRM without a field: " + b.leftOut(r.Reason, r.Source) +
		". Fill it in the CRM by hand once the lead is there, or ask the sender to send it as documented."
}

// leftOut is the mapping's note of a lead (its map_error: the fields it
// left out of the lead's records, or why it made none), without the
// rule's name, which says nothing to a manager: `contact's email
// "kim@@x.dk" left out, not an address; ...`, `contact has no email and
// no phone`. The name is quoted as Go quotes it (%q): taken whole, though
// it holds ": ".
func leftOut(note string) string {
	rest, ok := strings.CutPrefix(note, "rule ")
	if !ok {
		return note
	}
	name, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return note
	}
	if after, ok := strings.CutPrefix(rest[len(name):], ": "); ok {
		return after
	}
	return note
}

// leftOut is the mapping's note (leftOut) with each phone it names
// unquoted, the CRM's, in E.164 ("the contact's is +4552250559"), written
// as the report writes a phone (Options.Phone, for a sender of kind):
// beside the lead's Phone cell, "+45 52 25 05 59", the same number read
// as eleven digits in a row to misdial. What the sender wrote, quoted,
// stays as written.
func (b *book) leftOut(note, kind string) string {
	note = leftOut(note)
	if b.opts.Phone == nil || !strings.Contains(note, "+") {
		return note
	}
	var out strings.Builder
	for i := 0; i < len(note); {
		switch c := note[i]; {
		case c == '"':
			if q, err := strconv.QuotedPrefix(note[i:]); err == nil {
				out.WriteString(q)
				i += len(q)
				continue
			}
		case c == '+' && (i == 0 || !isWordByte(note[i-1])):
			n := 1
			for i+n < len(note) && note[i+n] >= '0' && note[i+n] <= '9' {
				n++
			}
			if n >= 9 && n <= 16 && note[i+1] != '0' && (i+n == len(note) || !isWordByte(note[i+n])) {
				if p := b.opts.Phone(kind, note[i:i+n]); p != "" {
					out.WriteString(p)
					i += n
					continue
				}
			}
		}
		out.WriteByte(note[i])
		i++
	}
	return out.String()
}

// isWordByte reports whether c is an ASCII letter or digit: a number
// beside one is part of a longer word, not a phone.
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// problem is a row's kind as the Problem column says it: words, not the
// identifier ("new type", not "new_type"); an unmappable lead is
// "incomplete", as the Leads sheet, the Summary and the mail name it
// (statusLabel).
func problem(k AttentionKind) string {
	switch k {
	case AttentionNewType:
		return "new type"
	case AttentionUnmappable:
		return "incomplete"
	case AttentionGivenUp:
		return "given up"
	case AttentionLeftOut:
		return "field left out"
	}
	return string(k)
}

// attentionAlarms are the alarms for events no rule will ever see: bodies
// that do not fit their source's kind, and event types nobody maps yet.
// They are the day's own, so they carry no times.
func attentionAlarms(p *message.Printer, unrecognised int, newTypes map[string]int) []Alarm {
	var out []Alarm
	if unrecognised > 0 {
		fit := "their bodies do not fit their source's kind"
		if unrecognised == 1 {
			fit = "its body does not fit its source's kind"
		}
		short := plural(p, unrecognised, "unrecognised event", "unrecognised events")
		out = append(out, Alarm{Short: short,
			Text: short + ": " + fit + " (a sender posting to the wrong source?); see Needs attention"})
	}
	return append(out, newTypesAlarm(p, newTypes)...)
}

// newTypesNamed is how many new event types their alarm names; the others
// are counted, and listed under Needs attention.
const newTypesNamed = 5

// newTypesAlarm is the one alarm for the event types nobody maps yet,
// naming them, most events first: one alarm a type filled the Summary
// with banners when a sender started several.
func newTypesAlarm(p *message.Printer, newTypes map[string]int) []Alarm {
	types := sorted(newTypes, 0, strings.Compare) // sender's type names, not a person's
	switch len(types) {
	case 0:
		return nil
	case 1:
		name, them := syncd.ShownType(types[0].Name), "them"
		if types[0].N == 1 {
			them = "it"
		}
		return []Alarm{{Short: "new event type " + name,
			Text: "new event type " + name + ": " + plural(p, types[0].N, "event", "events") + ", no rule maps " + them}}
	}
	named := make([]string, 0, newTypesNamed+1)
	for i, c := range types {
		if i == newTypesNamed {
			named = append(named, p.Sprintf("and %d more (see Needs attention)", len(types)-i))
			break
		}
		named = append(named, syncd.ShownType(c.Name)+" ("+plural(p, c.N, "event", "events")+")")
	}
	short := plural(p, len(types), "new event type", "new event types")
	return []Alarm{{Short: short, Text: short + ", no rule maps them: " + strings.Join(named, ", ")}}
}

// leadCell names lead id, received at: a lead of the report's day links to
// its row on the Leads sheet, and says on a line of its own the time that
// sheet prints for it ("lead 24" over "(09:30)"), as the sheet does not
// print its leads' numbers: on paper, "lead 24" alone named a lead nobody
// could find. One of another day (an operation dead-lettered a day after
// its lead) is not on that sheet, and says its day instead, as text sized
// with its row ("lead 7 (1 Jun)"; with the year when it differs).
func (b *book) leadCell(id int64, at time.Time) any {
	if id == 0 || at.IsZero() {
		return leadLink(b.st, id, "")
	}
	local := at.In(b.loc)
	if !at.Before(b.from) && at.Before(b.to) {
		layout := "15:04"
		if b.st.zoned != nil { // as the Leads sheet's clock names it (zoneClocks)
			layout = "15:04 MST"
		}
		return leadLink(b.st, id, local.Format(layout))
	}
	layout := "2 Jan"
	if local.Year() != b.from.In(b.loc).Year() {
		layout = "2 Jan 2006"
	}
	return fmt.Sprintf("lead %d\n(%s)", id, local.Format(layout)) // the day whole on its line, not "(1" over "Jun)"
}

// leadLink links to lead id's row on the Leads sheet, found by its id
// ("lead 7 (another day)" should it not be there), naming the time that
// sheet prints for it (clock) on a line of its own when known.
func leadLink(st styles, id int64, clock string) any {
	if id == 0 {
		return ""
	}
	label := fmt.Sprintf("lead %d", id)
	shown, quoted := label, `"`+label+`"`
	if clock != "" {
		shown, quoted = label+"\n("+clock+")", quoted+`&CHAR(10)&"(`+clock+`)"`
	}
	ref := fmt.Sprintf("'%s'!$%s:$%s", SheetLeads, leadIDColumn, leadIDColumn)
	return excelize.Cell{
		StyleID: st.link,
		Formula: fmt.Sprintf(`IFERROR(HYPERLINK("#'%s'!A"&MATCH(%d,%s,0),%s),"%s (another day)")`,
			SheetLeads, id, ref, quoted, label),
		Value: shown,
	}
}
