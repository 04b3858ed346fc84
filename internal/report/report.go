// Package report makes the daily Excel workbook of leads and portal
// failures (xuri/excelize/v2), keeps it in the reports directory and mails
// it.
//
// Make builds the workbook for one calendar day in the report's time zone:
// sheets Summary, Leads, Portal failures, Feed imports and Needs attention,
// and Portals and sources on a day of more portals or lead sources than
// the Summary lists.
// The detail sheets go through excelize's StreamWriter: one goroutine per
// sheet reads its rows from the Store and turns them into cells, and one
// goroutine writes them, so the summary is counted on the way and memory
// stays flat however many leads the day had. The file is written atomically
// (a temporary file renamed into place), recorded in the store, and mailed
// with bounded retries; a mail failure never loses the file. Scheduler runs
// Make on a cron schedule and catches up the days it missed while down.
//
// The Store interface and its row types live here, on the consumer side;
// internal/sqlite implements them, and this package does not import it.
package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/schedule"
)

// DefaultZone is the report's time zone unless configured.
const DefaultZone = "Europe/Copenhagen"

// Mailer sends a message, as plain text and as HTML (html "" for text
// only), with files attached. internal/mail implements it.
type Mailer interface {
	SendHTML(ctx context.Context, subject, text, html string, attachments ...string) error
}

// CRMWeb holds address templates of one CRM's web pages for its records;
// "{id}" is replaced by the record's CRM id. An empty template means no link.
type CRMWeb struct {
	Contact string // e.g. https://app.hubspot.com/contacts/PORTAL/record/0-1/{id}
	Deal    string // e.g. https://app.hubspot.com/contacts/PORTAL/record/0-3/{id}
}

