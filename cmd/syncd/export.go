package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// personExport is what `syncd export` prints: everything held about one
// person (GDPR Art. 15 access, Art. 20 portability), as JSON.
type personExport struct {
	Subject     string             `json:"subject"`
	ExportedAt  time.Time          `json:"exported_at"`
	Events      []exportEvent      `json:"events"`
	Quarantined []exportQuarantine `json:"quarantined_bodies"`
	Operations  []exportOp         `json:"crm_operations"`
	Links       []syncd.Link       `json:"crm_links"`
	Intents     []syncd.Intent     `json:"crm_create_intents"`
	Reports     []exportReport     `json:"reports"`
	Backups     []madeBackup       `json:"backups"` // copies syncd backup made since the person's data came: out of syncd's reach
	Erasures    []exportErasure    `json:"erasures"`
	// NotIncluded says what holds the person that syncd cannot read: the
	// export is not everything the controller holds.
	NotIncluded []string `json:"not_included"`
	// dealsKeyedSince is when the database began to record each deal
	// link's contact (dealLinksKeyedSince): zero when every deal link
	// names it.
	dealsKeyedSince time.Time
	// byEvents: the export of leads given by id (export -event), whose
	// erasures the audit keeps under a keyed hash of the events' ids, not
	// of an email or phone.
	byEvents bool
}

// exportReport is a workbook in report.dir of a day of the person's data:
// it lists them (erase makes it again without them).
type exportReport struct {
	Day string `json:"day"`
	// Path is the workbook in report.dir; none when it is no longer there
	// (past report.keep_days) and only its mailed copies list the person.
	Path string `json:"path,omitempty"`
	// MailedAt is when it was mailed to report.mail.to: copies syncd
	// cannot erase.
	MailedAt *time.Time `json:"mailed_at,omitempty"`
}

// exportErasure is one erasure of the person from the audit trail: when,
// what it removed, and whether it asked the CRM to erase them too.
type exportErasure struct {
	At          time.Time `json:"at"`
	SubjectHash string    `json:"subject_hash"` // as erase printed it on its audit line
	Events      int       `json:"events"`
	Quarantined int       `json:"quarantined_bodies"`
	Ops         int       `json:"crm_operations"`
	Links       int       `json:"crm_links"`
	Intents     int       `json:"crm_create_intents"`
	CRMErase    int       `json:"crm_erase_operations_queued"`
	// CRMSent is how the queued CRM erase operations went, as the outbox
	// holds them now (nil when none was queued).
	CRMSent *crmEraseSent `json:"crm_erase,omitempty"`
	// FirstMadeAt, of an erasure made again on a restored backup taken
	// before it (At: when made again), is when it was first made, as the
	// erasure log records it: when the person's request was carried out.
	FirstMadeAt *time.Time `json:"first_made_at,omitempty"`
	// OfOthers, of an erasure made with -others, is how much of it was
	// other contacts' leads that named the person (erasuresOfOthers).
	OfOthers *exportOthers `json:"of_other_contacts,omitempty"`
}

// crmEraseSent is how an erasure's CRM erase operations went: how many
// the CRM confirmed (done, the last at DoneAt), wait to be sent, or were
// given up (dead); NotHeld are those the outbox no longer holds, and
// NotHeldWhy says what syncd knows of them (notHeldRetention,
// notHeldUnsent). Export said
// "queued" for ever, the DPO left to guess whether the CRM had erased the
// person.
type crmEraseSent struct {
	// Target is the CRM the operations erase the person in (none when the
	// outbox holds none of them): the configured one may be another since.
	Target     string     `json:"crm,omitempty"`
	Done       int        `json:"done"`
	DoneAt     *time.Time `json:"last_done_at,omitempty"`
	Pending    int        `json:"pending"`
	Dead       int        `json:"dead"`
	DeadOps    []int64    `json:"dead_operations,omitempty"`
	NotHeld    int        `json:"no_longer_held"`
	NotHeldWhy string     `json:"no_longer_held_why,omitempty"`
}

