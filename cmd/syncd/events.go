package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const eventsUsage = `usage: syncd events <subcommand> [flags]

  list    [-source S] [-since T] [-quarantined] [-limit N] [-json]   what arrived, newest first
  show    [-quarantined [-body | -json]] ID                          one event with its payload, or one quarantined body
                                                                     (-body: the body alone, to save a copy to correct)
  repair  QUARANTINE-ID [FILE.json]                                  turn a quarantined body into an event from a corrected copy
                                                                     (no copy: a changed delivery, recorded as its event's)
  dismiss QUARANTINE-ID [QUARANTINE-ID...]                           set aside quarantined bodies that are no lead (junk, a test)
  dismiss -all | -before T [-dry-run]                                ... every one waiting for a person, or those received before T
                                                                     (a changed delivery is a lead: left, unless -changed)
  done    EVENT-ID [EVENT-ID...]                                     record unmappable leads as dealt with (entered in the CRM by hand, or no lead)
  done    -all | -before T [-dry-run]                                ... every one waiting for a person, or those received before T

Every subcommand takes -config FILE. Times are shown in report.time_zone with their offset;
-since and -before take a time as shown (2026-11-01 09:30:00 +01:00, or without its offset in
report.time_zone), RFC 3339, YYYY-MM-DD (midnight in report.time_zone) or a duration back such as 24h.
Run "syncd events <subcommand> -h" for its flags.
`

// cmdEvents inspects what arrived: `events list`, `events show`, repairs
// a quarantined body: `events repair ID FILE.json`, and dismisses one that
// is no lead: `events dismiss ID`, and records an unmappable lead dealt
// with by hand: `events done ID`.
func cmdEvents(ctx context.Context, c *cli) int {
	return c.subcommand(ctx, "events", eventsUsage, map[string]func(*cli, context.Context) int{
		"list": (*cli).eventsList, "show": (*cli).eventsShow, "repair": (*cli).eventsRepair, "dismiss": (*cli).eventsDismiss,
		"done": (*cli).eventsDone,
	})
}

func (c *cli) eventsList(ctx context.Context) int {
	fs := c.flags("events list")
	file := fs.String("config", defaultConfig, "configuration file")
	source := fs.String("source", "", "only this configured source")
	since := fs.String("since", "", "only events received since `T`: a time as syncd events list shows it (2026-11-01 09:30:00 +01:00; without its offset, in report.time_zone), RFC 3339, YYYY-MM-DD (midnight in report.time_zone) or a duration back such as 24h")
	quar := fs.Bool("quarantined", false, "list quarantined bodies instead of events")
	asJSON := fs.Bool("json", false, "print JSON lines")
	limit := fs.Int("limit", 100, "at most this many, newest first (0: all)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, listExits("bad flags, an invalid configuration, a -since, -source or -limit that is none")...)
	}
	if !c.limitOK("events list", *limit) {
		return exitUsage
	}
	return c.withReader(ctx, *file, func(cfg *config.Config, db *backend) int {
		c.saidDatabase(*file, cfg)
		clk := clockOf(cfg)
		from, err := clk.since(*since, time.Now())
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd events list: -since: %v\n", err)
			return exitUsage
		}
		if *source != "" && !c.knownSource(cfg, *file, *source) {
			return exitUsage
		}
		f := syncd.EventFilter{Source: *source, Since: from, Newest: true}
		if *quar {
			return c.listQuarantine(ctx, db, clk, f, *limit, *asJSON)
		}
		return c.listEvents(ctx, db, clk, f, *limit, *asJSON)
	})
}

// limitOK says whether a listing's -limit is a count, and if not says on
// stderr what to give: a negative one would list every row unasked, as 0
// does on purpose.
func (c *cli) limitOK(cmd string, limit int) bool {
	if limit >= 0 {
		return true
	}
	fmt.Fprintf(c.stderr, "syncd %s: -limit %d is not a count: give how many to show, or 0 for all\n", cmd, limit)
	return false
}

