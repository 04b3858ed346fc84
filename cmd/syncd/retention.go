package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// retentionOf is the configured retention as the store takes it; the
// duplicate window's keys are kept for the window.
func retentionOf(r config.Retention, window time.Duration) syncd.Retention {
	days := func(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
	return syncd.Retention{Events: days(r.EventDays), Quarantine: days(r.QuarantineDays),
		Outbox: days(r.OutboxDays), Links: days(r.LinkDays), Intents: days(r.OutboxDays), Keys: window,
		Erasures: days(r.ErasureDays)}
}

// purgeErasureLog applies keep (retention.erasure_days) to the erasure log
// at path ("": none, as on PostgreSQL) as of now: see trimErasureLog.
func purgeErasureLog(path string, keep time.Duration, now time.Time) (int, error) {
	if path == "" || keep <= 0 {
		return 0, nil
	}
	return trimErasureLog(path, now.Add(-keep))
}

// purgeLock is the cluster part whose lock the daily purge holds: should
// two instances lead the report in one day (a leader died after its
// report), one purges at a time.
const purgeLock = "purge"

// purger runs the retention purge at most once a day, after a report is
// recorded (the report of a day is made from its data first). On a shared
// store the report, and so the purge, runs on the report leader. When no
// report has been recorded for purgeBackstop (the report failing day
// after day: its directory not writable, the disk full), Run purges
// without one, on any instance: personal data is not kept past the
// retention for want of a workbook.
type purger struct {
	db   *backend
	keep syncd.Retention
	// erasureLog is the erasure log's path ("": none), whose identifiers
	// keep.Erasures also bounds.
	erasureLog string
	// dbPath is the SQLite database's path ("": another store), not named
	// among the backups past the retention when one was restored there.
	dbPath string
	log    zerolog.Logger
	now    func() time.Time
	loc    *time.Location // whose day "once a day" is: the report's (nil: UTC)
	// reports applies the retention to report.dir after a purge (see
	// purgeReports); nil leaves it alone.
	reports func(ctx context.Context, received []time.Time) (deleted, remade []string, err error)

	mu    sync.Mutex
	last  string    // the date of the last purge, in loc
	since time.Time // the last purge, or Run's start
}

// purgeBackstop is how long the purge waits for a report before it runs
// without one: a day, and the hours a failing report is retried.
const purgeBackstop = 36 * time.Hour

// purger returns the daemon's daily retention purge.
func (d *daemon) purger(cfg *config.Config) *purger {
	return &purger{db: d.db, keep: retentionOf(cfg.Retention, cfg.Intake.DedupWindow), erasureLog: erasureLogPath(cfg),
		dbPath: sqlitePath(cfg), log: d.log, now: time.Now, loc: clockOf(cfg).loc,
		reports: func(ctx context.Context, received []time.Time) ([]string, []string, error) {
			return purgeReports(ctx, d.reports.config(), d.db, received) // the raw store: a workbook made again is not the day's report
		}}
}

// Run purges, every hour it checks, when neither a report nor Run itself
// has for purgeBackstop, until ctx ends.
func (p *purger) Run(ctx context.Context) error {
	p.mu.Lock()
	p.since = p.now()
	p.mu.Unlock()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			p.backstop(ctx)
		}
	}
}

// backstop purges if no purge ran for purgeBackstop, saying why.
func (p *purger) backstop(ctx context.Context) {
	p.mu.Lock()
	waited := p.now().Sub(p.since)
	p.mu.Unlock()
	if waited < purgeBackstop {
		return
	}
	p.log.Warn().Str("waited", waited.Round(time.Minute).String()).
		Msg("retention purge: no report recorded for a day and a half (see the report's errors): purging without it")
	p.afterReport(ctx)
}