// Why the outbox no longer holds some of an erasure's CRM erase
// operations (crmEraseSent.NotHeldWhy). The retention drops an operation
// retention.outbox_days after it was done or given up, and keeps no word
// of which; before those days have passed since the erasure (or with
// outbox_days 0, for ever) it cannot have, so they were removed unsent
// (syncd outbox drop -erasures, when the agency left that CRM): export
// said "dropped retention.outbox_days after done or given up" of those
// too, as though the CRM might have erased the person. (Had outbox_days
// been shorter when the purge ran, it may have dropped them after all: the
// operator's wording says so.)
const (
	notHeldRetention = "retention"      // dropped past retention.outbox_days: done or given up, syncd no longer knows which
	notHeldUnsent    = "removed_unsent" // removed before the retention could drop them: never confirmed by the CRM
)

// crmErasesSent fills in ers' CRMSent from the outbox: the erase
// operations of an erasure belong to the event of its own that the
// erasure made at its time (storesql.QueueCRMErase), which tells them
// from another erasure's; times in loc. keep is retention.outbox_days (0:
// for ever), now the time of the export: together they tell why an
// operation is no longer held.
func crmErasesSent(ctx context.Context, db store, ers []exportErasure, loc *time.Location, keep time.Duration, now time.Time) error {
	if !slices.ContainsFunc(ers, func(er exportErasure) bool { return er.CRMErase > 0 }) {
		return nil
	}
	ops, err := db.ListOps(ctx, syncd.OpFilter{Kind: syncd.RecordErase, Limit: -1})
	if err != nil {
		return err
	}
	at := map[int64]time.Time{} // an erase operation's event: its erasure's time
	for i := range ers {
		if ers[i].CRMErase == 0 {
			continue
		}
		sent := &crmEraseSent{}
		for _, op := range ops {
			t, ok := at[op.EventID]
			if !ok {
				ev, err := db.Event(ctx, op.EventID)
				if err != nil {
					return err
				}
				t, at[op.EventID] = ev.ReceivedAt, ev.ReceivedAt
			}
			if !t.Equal(ers[i].At) {
				continue
			}
			sent.Target = op.Target
			switch op.State {
			case syncd.OpDone:
				sent.Done++
				if d := op.UpdatedAt.In(loc); sent.DoneAt == nil || d.After(*sent.DoneAt) {
					sent.DoneAt = &d
				}
			case syncd.OpDead:
				sent.Dead++
				sent.DeadOps = append(sent.DeadOps, op.ID)
			default:
				sent.Pending++
			}
		}
		sent.NotHeld = max(0, ers[i].CRMErase-sent.Done-sent.Dead-sent.Pending)
		if sent.NotHeld > 0 {
			sent.NotHeldWhy = notHeldUnsent
			if keep > 0 && !now.Before(ers[i].At.Add(keep)) {
				sent.NotHeldWhy = notHeldRetention
			}
		}
		ers[i].CRMSent = sent
	}
	return nil
}

// crmErasePart is one part of how an erasure's CRM erase operations went,
// for export's two wordings (the operator's, crmSentSays; the person's,
// crmSentToPerson) to say in their own words: N operations in one state,
// with, when done, the last time, and, when dead, their ids.
type crmErasePart struct {
	state  string // syncd.OpDone, syncd.OpPending or syncd.OpDead, or notHeldRetention or notHeldUnsent
	n      int
	doneAt time.Time
	ids    string // the dead operations' ids, "12, 13"
}

// parts are sent's parts, in the order export says them: done, pending,
// dead, no longer held; a state with no operation is left out.
func (sent *crmEraseSent) parts() []crmErasePart {
	var out []crmErasePart
	if sent.Done > 0 {
		out = append(out, crmErasePart{state: string(syncd.OpDone), n: sent.Done, doneAt: *sent.DoneAt})
	}
	if sent.Pending > 0 {
		out = append(out, crmErasePart{state: string(syncd.OpPending), n: sent.Pending})
	}
	if sent.Dead > 0 {
		ids := make([]string, len(sent.DeadOps))
		for i, id := range sent.DeadOps {
			ids[i] = strconv.FormatInt(id, 10)
		}
		out = append(out, crmErasePart{state: string(syncd.OpDead), n: sent.Dead, ids: strings.Join(ids, ", ")})
	}
	if sent.NotHeld > 0 {
		why := sent.NotHeldWhy
		if why == "" {
			why = notHeldRetention
		}
		out = append(out, crmErasePart{state: why, n: sent.NotHeld})
	}
	return out
}