// listEvents prints the events f selects, newest first, at most limit
// (0: all), a page at a time, and how many older ones it left out; in
// text, under the table, which erasure erased the bodies of those erased
// (erasedBodies).
func (c *cli) listEvents(ctx context.Context, db store, clk clock, f syncd.EventFilter, limit int, asJSON bool) int {
	erasures := erasedBodies{one: "the body of event %s was", many: "the bodies of events %s were"}
	shown, last, err := eachPage(limit, func(before int64, n int) (int, int64, error) {
		f.BeforeID, f.Limit = before, n
		evs, err := db.Events(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		if len(evs) > 0 || before == 0 { // an empty listing has its heading
			c.printEvents(clk, evs, asJSON, before == 0)
		}
		if !asJSON {
			var ids []int64
			var gs []gone
			for _, ev := range evs {
				if len(ev.Payload) == 0 && ev.Kind != syncd.KindErasure && ev.Kind != syncd.KindRestore {
					ids, gs = append(ids, ev.ID), append(gs, eventGone(ev))
				}
			}
			erasures.add(ids, gs, erasureSubjects(ctx, db, gs)) // the audit read once a page, and only for a page with a body erased
		}
		if len(evs) == 0 {
			return 0, 0, nil
		}
		return len(evs), evs[len(evs)-1].ID, nil
	})
	if err != nil {
		return c.fail(err)
	}
	// The older ones are all of them less those from the last shown on:
	// counting the ids below it would walk the table by id, where all of
	// them are counted from the small index on received_at.
	f.BeforeID, f.Limit = 0, 0
	code := c.printMore(shown, limit, func() (int, error) {
		all, err := db.CountEvents(ctx, f)
		if err != nil {
			return 0, err
		}
		f.AfterID = last - 1
		newer, err := db.CountEvents(ctx, f)
		return all - newer, err
	}, asJSON)
	erasures.say(c.stdout, clk)
	return code
}

// listPage is how many rows a listing reads at once. Each page is a read
// of its own, from the id the one before stopped at, so that listing a
// year of events (-limit 0) holds one page in memory, not the year (with
// every body: 750 MB for 500,000 events), prints from the first page on,
// and keeps no read open while it prints (which would hold back the
// daemon's WAL checkpoints for as long as a pager waits).
const listPage = 500

// eachPage lists at most limit rows (0: all), newest first, a page at a
// time: page prints the at most n rows below id before (0: from the
// newest) and returns how many it printed and the id of the last. It
// returns how many were printed in all and the id of the last.
func eachPage(limit int, page func(before int64, n int) (int, int64, error)) (shown int, last int64, err error) {
	for {
		n := listPage
		if limit > 0 {
			n = min(n, limit-shown)
		}
		if n <= 0 {
			return shown, last, nil
		}
		got, id, err := page(last, n)
		if err != nil || got == 0 {
			return shown, last, err
		}
		shown, last = shown+got, id
		if got < n {
			return shown, last, nil
		}
	}
}

// knownSource reports whether name is a configured source, saying what is
// when it is not.
func (c *cli) knownSource(cfg *config.Config, file, name string) bool {
	if _, ok := cfg.Sources[name]; ok {
		return true
	}
	names := cfg.SourceNames()
	sort.Strings(names)
	c.errorf("no source %q in %s (configured: %s)", name, file, strings.Join(names, ", "))
	return false
}

// printMore says how many rows a listing that stopped at its limit left
// out (older counts them): on stdout under a table, on stderr under JSON
// lines (so that they stay parseable).
func (c *cli) printMore(shown, limit int, older func() (int, error), asJSON bool) int {
	if limit <= 0 || shown < limit {
		return exitOK
	}
	more, err := older()
	if err != nil {
		return c.fail(err)
	}
	if more > 0 {
		w := c.stdout
		if asJSON {
			w = c.stderr
		}
		fmt.Fprintf(w, "... and %d more (older); -limit 0 shows all\n", more)
	}
	return exitOK
}

// printEvents prints events as a table (its heading above them when
// heading is set: the first page of a listing) or JSON lines, without
// payloads.
func (c *cli) printEvents(clk clock, evs []syncd.Event, asJSON, heading bool) {
	if asJSON {
		for _, ev := range evs {
			writeJSON(c.stdout, eventJSON(clk, ev, false), false)
		}
		return
	}
	tw := newPageTable(c.stdout, heading)
	fmt.Fprintln(tw, "ID\tRECEIVED\tSOURCE\tTYPE\tPARSE\tDELIVERIES\tBODY\tMAPPING")
	for _, ev := range evs {
		state := string(ev.MapState)
		if !ev.DealtAt.IsZero() { // syncd events done: before the reason, which the cell may cut
			state += " (dealt with " + clk.show(ev.DealtAt) + ")"
		}
		if ev.MapError != "" { // without the lead's values: events show gives them
			state += ": " + mapping.ReasonWithoutValues(ev.MapError)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", ev.ID, clk.show(ev.ReceivedAt),
			ev.Source, typeCell(ev.Type), ev.Parse, ev.Deliveries, bodyCell(clk, ev), cell(state))
	}
	tw.Flush()
}

// typeCell is an event's type in the table of events list: as the
// report's alarms name it (syncd.ShownType), a sender's type of 10 kB cut
// and one with a line break quoted, so the table stays one line an event;
// blank when it has none. events show and -json give it whole.
func typeCell(t string) string {
	if t == "" {
		return ""
	}
	return syncd.ShownType(t)
}

// listQuarantine prints the quarantined bodies f selects, newest first, at
// most limit (0: all), a page at a time, and how many older ones it left
// out, as listEvents.
func (c *cli) listQuarantine(ctx context.Context, db store, clk clock, f syncd.EventFilter, limit int, asJSON bool) int {
	erasures := erasedBodies{one: "quarantined body %s was", many: "quarantined bodies %s were"} // of the text: said under the table
	shown, last, err := eachPage(limit, func(before int64, n int) (int, int64, error) {
		f.BeforeID, f.Limit = before, n
		qs, err := db.Quarantined(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		if len(qs) > 0 || before == 0 {
			gs := make([]gone, len(qs))
			for i, q := range qs {
				gs[i] = quarantineGone(q)
			}
			subjects := erasureSubjects(ctx, db, gs) // the audit read once a page, not once a body erased
			c.printQuarantine(clk, qs, asJSON, before == 0, subjects)
			if !asJSON {
				ids := make([]int64, len(qs))
				for i, q := range qs {
					ids[i] = q.ID
				}
				erasures.add(ids, gs, subjects)
			}
		}
		if len(qs) == 0 {
			return 0, 0, nil
		}
		return len(qs), qs[len(qs)-1].ID, nil
	})
	if err != nil {
		return c.fail(err)
	}
	f.BeforeID, f.Limit = last, 0
	code := c.printMore(shown, limit, func() (int, error) { return db.CountQuarantined(ctx, f) }, asJSON)
	erasures.say(c.stdout, clk)
	return code
}

// erasedBodies are, of the bodies (of events or quarantined) a text
// listing showed erased, those whose erasure the audit names
// (erasureSubjects), by erasure in the order first listed: the table's
// cell says "erased TIME", the lines under it which erasure, as events
// show says it.
type erasedBodies struct {
	one, many string              // "quarantined body %s was", "quarantined bodies %s were": the ids put in
	order     []int64             // the erasures' times (UnixNano), as first listed
	at        map[int64]time.Time // by erasure: its time
	subj      map[int64]string    // by erasure: its audit subject
	ids       map[int64][]int64   // by erasure: the bodies it erased, as listed
}

// add adds those of the bodies ids (gs: how each is gone) whose erasure
// subjects (erasureSubjects) names.
func (e *erasedBodies) add(ids []int64, gs []gone, subjects map[int64]string) {
	for i, g := range gs {
		if g.erased.IsZero() || g.firstDismissed() {
			continue
		}
		k := g.erased.UnixNano()
		if subjects[k] == "" || subjects[k] == idsDropped { // none to name: the BODY cell says erased
			continue
		}
		if e.ids == nil {
			e.at, e.subj, e.ids = map[int64]time.Time{}, map[int64]string{}, map[int64][]int64{}
		}
		if _, ok := e.ids[k]; !ok {
			e.order = append(e.order, k)
			e.at[k], e.subj[k] = g.erased, subjects[k]
		}
		e.ids[k] = append(e.ids[k], ids[i])
	}
}

// say writes a line to w for each erasure: the bodies it erased and its
// audit subject, as that erase printed it.
func (e *erasedBodies) say(w io.Writer, clk clock) {
	for _, k := range e.order {
		ids := e.ids[k]
		what := fmt.Sprintf(e.one, strconv.FormatInt(ids[0], 10))
		if len(ids) > 1 {
			strs := make([]string, len(ids))
			for i, id := range ids {
				strs[i] = strconv.FormatInt(id, 10)
			}
			what = fmt.Sprintf(e.many, strings.Join(strs, ", "))
		}
		fmt.Fprintf(w, "%s erased by the erasure audited as subject %s at %s (as that erase printed it; "+
			"syncd export of the person shows it)\n", what, e.subj[k], clk.show(e.at[k]))
	}
}

// printQuarantine prints quarantined bodies as a table (its heading above
// them when heading is set) or JSON lines, without the bodies; a body gone
// has in JSON body_gone and erasure_subject as events show -quarantined
// -json gives them, the subjects of the page's erasures in subjects
// (erasureSubjects).
func (c *cli) printQuarantine(clk clock, qs []syncd.Quarantine, asJSON, heading bool, subjects map[int64]string) {
	tw := newPageTable(c.stdout, heading)
	if !asJSON {
		fmt.Fprintln(tw, "ID\tRECEIVED\tSOURCE\tBYTES\tBODY\tDELIVERIES\tREPAIRED AS\tREASON")
	}
	for _, q := range qs {
		if asJSON {
			m := quarantineJSON(clk, q)
			if len(q.Body) == 0 {
				why, subject := quarantineGone(q).sayWith(clk, subjects)
				addBodyGone(m, why, subject)
			}
			writeJSON(c.stdout, m, false)
			continue
		}
		repaired := "-"
		switch {
		case q.ResolvedEvent != 0:
			repaired = fmt.Sprintf("event %d", q.ResolvedEvent)
		case !q.DismissedAt.IsZero():
			repaired = "dismissed"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%d\t%s\t%s\n", q.ID, clk.show(q.ReceivedAt), q.Source,
			len(q.Body), quarantineGone(q).cell(clk, len(q.Body) == 0), q.Deliveries, repaired, reasonShown(q))
	}
	tw.Flush()
}

// quarantineJSON is quarantined body q as events list -quarantined -json
// gives it, without its body.
func quarantineJSON(clk clock, q syncd.Quarantine) map[string]any {
	m := map[string]any{"id": q.ID, "received_at": clk.rfc(q.ReceivedAt),
		"source": q.Source, "bytes": len(q.Body), "deliveries": q.Deliveries, "reason": q.Reason,
		"repaired_as_event": q.ResolvedEvent, "changed_delivery_of": changedOf(q)}
	quarantineGone(q).addTimes(clk, m)
	if !q.DismissedAt.IsZero() {
		m["dismissed_at"] = clk.rfc(q.DismissedAt)
	}
	return m
}

// reasonShown is q's reason as a listing shows it: that of a changed
// delivery says what to do with it (correct the CRM, then events repair),
// which once it waits no more (repaired, dismissed, erased or purged) is
// advice no longer to follow: an erased body's repair is refused. Only
// what it is is shown then; the JSON keeps the reason as stored.
func reasonShown(q syncd.Quarantine) string {
	waits := q.ResolvedEvent == 0 && q.DismissedAt.IsZero() && len(q.Body) > 0
	if what, ok := sender.ChangedWhat(q.Reason); ok && !waits {
		return what
	}
	return q.Reason
}

// changedOf is quarantined body q's changed_delivery_of in JSON: the
// event it is a changed delivery of, 0 for a body that is none (it did not
// read), nil (null) for one kept by a syncd that did not record it.
func changedOf(q syncd.Quarantine) any {
	if q.ChangedOf == syncd.ChangedUnknown {
		return nil
	}
	return q.ChangedOf
}

func (c *cli) eventsShow(ctx context.Context) int {
	fs := c.flags("events show")
	file := fs.String("config", defaultConfig, "configuration file")
	quar := fs.Bool("quarantined", false, "show a quarantined body instead of an event")
	bodyOnly := fs.Bool("body", false, "with -quarantined: print the body alone, as received, to make a copy to correct "+
		"(syncd events show -quarantined -body ID > FILE.json)")
	asJSON := fs.Bool("json", false, "with -quarantined: the body's record as events list -quarantined -json gives it, "+
		"with the body as received in \"body\" (a string: it may not be JSON) and what it waits for in \"waits\"")
	if err := parseFlags(fs, c.args); err != nil || fs.NArg() != 1 {
		wrongArgs(fs, err, "one ID: of an event (syncd events list), or with -quarantined of a quarantined body (syncd events list -quarantined)")
		return c.flagsStatus(fs, err, append([]string{showUsage},
			idExits("shown", "it failed", "bad flags, an invalid configuration, or an ID that is not a number",
				"no such ID held (syncd events list, or with -quarantined syncd events list -quarantined, lists them), "+
					"or with -quarantined a body no longer held (erased or purged; with -body dismissed too): the heading, "+
					"or the record with -json, says so")...)...)
	}
	if *asJSON && (!*quar || *bodyOnly) {
		fmt.Fprintf(c.stderr, "syncd events show: -json is for a quarantined body's record (-quarantined, without -body); "+
			"an event is shown as JSON already\n%s\n", showUsage)
		return exitUsage
	}
	if *bodyOnly && !*quar {
		fmt.Fprintf(c.stderr, "syncd events show: -body is for a quarantined body (-quarantined); an event is shown "+
			"as JSON, its payload in it\n%s\n", showUsage)
		return exitUsage
	}
	lister := "syncd events list"
	if *quar {
		lister += " -quarantined"
	}
	id, ok := parseID(c.stderr, "events show", fs.Arg(0), lister)
	if !ok {
		return exitUsage
	}
	return c.withReader(ctx, *file, func(cfg *config.Config, db *backend) int {
		c.saidDatabase(*file, cfg)
		clk := clockOf(cfg)
		if *quar {
			return c.showQuarantined(ctx, cfg, db, id, *bodyOnly, *asJSON)
		}
		ev, err := db.Event(ctx, id)
		if err != nil {
			return c.fail(lostByRestore(ctx, clockOf(cfg), db, sqlite.StateEventIDsSkipped, id, err))
		}
		m := eventJSON(clk, ev, true)
		if len(ev.Payload) == 0 && !ev.ErasedAt.IsZero() && ev.Kind != syncd.KindErasure && ev.Kind != syncd.KindRestore {
			why, subject := c.goneWhy(ctx, clk, db, eventGone(ev)) // which erasure, as of a quarantined body
			m["payload_gone"] = why
			if subject != "" {
				m["erasure_subject"] = subject
			}
		}
		writeJSON(c.stdout, m, true)
		c.leadDataOthersMayRead()
		return exitOK
	})
}

// showQuarantined is syncd events show -quarantined ID: the body's record
// and the body as received; with bodyOnly the body alone, with asJSON the
// record as JSON.
func (c *cli) showQuarantined(ctx context.Context, cfg *config.Config, db *backend, id int64, bodyOnly, asJSON bool) int {
	clk := clockOf(cfg)
	q, err := db.QuarantinedBody(ctx, id)
	if err != nil {
		return c.fail(lostByRestore(ctx, clockOf(cfg), db, sqlite.StateQuarantineIDsSkipped, id, err))
	}
	g := quarantineGone(q)
	if bodyOnly { // the heading on stdout made the copy an operator saved a body that did not read
		if len(q.Body) == 0 { // dismissed too: nothing to save, not a failure
			why, _ := c.goneWhy(ctx, clk, db, g)
			fmt.Fprintf(c.stderr, "syncd events show: quarantined body %d is gone: %s (exit 3: the body is no longer held)\n", q.ID, why)
			return exitNotFound
		}
		c.stdout.Write(q.Body)
		c.leadDataOthersMayRead()
		return exitOK
	}
	if asJSON {
		return c.showQuarantinedJSON(ctx, cfg, db, q, g)
	}
	if len(q.Body) == 0 && g.notHeld() {
		return c.showNotHeld(ctx, clk, db, q, g)
	}
	repaired := ""
	switch {
	case q.ResolvedEvent != 0: // as the list's REPAIRED AS: not a body still waiting
		repaired = fmt.Sprintf("; repaired as event %d (syncd events show %[1]d)", q.ResolvedEvent)
	case !q.DismissedAt.IsZero():
		repaired = "; dismissed by syncd events dismiss at " + clk.show(q.DismissedAt) + ": no lead"
	case len(q.Body) > 0: // status's words and way out: the reason alone named no command
		repaired = "; WAITS for a person: " + waitingWayOut(waitingBodyOf(q, cfg.Intake.MaxDepth))
	}
	fmt.Fprintf(c.stdout, "quarantine %d from %s at %s (%s): %s%s\n", q.ID, q.Source, clk.show(q.ReceivedAt),
		syncd.Counted(q.Deliveries, "delivery", "deliveries"), reasonShown(q), repaired)
	if len(q.Body) == 0 { // on stderr: stdout after the heading is the body as received; a dismissed one's heading says why
		fmt.Fprintf(c.stderr, "syncd events show: quarantined body %d is gone: %s\n", q.ID, quarantineGone(q).say(clk))
		return exitOK
	}
	fmt.Fprintf(c.stdout, "\n%s\n", q.Body)
	c.leadDataOthersMayRead()
	return exitOK
}

// eventsRepair turns a quarantined body into an event from a corrected
// copy: `events repair [-config FILE] ID FILE.json`. The mapping worker of a
// running daemon maps it; `syncd replay` does too.
func (c *cli) eventsRepair(ctx context.Context) int {
	fs := c.flags("events repair")
	file := fs.String("config", defaultConfig, "configuration file")
	if err := parseFlags(fs, c.args); err != nil || fs.NArg() < 1 || fs.NArg() > 2 {
		wrongArgs(fs, err, "the quarantined body's ID (syncd events list -quarantined), and the file of its corrected copy "+
			"(- reads it from standard input; none for a body that reads as it is: a changed delivery)")
		return c.flagsStatus(fs, err, append([]string{repairUsage}, repairExits()...)...)
	}
	id, ok := parseID(c.stderr, "events repair", fs.Arg(0), "syncd events list -quarantined")
	if !ok {
		return exitUsage
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, db *backend) int {
		q, err := db.QuarantinedBody(ctx, id)
		if err != nil {
			return c.fail(lostByRestore(ctx, clockOf(cfg), db, sqlite.StateQuarantineIDsSkipped, id, err))
		}
		if !q.ErasedAt.IsZero() { // its person asked to be forgotten: a kept copy would bring them back
			fmt.Fprintf(c.stderr, "syncd events repair: quarantined body %d was erased by syncd erase at %s: "+
				"its person asked to be forgotten, so it is not repaired\n", id, clockOf(cfg).show(q.ErasedAt))
			return exitFailure
		}
		if q.ResolvedEvent != 0 { // "syncd: ... already repaired" named no command, nor the event to look at
			fmt.Fprintf(c.stderr, "syncd events repair: quarantined body %d was repaired already, as event %d (syncd events "+
				"show %[2]d): nothing stored, nothing to repair\n", id, q.ResolvedEvent)
			return exitUsage
		}
		var body []byte
		if fs.NArg() == 2 {
			if body, err = c.readBodyFile(ctx, fs.Arg(1)); err != nil { // "syncd: open x.json: ..." named no command
				c.copyUnread(clockOf(cfg), q, err)
				return exitFailure
			}
		}
		copied := bodyFileName(fs.Arg(1))
		if fs.NArg() == 1 {
			if code := c.repairAsIs(cfg, q); code != exitOK {
				return code
			}
			body, copied = q.Body, fmt.Sprintf("its body (syncd events show -quarantined %d)", id)
		}
		d := sender.Decode(q.Kind, body, cfg.Intake.MaxDepth) // the receiver's own rules: same key, same parse status
		// The store refused such a copy too, saying neither why nor which file.
		if d.Reason != "" {
			fmt.Fprintf(c.stderr, "syncd events repair: %s does not read either: %s; nothing stored: correct the copy, "+
				"then run it again\n", copied, d.Reason)
			return exitUsage
		}
		// A copy of another shape, stored, would never be mapped, and the
		// body could not be repaired again.
		if d.Reason == "" && d.Unrecognised != "" {
			fmt.Fprintf(c.stderr, "syncd events repair: %s does not fit source %s: %s; nothing stored: correct the copy "+
				"(syncd map -source %s %s shows what it would make)\n", copied, q.Source, d.Unrecognised, q.Source, copied)
			return exitUsage
		}
		if field := idDropped(q, body, d, cfg.Intake.MaxDepth); field != "" {
			fmt.Fprintf(c.stderr, "syncd events repair: %s has no %[2]s, which the quarantined body has: the sender's id of "+
				"the submission, by which syncd knows its other deliveries (and a lead's deal in the CRM); stored without it, "+
				"the sender's next delivery of it would be a second lead; nothing stored: copy the %[2]s from the body "+
				"(syncd events show -quarantined %[3]d) into the copy, then run it again\n", copied, field, id)
			return exitUsage
		}
		inc := syncd.Incoming{Type: d.Type, Key: d.Key, Body: body, Payload: d.Payload, Parse: d.Parse,
			Quarantine: d.Reason != "", Reason: d.Reason, Unrecognised: d.Unrecognised, RemoteAddr: "repair"}
		rec, err := db.RepairQuarantined(ctx, id, inc, cfg.Intake.DedupWindow)
		if err != nil {
			return c.fail(err)
		}
		c.sayRepaired(id, q.Kind, d.Key, rec, fs.NArg() == 1)
		return exitOK
	})
}

// idDropped names the sender's delivery id field (eaf_id) when the
// corrected copy body, decoded as d, has none while quarantined body q has one: a
// changed delivery of an event (which came with its id), a body that
// reads with one, or one that names the field. Repaired so, the copy
// was keyed by its hash, a new event, and the sender's next delivery with
// its id a second lead. "" when the copy has its id, when the sender has
// no such field, and when the body had none either (the copy is then
// keyed as the intake would key it).
func idDropped(q syncd.Quarantine, body []byte, d sender.Decoded, maxDepth int) string {
	s := sender.For(q.Kind)
	if s == nil || s.IDField == "" || !strings.HasPrefix(d.Key, "sha256:") {
		return ""
	}
	doc := d.Payload // standard JSON, when the body is not
	if doc == nil {
		doc = body
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(doc, &fields) != nil {
		return ""
	}
	if _, ok := fields[s.IDField]; ok {
		return "" // there, but no id the intake keys by (too long, say): stored as the intake would store it
	}
	orig := sender.Decode(q.Kind, q.Body, maxDepth)
	if q.ChangedOf > 0 || (orig.Reason == "" && !strings.HasPrefix(orig.Key, "sha256:")) ||
		bytes.Contains(q.Body, []byte(`"`+s.IDField+`"`)) {
		return s.IDField
	}
	return ""
}

// showUsage is events show's usage line.
const showUsage = "usage: syncd events show [-config FILE] [-quarantined [-body | -json]] ID"

// repairUsage is events repair's usage line.
const repairUsage = "usage: syncd events repair [-config FILE] QUARANTINE-ID [FILE.json|-]"

// repairAsIs checks that quarantined body q, repaired with no copy, reads
// as a lead as it is (a changed delivery of a stored lead): exitOK, or
// exit 2 saying why not and the command with a copy.
func (c *cli) repairAsIs(cfg *config.Config, q syncd.Quarantine) int {
	why := ""
	switch d := sender.Decode(q.Kind, q.Body, cfg.Intake.MaxDepth); {
	case len(q.Body) == 0:
		why = "its body is gone: " + quarantineGone(q).say(clockOf(cfg))
	case d.Reason != "":
		why = "it does not read as it is: " + d.Reason
	default:
		return exitOK
	}
	fmt.Fprintf(c.stderr, "syncd events repair: quarantined body %d: %s; nothing stored: give a corrected copy: "+
		"syncd events repair %d FILE.json\n", q.ID, why, q.ID)
	return exitUsage
}

// sayRepaired says what a repair made of quarantined body id: a new event,
// or the event already stored for the same delivery (the sender sent it
// again, parsed, since), and whether the operator's copy (asIs: the body
// itself, a changed delivery) says something else than that event, which
// keeps its body. key is the copy's idempotency key: a body keyed by its
// hash (no id in it) is the same body, not the same id.
func (c *cli) sayRepaired(id int64, kind syncd.Kind, key string, rec syncd.Receipt, asIs bool) {
	if rec.Outcome != syncd.Duplicate {
		fmt.Fprintf(c.stdout, "quarantined body %d is now event %d (%s)\n", id, rec.ID, rec.Outcome)
		return
	}
	same := "body"
	if s := sender.For(kind); s != nil && s.IDField != "" && !strings.HasPrefix(key, "sha256:") {
		same = s.IDField
	}
	fmt.Fprintf(c.stdout, "quarantined body %d is event %d, stored already from another delivery of the same %s", id, rec.ID, same)
	switch {
	case rec.Changed && asIs:
		fmt.Fprintf(c.stdout, "; recorded as its changed delivery, it no longer waits for a person: the event keeps its first "+
			"body, as mapped, and syncd sends none of this one: what it changed reaches the CRM by hand only (the event: syncd events show %d)", rec.ID)
	case rec.Changed:
		fmt.Fprintf(c.stdout, "; your copy says something else: the event keeps its body (if your copy is right, "+
			"correct the CRM by hand; the event: syncd events show %d)", rec.ID)
	}
	fmt.Fprintln(c.stdout)
}

// eventJSON is an event as the events command prints it; the payload, and
// the lead's values its map_error quotes, only with withPayload (they are
// personal data: events list prints none).
func eventJSON(clk clock, ev syncd.Event, withPayload bool) map[string]any {
	reason := ev.MapError
	if !withPayload {
		reason = mapping.ReasonWithoutValues(reason)
	}
	m := map[string]any{
		"id": ev.ID, "source": ev.Source, "kind": ev.Kind, "type": ev.Type, "key": ev.Key,
		"received_at": clk.rfc(ev.ReceivedAt), "last_delivery_at": clk.rfc(ev.LastDeliveryAt),
		"deliveries": ev.Deliveries, "remote_addr": ev.RemoteAddr, "parse": ev.Parse,
		"map_state": ev.MapState, "map_error": reason,
	}
	eventGone(ev).addTimes(clk, m)
	if !ev.DealtAt.IsZero() {
		m["dealt_at"] = clk.rfc(ev.DealtAt) // syncd events done: waits for no one
	}
	if withPayload {
		m["payload"] = nil
		if len(ev.Payload) > 0 {
			m["payload"] = json.RawMessage(ev.Payload)
		} else {
			m["payload_gone"] = payloadGone(clk, ev)
		}
	}
	return m
}