// afterReport purges, unless it already did today (in the report's zone:
// a report at 01:30 is 00:30 UTC in winter and 23:30 UTC the day before in
// summer). Failures are logged:
// the next report tries again.
func (p *purger) afterReport(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	today := p.now().In(loc).Format(time.DateOnly)
	if p.last == today {
		return
	}
	start := time.Now()
	res, ran, err := p.run(ctx)
	if err != nil {
		p.log.Error().Err(err).Msg("retention purge")
		return
	}
	p.last, p.since = today, p.now()
	if !ran {
		p.log.Info().Msg("retention purge: another instance is purging now")
		return
	}
	ev := p.log.Info().Int("events", res.Events).Int("quarantined", res.Quarantined).Int("ops", res.Ops).
		Int("links", res.Links).Int("intents", res.Intents).Int("erasures", res.Erasures)
	if n, err := purgeErasureLog(p.erasureLog, p.keep.Erasures, p.now()); err != nil {
		p.log.Error().Err(err).Msg("retention purge: erasure log")
	} else if p.erasureLog != "" {
		ev = ev.Int("erasure_log", n)
	}
	if p.db.cluster != nil { // PostgreSQL's intake_keys: SQLite's intake sweeps its own
		ev = ev.Int("keys", res.Keys)
	}
	if fs, ok := p.db.store.(fileSpacer); ok { // why a purged file keeps its size
		if size, free, err := fs.FileSpace(ctx); err == nil {
			ev = ev.Int64("file_bytes", size).Int64("free_bytes", free)
		}
	}
	ev.Int64("took_ms", time.Since(start).Milliseconds()).Msg("retention purge")
	if res.WALKept != "" { // done all the same: its days' workbooks and the rest follow
		p.log.Warn().Str("why", res.WALKept).Msg("retention purge: done, but the write-ahead log keeps what it dropped until a later checkpoint")
	}
	p.logBackupsPast(ctx)
	if p.reports == nil {
		return
	}
	deleted, remade, err := p.reports(ctx, res.Received)
	for _, f := range deleted {
		p.log.Info().Str("file", filepath.Base(f)).Msg("old report deleted")
	}
	for _, f := range remade {
		p.log.Info().Str("file", filepath.Base(f)).Msg("retention purge: report made again without what it purged")
	}
	if err != nil {
		p.log.Error().Err(err).Msg("retention purge: reports")
	}
}

// logBackupsPast deletes the partial copies killed backups left beside
// those syncd backup made, and warns of each backup older than the
// retention (see backupsPastRetention): the purge cannot reach it. On
// PostgreSQL, where syncd knows no backup, it warns as `syncd purge` says
// (pgBackupsPastText).
func (p *purger) logBackupsPast(ctx context.Context) {
	if p.db.cluster != nil {
		if msg := pgBackupsPastText(p.keep); msg != "" {
			p.log.Warn().Msg("retention purge: backups: " + msg)
		}
	}
	killed, kerr := removeKilledBackups(ctx, p.db, p.now())
	for _, f := range killed {
		p.log.Info().Str("file", f).Msg("retention purge: deleted the partial copy a killed backup left")
	}
	list, err := backupsPastRetention(ctx, p.db, p.keep, p.now(), p.dbPath)
	if err = errors.Join(kerr, err); err != nil {
		p.log.Error().Err(err).Msg("retention purge: backups")
	}
	for _, b := range list {
		p.log.Warn().Str("file", b.Path).Time("taken_at", b.TakenAt).Str("setting", b.Setting).Int("days", b.Days).
			Msg("retention purge: a backup syncd backup made is older than the retention and holds what it no longer keeps " +
				"(syncd cannot reach it): delete it, and keep backups for less")
	}
}

// purgeRestored runs the retention purge at the daemon's first start on a
// restored backup, before anything is mapped, sent or reported: a backup
// older than the retention holds again the personal data the database it
// was taken of purged since, which the daily purge would keep until after
// the next report. It counts as the day's purge.
func (d *daemon) purgeRestored(ctx context.Context) {
	d.log.Warn().Msg("restored from a backup: applying the retention now, before anything is mapped, sent or reported " +
		"(the backup holds again what was purged since it was taken)")
	defer d.notifier.Extending("applying the retention to the restored backup", 10*time.Second)()
	d.purge.afterReport(ctx)
}