// Options configure Make and Scheduler. Store is required; so is Dir unless
// Out is set.
type Options struct {
	Store    Store
	Dir      string         // reports directory, created 0750 if missing
	Location *time.Location // report time zone; default Europe/Copenhagen
	// Agency names the agency the report is of (the configuration's
	// agency): the mail's subject, its text and HTML, the Summary's title
	// and every printed page's header name it, so that an integrator
	// copied on several agencies' reports tells them apart. "" names none.
	Agency string
	// Out, when set, is the file to write instead of Dir/leads-DAY.xlsx;
	// such a report is neither recorded, pruned nor mailed (syncd report
	// -out).
	Out string
	// Keep is how many days of reports to keep in Dir, by the day in the
	// file name: after each report, leads-*.xlsx files of days before
	// today minus Keep are deleted. 0 keeps them all.
	Keep int
	// Again makes the day's report again, without mail (erase and the
	// purge, after dropping what it listed): its record keeps when it was
	// first made (Record.Again), and it shows the alarms recorded with it
	// (Record.Alarms), not those Alarms returns now.
	Again bool
	// CRM is the configured CRM's target name (crm.kind: "hubspot",
	// "pipedrive", "dryrun"). A lead's CRM status, target and ids come
	// from its operations for this CRM when it has any, so that a lead
	// replayed to a new CRM is not shown waiting on the old one's leftover
	// operations; a lead with none for it shows those it has. "" reads
	// every operation alike.
	CRM string
	// CRMWeb links CRM ids to the CRM's web pages, by target name
	// ("hubspot", "pipedrive").
	CRMWeb map[string]CRMWeb
	// Mailer, when set, mails each report made into Dir.
	Mailer Mailer
	// MailAttempts bounds the tries per report (default 5); MailBackoff is
	// the wait after the first failure, doubled after each (default 1m).
	MailAttempts int
	MailBackoff  time.Duration
	// LeaveWaiting, for a command that tries once (syncd report -mail),
	// leaves the recipients the server refused only for now (greylisting)
	// recorded for the daemon to mail again alone, at its next report run
	// or start, rather than given up after that one attempt.
	LeaveWaiting bool
	// SaysMail, for a command that says itself how the mail went (syncd
	// report -mail, from the error Make returns: partly refused, refused,
	// not reached), logs the mail's failure at debug only, not as a
	// warning too: the server's answer was on its stderr twice.
	SaysMail bool
	// RetryAfter is how long the scheduler waits to try again after a run
	// that failed (a full or unwritable reports directory, say), doubled
	// after each failure up to RetryAtMost (default 10m).
	RetryAfter time.Duration
	// Told, when set, says whether a failed run's error is the database's
	// outage, which the daemon's outage log says (once, with reminders and
	// its end): the scheduler then logs no line of its own for it, where
	// a run that met the server's stop was an error line beside them.
	Told func(error) bool
	// NotMade, when set, is told after each of the scheduler's runs the
	// oldest due day whose report it could not make (the reports
	// directory not written, the disk full), since when its runs have
	// failed to, and why; "", zero and nil once every due report is made.
	// Nobody has that day's report meanwhile, and the runs' errors were
	// in the log alone: status said the report before it, exit 0.
	NotMade func(day string, since time.Time, err error)
	// Alarms, when set, returns what needs an operator now (a CRM adapter
	// paused on a rejected token, say): each that concerns the report's day
	// is shown first, in the Summary sheet and in the mail.
	Alarms func(ctx context.Context) ([]Alarm, error)
	// HTMLText turns a lead's HTML message into text with its line breaks
	// (internal/mapping's HTMLText, the one the mappings use). Without it
	// the flattened variant of a message is shown, and HTML as it came.
	HTMLText func(html string) string
	// SplitName splits a lead's whole name into first and last name
	// (internal/mapping's SplitName, the one the mappings use), for the
	// leads whose name syncd did not send split to the CRM. Without it
	// the whole name is shown as the first name.
	SplitName func(full string) (first, last string)
	// Phone shows a lead's phone (sent to the CRM in E.164, "+4552250559",
	// or as the sender of kind wrote it) in the international format,
	// "+45 52 25 05 59", reading a number without a country code as the
	// mappings do (cmd/syncd wires internal/mapping's International with
	// each source's default_country): one form a manager reads and dials
	// from paper, for every lead. "" shows it as written (no phone number,
	// a note after it). Without Phone a phone is shown as it is.
	Phone func(kind, phone string) string
	// Installed is when this installation started; the scheduler makes no
	// report of a day that ended before it, and a report of such a day (by
	// hand), or of the day it began, says so. Zero means no such limit.
	Installed time.Time
	// Ran, when set, returns the spans of time a daemon ran to receive
	// (on PostgreSQL, any instance), in order: a report of a day it
	// missed a part of says when (Down). Nil says nothing of it.
	Ran func(ctx context.Context) ([]Span, error)
	Log zerolog.Logger
	Now func() time.Time // default time.Now, or Clock's Now when Clock is set
	// Clock is what the scheduler's runs are timed by (default
	// schedule.System()); Now must read the same wall clock.
	Clock schedule.Clock
	// Progress, if set, is told of the rows written as they are (for the
	// progress line of `syncd report` on a big day). It must not block.
	Progress func(rows int)
	// BackupTaken and RestoredAt are set when the database is a backup
	// taken at BackupTaken and restored, first served at RestoredAt: it
	// does not record the reports made between the two, whose workbooks
	// are not made or mailed again (see Scheduler.Due), and holds no record
	// of the runs between the two (Ran), in which syncd received.
	BackupTaken, RestoredAt time.Time
	// unrecorded, set by the Scheduler, keeps the mailings the store did
	// not take.
	unrecorded *unrecorded
	// retried, set by the Scheduler, leaves a mail the server did not take
	// for now after MailAttempts pending for its next retry (keepPending),
	// where a command records it failed.
	retried bool
}