// crmSentSays is what export says to the operator of how an erasure's CRM
// erase operations went (sent nil: none was queued), clk showing times.
func crmSentSays(sent *crmEraseSent, clk clock) string {
	if sent == nil {
		return "no CRM erase queued"
	}
	var said []string
	for _, p := range sent.parts() {
		switch p.state {
		case string(syncd.OpDone):
			last := "at"
			if p.n > 1 {
				last = "the last at"
			}
			said = append(said, fmt.Sprintf("%d done (the CRM confirmed it %s %s)", p.n, last, clk.show(p.doneAt)))
		case string(syncd.OpPending):
			said = append(said, fmt.Sprintf("%d not sent yet (syncd outbox list -state pending; the daemon sends them, or syncd sync)", p.n))
		case string(syncd.OpDead):
			said = append(said, fmt.Sprintf("%d given up, the CRM may still hold the person (syncd outbox show %s says why; "+
				"syncd outbox retry sends it again)", p.n, p.ids))
		case notHeldUnsent:
			said = append(said, fmt.Sprintf("%d removed from the outbox unsent (syncd outbox drop -erasures, when syncd left that CRM; "+
				"younger than retention.outbox_days, unless that was shorter then), never confirmed by the CRM: "+
				"erase the person there by hand if not done yet", p.n))
		default:
			said = append(said, fmt.Sprintf("%d no longer held by syncd (dropped retention.outbox_days after done or given up: "+
				"whether the CRM erased the person is no longer known; look there)", p.n))
		}
	}
	return strings.Join(said, "; ")
}

type exportEvent struct {
	ID     int64  `json:"id"`
	Source string `json:"source"`
	Type   string `json:"type"`
	// DeliveryID is the sender's id of the delivery (eaf_id), which syncd
	// keeps to tell a delivery sent again; none when the sender gives none.
	DeliveryID     string          `json:"delivery_id,omitempty"`
	ReceivedAt     time.Time       `json:"received_at"`
	LastDeliveryAt time.Time       `json:"last_delivery_at"`
	Deliveries     int             `json:"deliveries"`
	MapState       syncd.MapState  `json:"map_state"`
	MapError       string          `json:"map_error,omitempty"`
	Payload        json.RawMessage `json:"payload,omitempty"` // the body as standard JSON
	// PayloadGone says why there is no payload: the retention purged the
	// body (the event is found by its CRM operations, kept longer).
	PayloadGone string `json:"payload_gone,omitempty"`
}

type exportQuarantine struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"`
	ReceivedAt time.Time `json:"received_at"`
	Reason     string    `json:"reason"`
	Body       string    `json:"body"` // as received (it did not parse), as text: bytes that are not UTF-8 show as U+FFFD
	// BodyBase64 is the body's exact bytes, when they are not UTF-8 (a
	// sender writing ISO-8859-1): the text above lost them.
	BodyBase64 string `json:"body_base64,omitempty"`
}