// run purges; on a shared store only if no other instance is purging now
// (ran false).
func (p *purger) run(ctx context.Context) (res syncd.Purge, ran bool, err error) {
	if p.db.cluster == nil {
		res, err = p.db.Purge(ctx, p.keep)
		return res, true, err
	}
	ran, err = p.db.cluster.TryLead(ctx, purgeLock, func(ctx context.Context) error {
		var err error
		res, err = p.db.Purge(ctx, p.keep)
		return err
	})
	return res, ran, err
}

// cmdPurge runs the retention purge now: purge. Safe beside a running
// daemon, which also runs it daily after the report: on PostgreSQL a row
// one purge is changing is skipped by the other.
func cmdPurge(ctx context.Context, c *cli) int {
	fs := c.flags("purge")
	file := fs.String("config", defaultConfig, "configuration file")
	if err := parseOnlyFlags(fs, c.args, "it takes only -config; what it keeps is the configuration's retention:"); err != nil {
		return c.flagsStatus(fs, err, plainExits("purged (or nothing to purge)", "bad flags or an invalid configuration")...)
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, b *backend) int {
		c.stdout = reloadAsStarted(c.stdout, cfg) // a daemon started by hand: its VACUUM line stops and starts it, not systemctl
		res, err := b.Purge(ctx, retentionOf(cfg.Retention, cfg.Intake.DedupWindow))
		if err == nil {
			err = markRestorePurged(ctx, cfg, b, time.Now()) // status: purged already, not "syncd purge does it now"
		}
		if err != nil {
			return c.fail(err)
		}
		keys := "" // SQLite's intake sweeps its keys as it runs
		if cfg.Store.Kind == config.StorePostgres {
			keys = fmt.Sprintf(", %s past the duplicate window", syncd.Counted(res.Keys, "idempotency key", "idempotency keys"))
		}
		fmt.Fprintf(c.stdout, "purged: %s, %s, %s, %s, %s, the identifiers of %s%s\n", syncd.Counted(res.Events, "event body", "event bodies"),
			syncd.Counted(res.Quarantined, "quarantined body", "quarantined bodies"), syncd.Counted(res.Ops, "outbox operation", "outbox operations"),
			syncd.Counted(res.Links, "CRM link", "CRM links"), syncd.Counted(res.Intents, "CRM create intent", "CRM create intents"),
			syncd.Counted(res.Erasures, "erasure", "erasures"), keys)
		if res.WALKept != "" {
			fmt.Fprintf(c.stdout, "note: the write-ahead log (%s-wal) keeps what was purged until a later checkpoint: %s\n",
				sqlitePath(cfg), strings.TrimPrefix(res.WALKept, "checkpoint: "))
		}
		logged := erasureLogPath(cfg)
		n, lerr := purgeErasureLog(logged, retentionOf(cfg.Retention, 0).Erasures, time.Now())
		if n > 0 {
			fmt.Fprintf(c.stdout, "erasure log: the identifiers of %s dropped from %s (past retention.erasure_days)\n",
				syncd.Counted(n, "erasure", "erasures"), logged)
		}
		deleted, remade, err := purgeReports(ctx, cfg, b, res.Received)
		for _, p := range deleted {
			fmt.Fprintf(c.stdout, "report deleted: %s (past report.keep_days)\n", p)
		}
		for _, p := range remade {
			fmt.Fprintf(c.stdout, "report rewritten: %s\n", p)
		}
		now := time.Now()
		h, herr := b.HeldSince(ctx, now.Add(-retentionOf(cfg.Retention, 0).Events))
		if herr == nil {
			past := heldSaid(c.stdout, h, cfg.Retention, clockOf(cfg), now)
			past = append(past, workbooksSaid(c.stdout, cfg.Report.Dir, cfg.Report.KeepDays, clockOf(cfg), now)...)
			pastSaid(c.stdout, past)
		}
		err = errors.Join(err, herr)
		berr := saidBackupsPast(ctx, c.stdout, cfg, b)
		pgBackupsPast(c.stdout, cfg)
		pgKeeps(c.stdout, cfg)
		serr := fileSpaceSaid(ctx, c.stdout, b.store, sqlitePath(cfg))
		if err = errors.Join(err, lerr, berr, serr); err != nil {
			return c.fail(err)
		}
		c.saidWaitingForGone(ctx, cfg, b)
		return exitOK
	})
}

