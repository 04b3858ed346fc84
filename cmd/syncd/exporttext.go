package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Export formats: JSON for a program (Art. 20, portability), text for the
// person themselves (Art. 15: in an intelligible form).
const (
	exportJSON = "json"
	exportText = "text"
)

// writeExportText writes out as plain text for the person it is about:
// what was received from whom and when, what went to the CRM, which
// copies there are, how long each is kept, and what the export lacks.
// Every value the JSON holds of the person is here too, as field: value
// or in words; what the export lacks is said to the person (the JSON says
// it to the operator, in the configuration's terms).
func writeExportText(w io.Writer, out personExport, cfg *config.Config) error {
	p := &textDoc{w: w, clk: clockOf(cfg), enquiry: map[string]int64{}}
	for _, op := range out.Operations {
		if op.Kind == syncd.RecordDeal {
			p.enquiry[op.Key] = op.EventID
		}
	}
	p.line("What syncd holds about %s", out.Subject)
	p.line("Exported %s (times in %s).", p.clk.show(out.ExportedAt), p.clk.loc)
	p.line("")
	p.line("syncd receives the enquiries property portals pass on to the agency, sends them to the agency's customer")
	p.line("database (its CRM, %s), and lists them in a daily report for the agency's staff. Below is each thing it", crmName(cfg))
	p.line("holds about you. Numbers such as \"event 2\" or \"operation 3\" are syncd's references: quote one to ask about it.")
	p.events(out.Events, cfg)
	p.quarantined(out.Quarantined, cfg)
	p.operations(out.Operations, cfg)
	// The dry run's ids are its own, of no record in any CRM: listed
	// here, a person read that a CRM held a contact and deals of theirs.
	links := slices.DeleteFunc(slices.Clone(out.Links), func(l syncd.Link) bool { return l.Target == dryrun.Name })
	p.section("Records in the CRM linked to you", len(links))
	for _, l := range links {
		p.line("  - %s: id %s in %s", p.record(l.Kind, l.Key), l.CRMID, l.Target)
	}
	p.intents(out.Intents, cfg)
	p.section("Daily reports that list you", len(out.Reports))
	for _, r := range out.Reports {
		mailed := "not mailed"
		if r.MailedAt != nil {
			mailed = "mailed to the agency's staff at " + p.clk.show(*r.MailedAt)
		}
		where := r.Path
		if where == "" {
			where = "no longer kept by syncd"
		}
		p.line("  - the report of %s (%s), %s", r.Day, where, mailed)
	}
	p.backups(out.Backups, cfg)
	p.section("Erasures of your data", len(out.Erasures))
	for _, er := range out.Erasures {
		p.line("  - at %s syncd erased %s", p.clk.show(er.At), erasedForPerson(er))
		if s := othersForPerson(er); s != "" {
			p.line("     %s", s)
		}
		if er.FirstMadeAt != nil {
			p.line("     made again when syncd's database was put back from a backup taken before: syncd first erased you at %s",
				p.clk.show(*er.FirstMadeAt))
		}
		crm := crmName(cfg)
		switch sent := er.CRMSent; {
		case sent != nil && sent.Target != "":
			crm = sent.Target // the one it was sent to: the configured CRM may be another since
		case sent != nil && sent.NotHeldWhy == notHeldUnsent:
			crm = "the one it used then"
		}
		if s := crmSentToPerson(er, crm, p.clk); s != "" {
			p.line("     %s", s)
		}
		switch {
		case er.SubjectHash != "" && out.byEvents:
			p.line("     its record names them only by a keyed hash of syncd's numbers of the enquiries erased: %s", er.SubjectHash)
		case er.SubjectHash != "":
			p.line("     its record names you only by a keyed hash of the email or phone erased: %s", er.SubjectHash)
		}
	}
	p.kept(cfg.Retention, cfg.Report.KeepDays, out.byEvents)
	missing := missingCopies(cfg, out)
	p.section("Not included here", len(missing))
	for _, m := range missing {
		p.line("  - %s", m.person)
	}
	return p.err
}