func (o *Options) defaults() error {
	if o.Store == nil {
		return errors.New("report: no store")
	}
	if o.Dir == "" && o.Out == "" {
		return errors.New("report: no reports directory")
	}
	if o.Location == nil {
		loc, err := time.LoadLocation(DefaultZone)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		o.Location = loc
	}
	if o.MailAttempts <= 0 {
		o.MailAttempts = 5
	}
	if o.MailBackoff <= 0 {
		o.MailBackoff = time.Minute
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = DefaultRetryAfter
	}
	if o.Now == nil && o.Clock != nil {
		o.Now = o.Clock.Now
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// Make builds the workbook for day and writes it atomically (mode 0640) to
// opts.Out, or to leads-DAY.xlsx in opts.Dir. A report made into Dir is
// recorded in the store, older reports beyond opts.Keep days are deleted,
// and, when opts.Mailer is set, it is mailed. It returns the file's path;
// when only the mailing failed it returns the path and the mail error.
func Make(ctx context.Context, day Day, opts Options) (string, error) {
	if err := opts.defaults(); err != nil {
		return "", err
	}
	start := opts.Now()
	path := opts.Out
	if path == "" {
		path = filepath.Join(opts.Dir, day.FileName())
		if err := closeToOthers(opts.Dir); err != nil {
			opts.Log.Warn().Err(err).Msg("reports directory: every local user may list it")
		}
	}
	sum, err := buildLocked(ctx, day, opts, path)
	if err != nil {
		return "", fmt.Errorf("report %s: %w", day, err)
	}
	opts.Log.Info().Str("day", day.String()).Str("path", path).Int("leads", sum.leads).
		Dur("took_ms", opts.Now().Sub(start).Round(time.Millisecond)).Msg("report made")
	if opts.Out != "" {
		// What a report killed while writing into that directory left
		// there: the reports directory's are pruned below.
		if err := pruneTemps(filepath.Dir(path), tempOf(filepath.Base(path)), opts.Now(), opts.Log); err != nil {
			opts.Log.Warn().Err(err).Msg("left-over temporary reports")
		}
		return path, nil
	}
	rec := Record{Day: day.String(), Path: path, CreatedAt: opts.Now(), Leads: sum.leads, Summary: sum.Text(),
		Subject: sum.Subject(), HTML: sum.HTML(), Mail: MailNone, Again: opts.Again, Alarms: sum.recorded}
	if sum.kept { // as the scheduler records one kept from before a restore
		rec.CreatedAt, rec.Mail = sum.first, MailKept
	}
	_, end := day.Bounds(opts.Location)
	rec.Partial = rec.CreatedAt.Before(end)
	if opts.Mailer != nil {
		rec.Mail = MailPending
		// Made again by hand while the daemon waits to mail it: a mail the
		// server does not take this time either stays the daemon's to try.
		opts.retried = opts.retried || waitsForServer(ctx, opts.Store, rec.Day)
	}
	if err := opts.Store.RecordReport(ctx, rec); err != nil {
		return path, fmt.Errorf("report %s: %w", day, err)
	}
	if _, err := prune(opts.Dir, DayOf(opts.Now(), opts.Location), opts.Keep, day.String(), opts.Log); err != nil {
		opts.Log.Warn().Err(err).Msg("prune reports")
	}
	if err := pruneTemps(opts.Dir, legacyTemp, opts.Now(), opts.Log); err != nil {
		opts.Log.Warn().Err(err).Msg("prune reports")
	}
	if opts.Mailer == nil {
		return path, nil
	}
	if err := deliver(ctx, opts, rec, opts.MailAttempts); err != nil {
		return path, fmt.Errorf("report %s: %w", day, err)
	}
	return path, nil
}

// buildLocked builds day's workbook into path, holding the reports
// directory's making lock (see lockMaking) when it is made there: the
// last one made from the database is the one left in place.
func buildLocked(ctx context.Context, day Day, opts Options, path string) (*summary, error) {
	if opts.Out != "" {
		return build(ctx, day, opts, path)
	}
	unlock, err := lockMaking(ctx, opts.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return build(ctx, day, opts, path)
}

// book is one workbook being built.
type book struct {
	f        *excelize.File
	st       styles
	opts     Options
	day      Day
	loc      *time.Location
	from, to time.Time
	sum      *summary
	sheets   map[string]*streamSheet
}

// build writes the workbook for day to path and returns its summary.
func build(ctx context.Context, day Day, opts Options, path string) (*summary, error) {
	reports := ""
	if opts.Out != "" {
		reports = opts.Dir // where the cleanup looks: see spillDir
	}
	spill, release, err := spillDir(path, reports)
	if err != nil {
		return nil, err
	}
	defer release()
	f := excelize.NewFile(excelize.Options{TmpDir: spill})
	defer f.Close()
	b := &book{f: f, opts: opts, day: day, loc: opts.Location, sum: newSummary(day, opts.Location, opts.Now()),
		sheets: map[string]*streamSheet{}}
	b.sum.agency = opts.Agency
	b.from, b.to = day.Bounds(opts.Location)
	if err := b.context(ctx); err != nil {
		return nil, err
	}
	if b.st, err = newStyles(f); err != nil {
		return nil, err
	}
	if err := b.st.zoneClocks(f, b.from, b.to); err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return nil, err
	}
	for _, name := range []string{SheetLeads, SheetFailures, SheetFeeds, SheetAttention} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	if err := b.writeSheets(ctx); err != nil {
		return nil, noRoom(path, spill, err)
	}
	if err := writeSummary(f, b.st, b.sum); err != nil {
		return nil, err
	}
	if err := b.writePortals(); err != nil {
		return nil, noRoom(path, spill, err)
	}
	// Hidden (patches): LibreOffice prints a hidden sheet's print area all the same.
	for name, hidden := range map[string]bool{SheetLeads: b.sum.leadsListed, SheetFeeds: b.sum.feedsListed()} {
		if hidden {
			if err := f.DeleteDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: name}); err != nil {
				return nil, err
			}
		}
	}
	if err := b.properties(); err != nil {
		return nil, err
	}
	// Summary, the first sheet, is the active one already. (SetActiveSheet
	// would parse every sheet back, a million streamed rows included.)
	if err := writeAtomic(f, path, b.patches()); err != nil {
		return nil, err
	}
	return b.sum, nil
}