// heldSaid says what the store holds after a purge (h, as of now): of
// each kind of personal data, the oldest kept, its age and its retention
// (r), the enquiries kept past retention.event_days as their leads wait
// for the CRM, and whether any kind is older than its retention. It is what
// shows a supervisory authority that nothing older is kept: "purged: 0
// ..." alone, on a run after the daemon's daily purge, showed nothing.
func heldSaid(w io.Writer, h syncd.Held, r config.Retention, clk clock, now time.Time) (past []string) {
	daysAgo := func(at time.Time) int { return int(now.Sub(at) / (24 * time.Hour)) }
	ago := func(at time.Time) string { return dayCount(daysAgo(at)) + " ago" }
	line := func(what, verb string, at time.Time, days int, setting, from string) {
		if at.IsZero() {
			fmt.Fprintf(w, "  %s: none\n", what)
			return
		}
		keep := fmt.Sprintf("kept for ever: retention.%s 0", setting)
		if days > 0 {
			keep = fmt.Sprintf("kept %s%s: retention.%s", dayCount(days), from, setting)
			if daysAgo(at) > days && setting != "event_days" { // enquiries past it are said below, with why
				past = append(past, what)
			}
		}
		fmt.Fprintf(w, "  %s: %s%s, %s (%s)\n", what, verb, clk.show(at), ago(at), keep)
	}
	fmt.Fprintf(w, "held now, the oldest of each kind (times in %s):\n", clk.loc)
	line("enquiries (their bodies)", "received ", h.Event, r.EventDays, "event_days", " from when sent")
	if h.EventWaiting > 0 && r.EventDays > 0 { // 0 keeps them all: none is kept past it
		kept := "are kept, as their leads wait for the CRM or their CRM operations changed since"
		if h.EventWaiting == 1 {
			kept = "is kept, as its lead waits for the CRM or its CRM operations changed since"
		}
		fmt.Fprintf(w, "  enquiries (their bodies): %d received more than %s ago %s (syncd outbox list -state pending)\n",
			h.EventWaiting, dayCount(r.EventDays), kept)
	}
	line("enquiries not readable (quarantined bodies)", "last delivered ", h.Quarantined, r.QuarantineDays, "quarantine_days", "")
	line("CRM operations finished", "", h.Op, r.OutboxDays, "outbox_days", "")
	if h.Pending.IsZero() {
		fmt.Fprintln(w, "  CRM operations not sent yet: none")
	} else {
		fmt.Fprintf(w, "  CRM operations not sent yet: since %s, %s (kept until sent)\n", clk.show(h.Pending), ago(h.Pending))
	}
	line("CRM links (an email or phone and its CRM id)", "", h.Link, r.LinkDays, "link_days", "")
	line("CRM create intents", "", h.Intent, r.OutboxDays, "outbox_days", "")
	line("erasure identifiers (keyed hashes of an erased email or phone)", "", h.ErasureID, r.ErasureDays, "erasure_days", "")
	return past
}