// textDoc writes lines, keeping the first error.
type textDoc struct {
	w   io.Writer
	clk clock
	err error
	// enquiry is the event of each deal's key (the lead id) among the
	// operations exported: a deal is named by the enquiry it is for.
	enquiry map[string]int64
}

func (p *textDoc) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// section starts a heading with its count.
func (p *textDoc) section(title string, n int) {
	p.line("")
	p.line("%s: %d", title, n)
}

func (p *textDoc) events(list []exportEvent, cfg *config.Config) {
	p.section("Enquiries received", len(list))
	for i, e := range list {
		last := ""
		if !e.LastDeliveryAt.Equal(e.ReceivedAt) {
			last = ", last at " + p.clk.show(e.LastDeliveryAt)
		}
		kind := "" // a body that names no type of event (a Lokalebasen one may not): said as nothing, not ""
		if e.Type != "" {
			kind = syncd.ShownType(e.Type) + ", "
		}
		id := "" // the sender's id of the delivery, which syncd keeps to tell one sent again
		if e.DeliveryID != "" {
			id = ", the sender's id " + e.DeliveryID
		}
		p.line("  %d. %s from %s (%sevent %d%s), delivered %s%s", i+1, p.clk.show(e.ReceivedAt), sourceName(cfg, e.Source),
			kind, e.ID, id, syncd.Counted(e.Deliveries, "time", "times"), last)
		if e.MapError != "" {
			p.line("     %s: %s", mapStateWords(e.MapState), oneLine(e.MapError, 0))
		} else {
			p.line("     %s", mapStateWords(e.MapState))
		}
		if e.PayloadGone != "" {
			p.line("     its content is no longer held: %s", e.PayloadGone)
		}
		for _, f := range flatJSON(e.Payload) {
			p.line("     %s", f)
		}
	}
}

func (p *textDoc) quarantined(list []exportQuarantine, cfg *config.Config) {
	p.section("Enquiries syncd could not read (kept as received)", len(list))
	for i, q := range list {
		p.line("  %d. %s from %s (unreadable enquiry %d): %s", i+1, p.clk.show(q.ReceivedAt), sourceName(cfg, q.Source), q.ID, oneLine(q.Reason, 0))
		p.line("     as received: %s", bodyText(q.Body, 0))
		if q.BodyBase64 != "" {
			p.line("     some of its bytes are not text and show as \uFFFD here; the export for a program (-format json) holds them exactly")
		}
	}
}

func (p *textDoc) operations(list []exportOp, cfg *config.Config) {
	p.section(fmt.Sprintf("What was sent, or is to be sent, to the CRM (%s)", crmName(cfg)), len(list))
	for i, op := range list {
		id := ""
		if op.CRMID != "" {
			id = ", CRM id " + op.CRMID
		}
		in, state := "", opStateWords(op.State, op.DeadCause)
		switch {
		case op.Target == dryrun.Name: // its id is the dry run's own: it went to no CRM
			in, id = " for a trial run that sends nothing (it went to no CRM)", ""
			if op.State == syncd.OpDone {
				state = "recorded"
			}
		case op.Target != cfg.CRM.Kind:
			in = " in " + op.Target
		}
		p.line("  %d. %s%s, %s at %s%s (operation %d, from event %d)", i+1, p.record(op.Kind, op.Key), in,
			state, p.clk.show(op.UpdatedAt), id, op.ID, op.EventID)
		for _, k := range slices.Sorted(maps.Keys(op.Properties)) {
			p.line("     %s: %s", k, oneLine(op.Properties[k], 0))
		}
		if op.LastError != "" {
			p.line("     %s: %s", lastErrorWords(op.State, op.DeadCause), oneLine(op.LastError, 0))
		}
	}
}