// context reads what the day's figures are set against: the alarms that
// concern it (a report made again: those it was made with, as recorded)
// and the leads of the days before.
func (b *book) context(ctx context.Context) error {
	recs, err := b.opts.Store.Reports(ctx, b.day.AddDays(-7).String())
	if err != nil {
		return err
	}
	b.sum.installed = b.opts.Installed
	var runs []Span
	if b.opts.Ran != nil {
		if runs, err = b.opts.Ran(ctx); err != nil {
			return err
		}
		runs = Received(runs, b.opts.BackupTaken, b.opts.RestoredAt)
		b.sum.down = Down(runs, b.from, b.to, b.sum.made)
	}
	b.sum.history(recs, runs)
	if b.sum.erased, err = b.opts.Store.ErasedLeads(ctx, b.from, b.to); err != nil {
		return err
	}
	switch {
	case b.opts.Again:
		// What needed an operator then, not now: a day's workbook made
		// again after an erase still says that the CRM was paused that day.
		for _, r := range recs {
			if r.Day == b.day.String() {
				b.sum.alarms, b.sum.first = recordedAlarms(r), r.CreatedAt
			}
		}
		if b.sum.first.IsZero() {
			b.keptFirst()
		}
	case b.opts.Alarms != nil:
		alarms, err := b.opts.Alarms(ctx)
		if err != nil { // the report is still worth making: say so instead
			b.sum.alarmErr = err.Error()
		}
		for _, a := range alarms {
			if concerns(a, b.from, b.to, b.sum.made) {
				b.sum.alarms = append(b.sum.alarms, a)
			}
		}
	}
	b.sum.recorded = slices.Clone(b.sum.alarms)
	if b.sum.alarmErr != "" { // shown as an alarm: so it is again
		b.sum.recorded = append(b.sum.recorded, Alarm{Short: unreadableShort, Text: unreadableText + b.sum.alarmErr})
	}
	return nil
}

// keptFirst takes, of a day's workbook made again that the store does not
// record (one made before the database was restored from an older
// backup: see Scheduler.madeBeforeRestore), when it was first made from
// the file's time: made again, it says so, rather than pass for one made
// now from the day's data, and its record keeps that time; and it takes
// the alarm banners the file showed (keptAlarms).
func (b *book) keptFirst() {
	path := b.opts.Out
	if path == "" {
		path = filepath.Join(b.opts.Dir, b.day.FileName())
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return
	}
	b.sum.first, b.sum.kept = st.ModTime(), true
	// And the banners it showed: what needed an operator then (the CRM
	// paused that day) stays said.
	alarms, err := keptAlarms(path)
	if err != nil {
		b.opts.Log.Warn().Err(err).Str("path", path).Msg("kept workbook made again without the alarm banners it showed: they could not be read")
	}
	b.sum.alarms = alarms
}