type exportOp struct {
	ID         int64             `json:"id"`
	EventID    int64             `json:"event_id"`
	Target     string            `json:"target"`
	Kind       syncd.RecordKind  `json:"kind"`
	Key        string            `json:"key"`
	State      syncd.OpState     `json:"state"`
	CRMID      string            `json:"crm_id,omitempty"`
	Properties map[string]string `json:"properties"`
	LastError  string            `json:"last_error,omitempty"` // what the CRM said of a failed send: it may name the person
	// DeadCause is why syncd itself stopped it (given up by hand, its
	// contact dead, another CRM account), or that its record was deleted in
	// the CRM since it was done; none when the CRM refused it.
	DeadCause syncd.DeadCause `json:"dead_cause,omitempty"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// cmdExport prints everything syncd holds about one person, or writes it
// to a new file: export -email ADDR | -phone NUMBER [-out FILE].
func cmdExport(ctx context.Context, c *cli) int {
	fs := c.flags("export")
	file := fs.String("config", defaultConfig, "configuration file")
	emailFlag, phoneFlag := subjectFlags(fs)
	email, phone := &emailFlag.value, &phoneFlag.value
	outFile := fs.String("out", "", "write the export to this new file, readable by its owner only (an existing file is refused), not to stdout")
	format := fs.String("format", exportJSON, "json (for a program, Art. 20) or text (for the person to read, Art. 15)")
	byName := exportNameFlags(fs) // a client known by name alone (exportname.go)
	if err := parseOnlyFlags(fs, c.args, subjectHint); err != nil {
		return c.flagsStatus(fs, err, exportExits()...)
	}
	if err := givenOnce("export", emailFlag, phoneFlag); err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	if *format != exportJSON && *format != exportText {
		c.errorf("-format %q: give json (for a program) or text (for the person to read)", *format)
		return exitUsage
	}
	if byName.given() {
		return c.exportByName(ctx, *file, byName, *email, *phone, *outFile, *format)
	}
	if err := c.subjectArgs(ctx, email, phone); err != nil {
		return c.subjectArgsStatus("export", err)
	}
	if *outFile != "" {
		if err := checkNewFile(*outFile); err != nil {
			c.errorf("-out: %v", err)
			return exitUsage
		}
	}
	return c.withReader(ctx, *file, func(cfg *config.Config, db *backend) int {
		s, err := newSubject(cfg, *email, *phone)
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		return c.exportPerson(ctx, cfg, db, s, *email, *phone, *outFile, *format)
	})
}

// exportPerson prints everything db holds about s (given as -email email,
// -phone phone) in format, or writes it to the new file outFile, read
// once: what it says of other contacts' leads is of those it hands over.
func (c *cli) exportPerson(ctx context.Context, cfg *config.Config, db store, s syncd.Subject, email, phone, outFile, format string) int {
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		return c.fail(err)
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
	others, err := otherContacts(cfg, email, phone, s, pd)
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	if len(others) > 0 { // their links are theirs, as erase keeps them
		pd = othersDropped(pd, slices.Sorted(maps.Keys(others)))
		c.errorf("other contacts' leads name the person in their message (%s): "+
			"they hold those people's data too (names, emails, phones): remove it before handing this over", contactList(others))
	}
	out, code := c.writePersonExport(ctx, cfg, db, lg, s, pd, s.ID, format, outFile)
	if code != exitOK {
		return code
	}
	refusedEmailSaid(c.stderr, "syncd export: ", refusedEmail(s, pd))
	for _, er := range out.Erasures {
		again := ""
		if er.FirstMadeAt != nil {
			again = " (made again on the database put back from a backup; first made at " + clockOf(cfg).show(*er.FirstMadeAt) + ")"
		}
		c.errorf("erased at %s%s: %s", clockOf(cfg).show(er.At), again, erasedWhat(er, clockOf(cfg)))
	}
	exportFoundNothing(c.stderr, out, email, phone, searched(cfg))
	if strings.TrimSpace(phone) == "" {
		shared, err := phonesElsewhere(ctx, cfg, db, s, ownPhones(s, pd), foundEvents(pd))
		if err != nil {
			c.errorf("the export is written; looking for the person's phone on other leads: %v", err)
		}
		samePhoneSaid(c.stderr, "export", shared)
	}
	c.errorf("not included, out of syncd's reach (not_included): %s", strings.Join(out.NotIncluded, "; "))
	if unread != nil {
		c.logUnreadSaid(unread)
		return exitAttention
	}
	return exitOK
}

// exportFoundNothing says so when out holds nothing at all under the
// email and phone given: an address mistyped (a letter swapped, another
// domain) finds no one, and the export's empty lists read as "syncd holds
// nothing about the person", which is what the DPO would answer them.
// Erase says the same of an erasure that found nothing. in names the
// database read (searched).
func exportFoundNothing(w io.Writer, out personExport, email, phone, in string) {
	if len(out.Events)+len(out.Quarantined)+len(out.Operations)+len(out.Links)+len(out.Intents)+
		len(out.Reports)+len(out.Backups)+len(out.Erasures) > 0 {
		return
	}
	given := "email"
	switch {
	case email != "" && phone != "":
		given = "email and phone"
	case phone != "":
		given = "phone"
	}
	try := "try the person's phone too, -phone"
	switch {
	case email != "" && phone != "":
		try = "an address with a letter swapped or another domain finds no one"
	case email != "":
		try = "an address with a letter swapped or another domain finds no one; " + try
	default:
		try = "try the person's email too, -email"
	}
	fmt.Fprintf(w, "syncd export: nothing found: syncd holds nothing under the %s given, and records no erasure of it "+
		"(is it written as the person gave it? %s): check it before telling the person that syncd holds nothing about them\n", given, try)
	if in != "" {
		fmt.Fprintf(w, "syncd export: searched: %s\n", in)
	}
}

// writePersonExport writes the export of pd under the heading id (in
// format, or to the new file outFile), with the reports and backups that
// hold it and what it leaves out, and returns it with the exit status;
// lg is the erasure log beside the database, as the export read it.
func (c *cli) writePersonExport(ctx context.Context, cfg *config.Config, db store, lg erasureLog, s syncd.Subject, pd syncd.PersonData,
	id, format, outFile string) (personExport, int) {
	out := newPersonExport(id, time.Now(), clockOf(cfg).loc, pd)
	out.byEvents = len(s.Events) > 0
	var err error
	if out.Reports, err = personReports(ctx, cfg, db, pd); err != nil {
		return out, c.fail(err)
	}
	if out.Backups, err = personBackups(ctx, db, cfg, lg, s, pd); err != nil {
		return out, c.fail(err)
	}
	out.dealsKeyedSince = dealLinksKeyedSince(ctx, db)
	erasuresFirstMade(lg, out.Erasures)
	erasuresOfOthers(lg, out.Erasures)
	keep := time.Duration(cfg.Retention.OutboxDays) * 24 * time.Hour
	if err = crmErasesSent(ctx, db, out.Erasures, clockOf(cfg).loc, keep, out.ExportedAt); err != nil {
		return out, c.fail(err)
	}
	out.NotIncluded = notIncluded(cfg, out)
	return out, c.writeExport(out, cfg, format, outFile)
}

// writeExport prints out in format (indented JSON, or text) on stdout, or,
// with file, writes it to that new file, created readable by its owner
// only, and prints its name.
func (c *cli) writeExport(out personExport, cfg *config.Config, format, file string) int {
	var b bytes.Buffer
	if format == exportText {
		if err := writeExportText(&b, out, cfg); err != nil {
			return c.fail(err)
		}
	} else {
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return c.fail(err)
		}
	}
	if file == "" {
		if _, err := c.stdout.Write(b.Bytes()); err != nil {
			return c.fail(err)
		}
		c.othersMayRead()
		return exitOK
	}
	return c.writeOut(file, b.Bytes())
}

// othersMayRead warns when stdout is a file that other users may read
// (export > jane.json under the usual umask 022): it holds the person's
// data.
func (c *cli) othersMayRead() {
	c.stdoutOthersMayRead("the person's data", "chmod 600 it, or use -out FILE, which makes a file only its owner reads")
}

// leadDataOthersMayRead warns, as othersMayRead does, when stdout is a
// file others may read after a command printed a lead's personal data to
// it (events show ID > FILE, the daemon's own advice for saving a
// quarantined body, outbox show, map): the shell made it 0644.
func (c *cli) leadDataOthersMayRead() {
	c.stdoutOthersMayRead("a lead's personal data", "chmod 600 it, and run such commands under umask 077, which makes a file only its owner reads")
}

// stdoutOthersMayRead says on stderr that stdout went to a regular file
// others may read, holding what, and what to do (advice).
func (c *cli) stdoutOthersMayRead(what, advice string) {
	f, ok := c.stdout.(*os.File)
	if !ok {
		return
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		c.errorf("the file stdout went to may be read by other users (mode %04o) and holds %s: %s",
			st.Mode().Perm(), what, advice)
	}
}

// checkNewFile refuses, before any work, a file -out cannot be: one that
// exists (the export is personal data, written only to a new file, never
// over another) or in a directory that does not exist (a typo).
func checkNewFile(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return existsError(path)
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("no directory %s to write %s in: create it first", dir, filepath.Base(path))
	}
	return nil
}

func existsError(path string) error {
	return fmt.Errorf("%s exists: the export is written to a new file only; give another name, or remove that file first", path)
}

// newPersonExport is pd as printed, times in loc (the report's zone).
func newPersonExport(id string, at time.Time, loc *time.Location, pd syncd.PersonData) personExport {
	out := personExport{Subject: id, ExportedAt: at.In(loc), Links: pd.Links,
		Events: []exportEvent{}, Quarantined: []exportQuarantine{}, Operations: []exportOp{}}
	if out.Links == nil {
		out.Links = []syncd.Link{}
	}
	out.Intents, out.Erasures = []syncd.Intent{}, []exportErasure{}
	for _, er := range pd.Erasures {
		out.Erasures = append(out.Erasures, exportErasure{At: er.At.In(loc), SubjectHash: er.SubjectHash, Events: er.Events, Quarantined: er.Quarantined,
			Ops: er.Ops, Links: er.Links, Intents: er.Intents, CRMErase: er.CRMOps})
	}
	for _, in := range pd.Intents {
		in.SentAt = in.SentAt.In(loc)
		out.Intents = append(out.Intents, in)
	}
	for _, e := range pd.Events {
		ev := exportEvent{ID: e.ID, Source: e.Source, Type: e.Type, DeliveryID: syncd.DeliveryID(e.Key), ReceivedAt: e.ReceivedAt.In(loc),
			LastDeliveryAt: e.LastDeliveryAt.In(loc), Deliveries: e.Deliveries, MapState: e.MapState, MapError: e.MapError}
		if json.Valid(e.Payload) {
			ev.Payload = e.Payload
		} else {
			ev.PayloadGone = eventGone(e).say(clock{loc: loc})
		}
		out.Events = append(out.Events, ev)
	}
	for _, q := range pd.Quarantined {
		eq := exportQuarantine{ID: q.ID, Source: q.Source, ReceivedAt: q.ReceivedAt.In(loc), Reason: q.Reason, Body: string(q.Body)}
		if !utf8.Valid(q.Body) {
			eq.BodyBase64 = base64.StdEncoding.EncodeToString(q.Body)
		}
		out.Quarantined = append(out.Quarantined, eq)
	}
	for _, op := range pd.Ops {
		out.Operations = append(out.Operations, exportOp{ID: op.ID, EventID: op.EventID, Target: op.Target,
			Kind: op.Kind, Key: op.Key, State: op.State, CRMID: op.CRMID, Properties: op.Properties, LastError: op.LastError,
			DeadCause: op.DeadCause, UpdatedAt: op.UpdatedAt.In(loc)})
	}
	return out
}

// personReports are the workbooks in report.dir of the days erase would
// make again for pd: those the person's events and quarantined bodies
// were received on, and those a failed operation of theirs failed on (the
// Needs attention sheet shows the CRM's error). An erased lead (export
// -event of one) names none: its erase made its day's workbook again
// without it, and named the mailed copies then.
func personReports(ctx context.Context, cfg *config.Config, db store, pd syncd.PersonData) ([]exportReport, error) {
	var times []time.Time
	for _, e := range pd.Events {
		if e.ErasedAt.IsZero() {
			times = append(times, e.ReceivedAt)
		}
	}
	for _, q := range pd.Quarantined {
		if q.ErasedAt.IsZero() {
			times = append(times, q.ReceivedAt)
		}
	}
	for _, op := range pd.Ops {
		if op.State == syncd.OpDead {
			times = append(times, op.UpdatedAt)
		}
	}
	loc := clockOf(cfg).loc
	out := []exportReport{}
	for _, d := range reportDays(times, loc) {
		p := filepath.Join(cfg.Report.Dir, d.FileName())
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			p = "" // kept if mailed: the mailed copies list the person
		}
		out = append(out, exportReport{Day: d.String(), Path: p})
	}
	if len(out) == 0 {
		return out, nil
	}
	slices.SortFunc(out, func(a, b exportReport) int { return strings.Compare(a.Day, b.Day) })
	recs, err := db.Reports(ctx, out[0].Day)
	if err != nil {
		return nil, err
	}
	for i := range out {
		j := slices.IndexFunc(recs, func(r syncd.ReportRecord) bool { return r.Day == out[i].Day })
		// A mail sent before anything of the person's day came (a report
		// of a day not over, mailed by hand) holds none of it, as erase
		// says (mailedCopies): it was given as a mailed copy listing them.
		if j >= 0 && !recs[j].MailedAt.IsZero() && slices.ContainsFunc(times, func(t time.Time) bool {
			return report.DayOf(t, loc).String() == out[i].Day && !t.After(recs[j].MailedAt)
		}) {
			at := recs[j].MailedAt.In(loc)
			out[i].MailedAt = &at
		}
	}
	// A day whose workbook is gone from report.dir (past report.keep_days,
	// or deleted by hand) is left out unless it was mailed: it was, before,
	// and the mails that carried the person's name went unsaid.
	return slices.DeleteFunc(out, func(r exportReport) bool { return r.Path == "" && r.MailedAt == nil }), nil
}

// notIncluded is what may hold the person that the export cannot
// include, as the JSON says it: see missingCopies.
func notIncluded(cfg *config.Config, ex personExport) []string {
	var out []string
	for _, m := range missingCopies(cfg, ex) {
		out = append(out, m.operator)
	}
	return out
}

// missingCopy is one thing that may hold the person out of the export's
// reach, said to the operator (the JSON, in the configuration's and the
// JSON's terms) and to the person (the text export's letter).
type missingCopy struct{ operator, person string }

// missingCopies is what may hold the person that the export cannot
// include: the CRM's records (the configured CRM's, another's that ex's
// links name, and that of an erasure whose CRM erasure is not confirmed:
// after a move to another CRM, the earlier one may hold the person still,
// and the export named it nowhere), the mailed workbooks, copies syncd did
// not make, and the debug logs.
func missingCopies(cfg *config.Config, ex personExport) []missingCopy {
	reports := ex.Reports
	targets := []string{}
	if cfg.CRM.Kind != dryrun.Name {
		targets = append(targets, cfg.CRM.Kind)
	}
	holders := []string{}
	for _, l := range ex.Links {
		holders = append(holders, l.Target)
	}
	unsentTo := false // an erasure removed unsent from a CRM the outbox no longer names
	for _, er := range ex.Erasures {
		if s := er.CRMSent; s != nil && s.Target != "" && s.Pending+s.Dead+s.NotHeld > 0 {
			holders = append(holders, s.Target)
		} else if s != nil && s.NotHeldWhy == notHeldUnsent {
			unsentTo = true
		}
	}
	for _, h := range holders {
		if h != dryrun.Name && !slices.Contains(targets, h) {
			targets = append(targets, h)
		}
	}
	var out []missingCopy
	for _, t := range targets {
		out = append(out, missingCopy{
			fmt.Sprintf("what %s holds on the person now (the records crm_links name, and what salespeople added or changed there): export it from %s", t, t),
			fmt.Sprintf("what the agency's CRM, %s, holds on you now, with what its staff added or changed there: the agency exports it from %s", t, t)})
	}
	out = append(out, olderDealsMissing(cfg, ex.Links, ex.ExportedAt, ex.dealsKeyedSince)...)
	if unsentTo {
		out = append(out, missingCopy{"the CRM syncd sent to before crm.kind changed, where an erasure's CRM erase was removed unsent " +
			"(erasures: crm_erase no_longer_held_why removed_unsent): export the person from it, and erase them there",
			"the CRM the agency used before, where syncd's request to erase you was withdrawn before it was sent"})
	}
	if len(cfg.Report.Mail.To) > 0 || slices.ContainsFunc(reports, func(r exportReport) bool { return r.MailedAt != nil }) {
		out = append(out, missingCopy{"the workbooks mailed to report.mail.to (reports with mailed_at): the copies in the recipients' mailboxes",
			"the daily reports mailed to the agency's staff: the copies in their mailboxes"})
	}
	if cfg.Store.Kind == config.StorePostgres {
		out = append(out, missingCopy{"the workbooks in the other instances' report.dir, on their hosts (reports lists this host's, in " + cfg.Report.Dir +
			"; each instance makes its own copies again after an erase): unless report.dir is shared, look there too",
			"the copies of the daily reports kept on the agency's other servers running syncd"})
	}
	return append(out, missingCopy{"workbooks made with syncd report -out, and " + unknownCopies(cfg),
		"reports the agency's staff made by hand, and copies of syncd's data made other than by syncd itself (the agency's own backups)"},
		missingCopy{"log lines at debug level (syncd logs no personal data above it), kept as long as the journal keeps them",
			"syncd's detailed log, which names people only when the agency switches it on to find a fault, kept as long as the server keeps its logs"})
}

// erasedWhat is what one erasure removed, as erase printed it, and
// whether it asked the CRM too, and how that went.
func erasedWhat(er exportErasure, clk clock) string {
	crm := "no CRM erase queued"
	if er.CRMErase > 0 {
		crm = fmt.Sprintf("CRM erase queued (%s)", syncd.Counted(er.CRMErase, "operation", "operations"))
		if er.CRMSent != nil {
			crm += ", " + crmSentSays(er.CRMSent, clk)
		}
	}
	return erasedCounts(er.Events, er.Quarantined, er.Ops, er.Links, er.Intents) + othersSaid(er) + "; " + crm
}