// kept says how long each kind of data is kept (Art. 15(1)(d)), as the
// retention purge applies it: an enquiry and its CRM operations while they
// wait to be sent, then from when they were sent or the CRM refused them
// (it said "after they were sent" of those the CRM refused, and nothing
// of the erasure audit's keyed hash of the person's email or phone). The
// hash of an erasure of leads given by id (byEvents) is of their ids.
func (p *textDoc) kept(r config.Retention, reportDays int, byEvents bool) {
	days := func(n int, what string) string {
		if n == 0 {
			return "for ever"
		}
		return dayCount(n) + " " + what
	}
	untilSent := func(n int, until, after string) string {
		if n == 0 {
			return "for ever"
		}
		return fmt.Sprintf("until %s, then %s %s", until, dayCount(n), after)
	}
	p.line("")
	p.line("How long it is kept:")
	enquiries := untilSent(r.EventDays, "they are sent to the CRM", "after they were sent or the CRM refused them")
	if r.EventDays > 0 {
		enquiries += fmt.Sprintf(" (%s after they were received when syncd sends them nowhere)", dayCount(r.EventDays))
	}
	p.line("  - enquiries: %s", enquiries)
	p.line("  - enquiries syncd could not read: %s", days(r.QuarantineDays, "after they were last delivered"))
	p.line("  - what was sent to the CRM: %s", untilSent(r.OutboxDays, "it is sent", "after it was sent or the CRM refused it"))
	p.line("  - links to the CRM's records: %s", days(r.LinkDays, "after they were made"))
	p.line("  - a note of each record syncd asked the CRM to create for you: %s", days(r.OutboxDays, "after it asked"))
	p.line("  - daily reports: %s", days(reportDays, "after the day they list"))
	hash := "for ever"
	if r.ErasureDays > 0 {
		hash = "for " + dayCount(r.ErasureDays)
	}
	erased := "the email or phone it erased"
	if byEvents {
		erased = "syncd's numbers of the enquiries it erased"
	}
	p.line("  - a record of each erasure of your data: its time and counts for ever, with a keyed hash of %s %s", erased, hash)
}

// intents lists the creates syncd sent to a CRM for the person (the
// JSON's crm_create_intents): when each was asked, kept so that a create
// whose answer was lost is found there instead of made twice.
func (p *textDoc) intents(list []syncd.Intent, cfg *config.Config) {
	p.section(fmt.Sprintf("Records syncd asked the CRM (%s) to create for you", crmName(cfg)), len(list))
	if len(list) > 0 {
		p.line("  (a note of when it asked, kept so that a record the CRM made without answering is found there, not made twice)")
	}
	for _, in := range list {
		p.line("  - %s in %s, asked at %s", p.record(in.Kind, in.Key), in.Target, p.clk.show(in.SentAt))
	}
}

// record names a CRM record by its kind and key: a contact's key is the
// person's email or phone; a deal's is the reference syncd gives the
// enquiry it is for, which the deal holds in the CRM too. A deal was
// named "a deal with the key lokalebasen:sha256:3bf0...", a string the
// person could not tell the meaning of, nor which enquiry it was for.
func (p *textDoc) record(kind syncd.RecordKind, key string) string {
	switch kind {
	case syncd.RecordContact:
		return "a contact for " + oneLine(key, 0)
	case syncd.RecordDeal:
		enquiry := "an enquiry"
		if ev, ok := p.enquiry[key]; ok {
			enquiry = fmt.Sprintf("the enquiry of event %d", ev)
		}
		return fmt.Sprintf("a deal for %s (its reference, also on the deal in the CRM: %s)", enquiry, oneLine(key, 0))
	}
	return fmt.Sprintf("a %s with the key %s", oneLine(string(kind), 0), oneLine(key, 0))
}