// properties sets the document's title and author.
func (b *book) properties() error {
	now := b.opts.Now().UTC().Format(time.RFC3339)
	err := b.f.SetDocProps(&excelize.DocProperties{
		Title:   "Leads report " + agencyPrefix(b.opts.Agency, " ") + b.day.String(),
		Subject: "Leads and portal failures of " + b.sum.dayTitle(),
		Creator: "syncd", LastModifiedBy: "syncd", Created: now, Modified: now, Language: "en",
	})
	if err == nil {
		err = b.f.SetAppProps(&excelize.AppProperties{Application: "syncd"})
	}
	if err != nil {
		return fmt.Errorf("workbook properties: %w", err)
	}
	return nil
}

// patches are what the zip's parts need changed as they are written:
// excelize's StreamWriter writes a sheet's dimension before its rows (as
// A1, which readers that trust it take for an empty sheet), and hiding a
// sheet through excelize would read every streamed sheet back. The sheets
// hidden are those with nothing in them, and Feed imports and Leads when
// the Summary lists them all: each would print a page for a line or two.
// The failures chart's portal names are turned by a 60,000th of a degree
// (uprightLabels), and its value axis kept below its bars (valueAxisBelow).
func (b *book) patches() map[string][]patch {
	out := map[string][]patch{}
	if b.sum.failed() > 0 { // the last chart, after the leads per hour's (charts)
		chart := 1
		if b.sum.leads > 0 {
			chart = 2
		}
		out[fmt.Sprintf("xl/charts/chart%d.xml", chart)] = []patch{uprightLabels, valueAxisBelow}
	}
	for id, name := range b.f.GetSheetMap() {
		sh := b.sheets[name]
		if sh == nil {
			continue
		}
		part := fmt.Sprintf("xl/worksheets/sheet%d.xml", id)
		out[part] = []patch{{`<dimension ref="A1"></dimension>`, `<dimension ref="` + sh.dimension() + `"></dimension>`}}
		if sh.written == 0 && sh.skipped == 0 || name == SheetFeeds && b.sum.feedsListed() || name == SheetLeads && b.sum.leadsListed {
			esc := `<sheet name="` + xmlEscape(name) + `" `
			out["xl/workbook.xml"] = append(out["xl/workbook.xml"], patch{esc, esc + `state="hidden" `})
		}
	}
	return out
}

// writeSheets streams the four detail sheets, read concurrently, and
// counts the summary on the way.
func (b *book) writeSheets(ctx context.Context) error {
	day := b.day.String()
	leadCols := leadColumns
	if b.st.zoned != nil {
		leadCols = zonedLeadColumns()
	}
	sheets := []struct {
		name    string
		intro   string
		cols    []column
		printed int // columns that print, the first ones; 0 for all
		read    func(context.Context, func(...any) error) error
		empty   string
	}{
		{SheetLeads, "", leadCols, leadPrintedCols, b.readLeads, "No leads were received on " + day + "."},
		{SheetFailures, "", failureColumns, failurePrintedCols, b.readFailures, "No portal submission failed on " + day + "."},
		{SheetFeeds, "", feedColumns, feedPrintedCols, b.readFeeds, "No feed was imported on " + day + "."},
		{SheetAttention, attentionIntro, attentionColumns, attentionPrintedCols, b.readAttention, "Nothing needs attention for " + day + "."},
	}
	open := make([]*streamSheet, len(sheets))
	for i, s := range sheets {
		sh, err := newStreamSheet(b.f, b.st, b.sum.num, s.name, s.intro, s.cols)
		if err != nil {
			return err
		}
		sh.printed, sh.day, sh.head = s.printed, b.sum.footerDay(), b.sum.agency
		open[i] = sh
		b.sheets[s.name] = sh
	}
	p := newPipe(ctx, b.opts.Progress)
	for i, s := range sheets {
		p.read(open[i], s.read)
	}
	if err := p.write(); err != nil {
		return err
	}
	for i, s := range sheets {
		if err := open[i].close(s.empty); err != nil {
			return err
		}
	}
	return nil
}