// workbooksSaid says which day the oldest workbook in the reports
// directory dir is of, against report.keep_days (keep), as heldSaid says
// the store's data, and returns its kind when older than that.
func workbooksSaid(w io.Writer, dir string, keep int, clk clock, now time.Time) (past []string) {
	const what = "daily reports (workbooks in report.dir)"
	names, _ := filepath.Glob(filepath.Join(dir, "leads-*.xlsx"))
	var oldest report.Day
	for _, n := range names {
		d, err := report.ParseDay(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(n), "leads-"), ".xlsx"))
		if err == nil && (oldest.Year == 0 || d.Before(oldest)) {
			oldest = d
		}
	}
	if oldest.Year == 0 {
		fmt.Fprintf(w, "  %s: none\n", what)
		return nil
	}
	today := report.DayOf(now, clk.loc)
	noon := func(d report.Day) time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }
	age := int(noon(today).Sub(noon(oldest)) / (24 * time.Hour))
	if keep <= 0 {
		fmt.Fprintf(w, "  %s: of %s, %s ago (kept for ever: report.keep_days 0)\n", what, oldest, dayCount(age))
		return nil
	}
	fmt.Fprintf(w, "  %s: of %s, %s ago (kept %s: report.keep_days)\n", what, oldest, dayCount(age), dayCount(keep))
	if age > keep {
		return []string{what}
	}
	return nil
}

// pastSaid ends purge's account of what it left: nothing older than its
// retention, or the kinds past that (heldSaid, workbooksSaid).
func pastSaid(w io.Writer, past []string) {
	if len(past) == 0 {
		fmt.Fprintln(w, "nothing held is older than its retention")
		return
	}
	fmt.Fprintf(w, "OLDER THAN ITS RETENTION: %s: the purge did not drop them: run syncd purge again, and if they stay, "+
		"look for its error in the daemon's log (retention purge)\n", strings.Join(past, ", "))
}

// purgeReports applies the retention to the workbooks in report.dir: it
// deletes those past report.keep_days, then makes again those of the days
// of received, which listed what the purge dropped (a keep_days longer
// than the retention's days kept the leads' names, emails and phones
// there, where erase and export no longer find the person). It returns
// the paths of each.
func purgeReports(ctx context.Context, cfg *config.Config, db store, received []time.Time) (deleted, remade []string, err error) {
	opts, err := reportOptions(ctx, cfg, db, newLogger(io.Discard, "error"))
	if err != nil {
		return nil, nil, err
	}
	if err := ownReportsDir(cfg); err != nil {
		return nil, nil, err // another agency's workbooks are not touched
	}
	deleted, perr := report.Prune(opts)
	remade, rerr := rewriteReports(ctx, cfg, db, received)
	return deleted, remade, errors.Join(perr, rerr)
}

// saidBackupsPast deletes the partial copies killed backups left beside
// those syncd backup made, and names each backup older than the retention
// (see backupsPastRetention): the purge cannot reach it.
func saidBackupsPast(ctx context.Context, w io.Writer, cfg *config.Config, db store) error {
	killed, kerr := removeKilledBackups(ctx, db, time.Now())
	for _, f := range killed {
		fmt.Fprintf(w, "backup: deleted %s, the partial copy a killed backup left\n", f)
	}
	list, err := backupsPastRetention(ctx, db, retentionOf(cfg.Retention, 0), time.Now(), sqlitePath(cfg))
	err = errors.Join(kerr, err)
	for _, b := range list {
		fmt.Fprintf(w, "backup: %s taken at %s is older than %s (%s): it holds what the retention no longer keeps, "+
			"out of syncd's reach: delete it, and keep backups for less\n", b.Path, clockOf(cfg).show(b.TakenAt), b.Setting, dayCount(b.Days))
	}
	return err
}

// pgKeeps tells, on PostgreSQL, where deleted data lives on (see README,
// Data protection): it has no secure delete.
func pgKeeps(w io.Writer, cfg *config.Config) {
	if cfg.Store.Kind == config.StorePostgres {
		fmt.Fprintln(w, "PostgreSQL keeps deleted data in its files until VACUUM, and in WAL archives and base backups as long as they are kept")
	}
}

// dayCount is n days, as purge says an age or a retention: "1 day", "90 days".
func dayCount(n int) string { return syncd.Counted(n, "day", "days") }