// backups lists the backups syncd backup made that hold the person; on
// PostgreSQL, where syncd makes and knows none, it says which do instead
// of a count of 0.
func (p *textDoc) backups(list []madeBackup, cfg *config.Config) {
	if cfg.Store.Kind == config.StorePostgres {
		p.line("")
		p.line("Backups that hold your data: not known to syncd")
		p.line("  - the agency's backups and copies of syncd's database (%s) taken since your data came, for as long as the agency keeps them", pgBackupKinds)
		return
	}
	p.section("Backups that hold your data", len(list))
	for _, b := range list {
		p.line("  - %s, taken at %s", b.Path, p.clk.show(b.TakenAt))
	}
}

// opStateWords is an operation's state for a person, with why syncd
// stopped it when it did (cause): it said "not sent (the CRM refused it)"
// of one the agency's staff gave up, or whose contact could not be sent,
// and "sent" of one whose record was deleted in the CRM since.
func opStateWords(s syncd.OpState, cause syncd.DeadCause) string {
	switch {
	case s == syncd.OpDone && cause == syncd.DoneDeletedInCRM:
		return "sent (the record was deleted in the CRM since)"
	case s == syncd.OpDone:
		return "sent"
	case s == syncd.OpDead && cause.GivenUp():
		return "not sent (the agency's staff stopped it)"
	case s == syncd.OpDead && cause == syncd.DeadNoContact:
		return "not sent (the contact it belongs to could not be sent)"
	case s == syncd.OpDead && cause.OtherAccount():
		return "not sent (the agency moved to another account of its CRM first)"
	case s == syncd.OpDead:
		return "not sent (the CRM refused it)"
	default:
		return "waiting to be sent, last changed"
	}
}

// lastErrorWords introduces an operation's last error for a person: what
// the CRM answered when it refused it, else what the last attempt to send
// it met, which may be no answer at all (the CRM not reached). It said
// "the CRM answered: crm NETWORK: ... connection refused" of a lead
// waiting while the CRM could not be reached.
func lastErrorWords(s syncd.OpState, cause syncd.DeadCause) string {
	if s == syncd.OpDead && cause == "" {
		return "the CRM answered"
	}
	return "the last attempt to send it failed"
}

// mapStateWords is what became of an enquiry, for a person.
func mapStateWords(s syncd.MapState) string {
	switch s {
	case syncd.MapMapped:
		return "made into what is sent to the CRM (below)"
	case syncd.MapIgnored:
		return "not for the CRM: no rule sends this kind of enquiry there"
	case syncd.MapUnmappable:
		return "could not be made into records for the CRM"
	case syncd.MapUnrecognised:
		return "not for the CRM: it is not in the form its portal sends"
	default:
		return "not yet made into what is sent to the CRM"
	}
}

// crmName is the configured CRM's name, or "none yet" for the dry run.
func crmName(cfg *config.Config) string {
	if cfg.CRM.Kind == dryrun.Name {
		return "none: a trial that sends nothing"
	}
	return cfg.CRM.Kind
}

// sourceName is the portal behind the source name, as its sender calls
// itself (the source name itself when the configuration no longer has it).
func sourceName(cfg *config.Config, source string) string {
	if s, ok := cfg.Sources[source]; ok {
		if spec := sender.For(syncd.Kind(s.Kind)); spec != nil {
			return spec.Name
		}
	}
	return oneLine(source, 0) // as stored: a source since removed from the configuration
}

// flatJSON is a JSON document's leaves as "path: value" lines, in the
// sender's order (read token by token), nulls and empty strings left out.
func flatJSON(doc []byte) []string {
	if len(doc) == 0 {
		return nil
	}
	var out []string
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var walk func(prefix string) error
	walk = func(prefix string) error {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case json.Delim:
			n := 0
			for d.More() {
				key := fmt.Sprint(n + 1)
				if t == '{' {
					k, err := d.Token()
					if err != nil {
						return err
					}
					key = fmt.Sprint(k)
				}
				if err := walk(join(prefix, oneLine(key, 0))); err != nil { // a sender's name: on one line too
					return err
				}
				n++
			}
			_, err := d.Token() // the closing delimiter
			return err
		case nil:
			return nil
		default:
			if s := oneLine(fmt.Sprint(t), 0); s != "" {
				out = append(out, prefix+": "+s)
			}
			return nil
		}
	}
	walk("")
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// erasedForPerson is what the erasure er removed, in the words of the
// text's sections, each kind it removed none of left out: it said "1
// enquiries, 0 unreadable enquiries, 2 CRM operations, 2 CRM links and 0
// notes of records asked of the CRM erased; 1 CRM erase operations
// queued".
func erasedForPerson(er exportErasure) string {
	var what []string
	for _, k := range []struct {
		n         int
		one, many string
	}{
		{er.Events, "enquiry", "enquiries"},
		{er.Quarantined, "enquiry syncd could not read", "enquiries syncd could not read"},
		{er.Ops, "record of what was sent, or was to be sent, to the CRM", "records of what was sent, or was to be sent, to the CRM"},
		{er.Links, "link to a record in the CRM", "links to records in the CRM"},
		{er.Intents, "note of a record syncd asked the CRM to create", "notes of records syncd asked the CRM to create"},
	} {
		if k.n > 0 {
			what = append(what, syncd.Counted(k.n, k.one, k.many))
		}
	}
	switch len(what) {
	case 0:
		return "nothing: it held nothing about you then (the request is recorded all the same)"
	case 1:
		return what[0]
	}
	return strings.Join(what[:len(what)-1], ", ") + " and " + what[len(what)-1]
}

// crmSentToPerson tells the person how the agency's CRM (crm) was asked
// to erase them and how that went (er.CRMSent, from crmErasesSent), or
// that syncd did not ask it though it had linked records there; "" when
// syncd knew of none. It said only how many operations were queued, even
// long after the CRM had erased them.
func crmSentToPerson(er exportErasure, crm string, clk clock) string {
	sent := er.CRMSent
	if sent == nil {
		if er.Links > 0 {
			return fmt.Sprintf("syncd did not ask the agency's CRM (%s) to erase you: the agency erases you there itself", crm)
		}
		return ""
	}
	all := sent.parts()
	var parts []string
	for _, p := range all {
		n := ""
		if len(all) > 1 { // one part is all the requests: their count is said before it
			n = request(p.n) + " "
		}
		switch p.state {
		case string(syncd.OpDone):
			last := "at"
			if p.n > 1 {
				last = "the last at"
			}
			parts = append(parts, fmt.Sprintf("%sdone, the CRM confirmed it %s %s", n, last, clk.show(p.doneAt)))
		case string(syncd.OpPending):
			parts = append(parts, fmt.Sprintf("%sstill to be sent", n))
		case string(syncd.OpDead):
			numbers := "syncd's numbers for them"
			if p.n == 1 {
				numbers = "syncd's number for it"
			}
			parts = append(parts, fmt.Sprintf("%sfailed (%s: %s): the agency erases you there itself", n, numbers, p.ids))
		case notHeldUnsent:
			parts = append(parts, fmt.Sprintf("%swithdrawn before it was sent, when the agency stopped using that CRM: "+
				"the agency erases you there itself", n))
		default:
			parts = append(parts, fmt.Sprintf("%soutcome no longer kept by syncd: the agency can check in its CRM", n))
		}
	}
	return fmt.Sprintf("the agency's CRM (%s) was asked to erase you too, in %s: %s", crm, request(er.CRMErase), strings.Join(parts, "; "))
}

// request is n requests to the CRM, as the person reads them.
func request(n int) string {
	return syncd.Counted(n, "request", "requests")
}

// bodyText is a body as received, on one line (oneLine, at most limit
// runes), each byte of it that is not UTF-8 (a sender's ISO-8859-1) shown
// as U+FFFD, as the JSON export's body shows it: written as received, the
// text was no UTF-8, though it said those bytes show as U+FFFD.
func bodyText(body string, limit int) string {
	return oneLine(string([]rune(body)), limit)
}
