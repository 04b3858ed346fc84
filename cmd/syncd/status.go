package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// cmdStatus prints the daemon's state at a glance: from the running
// daemon's /metrics when the daemon answering there serves this
// configuration's database, else from the database, saying why.
func cmdStatus(ctx context.Context, c *cli) int {
	fs := c.flags("status")
	file := fs.String("config", defaultConfig, "configuration file")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, statusExits()...)
	}
	c.stdout, c.stderr = forInstance(c.stdout, *file), forInstance(c.stderr, *file) // syncd@NAME's commands, for its file
	cfg, err := config.LoadWithoutSecrets(*file, c.getenv)
	var broken config.Problems
	if errors.As(err, &broken) { // find the daemon all the same: it runs on what it loaded before
		cfg, _ = config.Lenient(*file, c.getenv)
	}
	if cfg == nil {
		c.configFailed(*file, err)
		return exitUsage
	}
	addr := addrOf(cfg)
	clk := clockOf(cfg)
	dbPath, err := storeName(cfg)
	if err != nil { // a DSN that does not parse: an invalid configuration
		c.errorf("%s: %v", *file, err)
		return exitUsage
	}
	snap, err := scrape(ctx, "http://"+addr+"/metrics")
	switch {
	case err != nil && portChosenAtStart(addr): // found by its record only
		what := "the daemon"
		if cfg.Store.Kind != config.StoreSQLite {
			what = "this host's instance"
		}
		err = fmt.Errorf("no syncd answers: listen %s has the system choose a port as syncd starts, so status finds "+
			"%s only by the record it leaves in its data directory, and none answers there (a sender cannot "+
			"find that port either: give listen a fixed one, e.g. 127.0.0.1:8080)", addr, what)
	case err != nil:
		err = fmt.Errorf("no syncd answers at %s (%v)", addr, err)
	case broken != nil && cfg.Store.Kind == config.StorePostgres && cfg.Store.DSN == "": // the DSN not read: no database to compare
		err = fmt.Errorf("the syncd at %s serves %s, and status cannot tell whether that is this configuration's "+
			"database: it could not read the configuration's DSN (the problem above): run syncd status where it can "+
			"(as root, or as a user who may read the DSN file)", addr, orUnknown(snap.Database))
	case snap.Database != dbPath && !sameFile(snap.Database, dbPath):
		err = fmt.Errorf("the syncd at %s serves %s, not this configuration's database", addr, orUnknown(snap.Database))
	}
	found, note, misleads := addr+" as far as the file reads", "", false
	if err != nil {
		if rec, s, ok := recorded(ctx, *file, cfg, dbPath, snap.Database); ok {
			found, note, misleads = c.fromRecord(cfg, *file, rec, addr, snap, broken)
			addr, snap, err = rec.addr(), s, nil
		}
	}
	snap.Agency = cfg.Agency
	runs := ", runs on the configuration it loaded before"
	if err == nil { // the daemon found: one started by hand is reloaded and restarted otherwise than by systemctl
		c.stdout = reloadAsStarted(c.stdout, cfg)
		if c.notTheDaemons(*file, cfg, snap.PID) { // a file that does not load, and one still starting, too
			runs = ", runs on its own file, not this one"
		}
	}
	if broken != nil {
		return c.statusBroken(ctx, cfg, clk, snap, broken, err, found+runs+note)
	}
	if err == nil && !snap.WaitingSince.IsZero() {
		return c.statusWaiting(cfg, clk, snap)
	}
	if err == nil {
		code := c.statusRunning(ctx, cfg, clk, c.seenServing(ctx, cfg, addr, snap))
		return max(code, statusExit(misleads))
	}
	var own ownInstance // this host's instance on a shared store, found down
	if snap.Database == "" && cfg.Store.Kind != config.StoreSQLite {
		own.why = "no syncd answers at " + addr
		if portChosenAtStart(addr) {
			own = ownByRecord(cfg, *file, addr, dbPath)
		}
	}
	do := ""
	if cfg.Store.Kind == config.StoreSQLite && snap.Database == "" { // none answered: is one running?
		do = noAnswerDo(cfg, *file)
		c.stdout = reloadAsStarted(c.stdout, cfg) // one started by hand, running without answering: no systemctl restarts it
	}
	return c.statusOffline(ctx, cfg, clk, dbPath, err, do, own)
}

// notTheDaemons says, first, that the daemon pid found from file runs on
// another file, as its record says; true when it does. A file that does
// not load, or a daemon still starting, had no such line: the first said
// the daemon "runs on the configuration it loaded before", as if of this
// file. A daemon still waiting for its database has written no record.
func (c *cli) notTheDaemons(file string, cfg *config.Config, pid int) bool {
	r, ok := otherDaemonFile(file, cfg)
	if !ok || r.PID != pid {
		return false
	}
	fmt.Fprintf(c.stdout, "config        NOT THE DAEMON'S: %s\n", otherFileWords(r, file))
	return true
}

// seenServing completes the snapshot of the daemon answering at addr,
// which serves the database of cfg.
func (c *cli) seenServing(ctx context.Context, cfg *config.Config, addr string, snap Snapshot) Snapshot {
	snap.Refusing = !snap.DatabaseLost && refusing(ctx, "http://"+cfg.Listen+"/readyz")
	if snap.DatabaseLost && cfg.Store.Kind == config.StoreSQLite {
		snap.LostSaved = sqlite.LostCopy(snap.Database)
		snap.LostThere, snap.LostWAL = lostHow(snap.Database, snap.LostSaved)
	}
	if cfg.Store.Kind != config.StoreSQLite { // one of the instances sharing it: its figures are its own
		snap.Instance, snap.Shared = addr, true
	} else if snap.Database != "" {
		snap.InMemory, snap.UpgradeCopies = inMemory(snap.Database), sqlite.UpgradeCopiesBeside(snap.Database)
	}
	return snap
}

// statusBroken is status while the configuration file does not load
// (problems), read leniently into cfg: it had stopped at the problems,
// exit 2, where the operator whose edit the daemon refused to reload
// needs most to see that it runs on, and on what. It says first that the
// file does not load, the first problem and the syncd validate that lists
// them all, then the daemon found as cfg gives it (exit 5: it runs on a
// configuration the file no longer holds; found: where and how status
// found it); none answering there, or one serving another database (why),
// exit 2 as before, with every problem, and, the file broken above its
// data_dir, that status cannot tell which database is its.
func (c *cli) statusBroken(ctx context.Context, cfg *config.Config, clk clock, snap Snapshot, problems config.Problems, why error, found string) int {
	if why != nil {
		c.configFailed(cfg.File, problems)
		if !cfg.Settled("data_dir") {
			c.errorf("cannot tell which database is this configuration's: the file breaks above "+
				"its data_dir, and no syncd started on this file was found (%v; %s); "+
				"fix the file (syncd validate -config %s lists every problem), or run syncd status with SYNCD_DATA_DIR set to "+
				"its data directory (and SYNCD_LISTEN to the daemon's address)", why, noRecord(cfg.File), shellescape.Quote(cfg.File))
			return exitUsage
		}
		c.errorf("%v (listen and data_dir as far as the file reads)", why)
		return exitUsage
	}
	more := ""
	if n := len(problems) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	fmt.Fprintf(c.stdout, "config file   DOES NOT LOAD: %s%s; syncd validate -config %s lists every problem; "+
		"the daemon below, found at %s\n",
		problems[0], more, shellescape.Quote(cfg.File), found)
	snap.saidFirst = &problems[0]
	c.statusRunning(ctx, cfg, clk, c.seenServing(ctx, cfg, addrOf(cfg), snap))
	return exitAttention
}

// addrOf is where the daemon of cfg serves its /metrics.
func addrOf(cfg *config.Config) string {
	if cfg.Metrics.Listen != "" {
		return cfg.Metrics.Listen
	}
	return cfg.Listen
}

// ownInstance is what status tells of this host's instance on a shared
// store when none answered: why it is down (the words after "THIS HOST'S
// INSTANCE DOWN:"), or, unknown, why status cannot tell whether it runs.
// The zero value: nothing to tell (one answered).
type ownInstance struct {
	why     string
	unknown bool
}

// ownByRecord is what status tells of this host's instance on a shared
// store whose listen (addr) has the system choose its port: it found
// none by the record the daemon started on file leaves in its data
// directory (recorded), and says what that record is, if any: one of
// another file and database is none.
func ownByRecord(cfg *config.Config, file, addr, dbPath string) ownInstance {
	chosen := fmt.Sprintf("listen %s has the system choose a port as syncd starts, so status looks for it by the "+
		"record it leaves in its data directory", addr)
	if !cfg.Settled("data_dir") {
		return ownInstance{why: fmt.Sprintf("no syncd started on %s answers here (%s: %s)", file, chosen, noRecord(file))}
	}
	r, err := readServing(cfg.DataDir)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return ownInstance{unknown: true, why: fmt.Sprintf("status cannot tell whether a syncd started on %s runs here: %s, "+
			"and this user may not read %s: run syncd status as the daemon's user, or root", file, chosen,
			filepath.Join(cfg.DataDir, servingName))}
	case err != nil, r.Database != dbPath && !sameConfig(r.Config, file):
		return ownInstance{why: fmt.Sprintf("no syncd started on %s answers here (%s, and none is there: it stopped, "+
			"or never started here)", file, chosen)}
	}
	return ownInstance{why: fmt.Sprintf("no syncd started on %s answers here (%s: pid %d at %s, started %s, "+
		"does not answer: it was killed or crashed)", file, chosen, r.PID, r.addr(), r.Started.UTC().Format(time.RFC3339))}
}

// portChosenAtStart reports whether addr's port is 0: the system picks one
// each time syncd listens, so nothing can reach the daemon at addr.
func portChosenAtStart(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	return err == nil && port == "0"
}

// statusOffline prints what the database alone tells, no daemon serving
// it answering (why). A database that cannot be read either is named
// beside why on stderr: exit 5 like any other finding that needs
// attention (it was 1 or 4, as a command that failed, which a monitoring
// script told "exit 5 when something needs attention" took for something
// else than syncd down with its database gone).
func (c *cli) statusOffline(ctx context.Context, cfg *config.Config, clk clock, dbPath string, why error, do string, own ownInstance) int {
	if cfg.Store.Kind == config.StoreSQLite {
		if err := existingDB(cfg.DBPath()); err != nil { // say where the daemon's database is, if one answers
			return c.statusUnread(err, why)
		}
		if err := sqlite.CheckIntact(ctx, cfg.DBPath()); err != nil { // why no daemon serves it
			return c.statusUnread(err, why)
		}
	}
	db, err := openBackend(ctx, cfg, storeHooks{ReadOnly: true})
	if err != nil {
		code := c.statusUnread(err, why)
		if cfg.Store.Kind == config.StorePostgres && postgres.Unreachable(err) { // the line above says why, and what to do about it
			fmt.Fprint(c.stderr, "  neither syncd nor its database answers: see to the database as said above, and start syncd "+
				"(one started first waits for the database, and syncd status then says so)\n")
		}
		return code
	}
	defer db.Close()
	c.saidOpened(db)
	db.cluster = settle(db.cluster) // one read of the instances for every line, a late heartbeat waited for
	s, err := dbSnapshot(ctx, cfg, db)
	if err != nil {
		return c.statusUnread(err, why)
	}
	s.OfflineWhy, s.OfflineDo, s.Database, s.Agency = why.Error(), do, dbPath, cfg.Agency
	if cfg.Store.Kind == config.StoreSQLite {
		s.UpgradeCopies = sqlite.UpgradeCopiesBeside(dbPath)
	}
	s.NoneServes = nothingServes(ctx, cfg, db)
	if db.cluster != nil {
		s.Leaders = leadersOf(ctx, db.cluster)
	}
	if err := restoreStatus(ctx, cfg, db, &s); err != nil {
		c.errorf("restored backup: %v", err)
	}
	if err := intakeStops(ctx, db, clk, &s); err != nil {
		c.errorf("%v", err)
	}
	writeStatus(c.stdout, clk, s)
	return c.statusCluster(ctx, db, s, own)
}

// heldLeads puts into s how many events wait to be mapped while the
// daemon holds its mapping: the HELD line said that it maps none, not how
// many leads wait for the files to be fixed.
func heldLeads(ctx context.Context, db store, s *Snapshot) error {
	if s.MappingHeldSince.IsZero() {
		return nil
	}
	n, err := db.CountEvents(ctx, syncd.EventFilter{MapState: syncd.MapPending})
	if err != nil {
		return fmt.Errorf("leads waiting for the mapping: %w", err)
	}
	s.HeldLeads = n
	return nil
}

// statusUnread says that the database cannot be read (err) and no daemon
// serving it answers (why): exit 5.
func (c *cli) statusUnread(err, why error) int {
	c.errorf("%v; %v", err, why)
	return exitAttention
}

// statusRunning prints the running daemon's snapshot, with until when
// and why an adapter is paused, how the calls of a CRM failing every call
// fail (its rate limit), who a report's mail was refused for or why
// it failed, and the cluster, read from the store when
// there is something to read there; a store that cannot be read is
// named in the snapshot (exit 5), not a failure of status.
func (c *cli) statusRunning(ctx context.Context, cfg *config.Config, clk clock, snap Snapshot) int {
	c.staleOf(&snap, clk)
	held := !snap.MappingHeldSince.IsZero()
	if held {
		snap.HeldWhy, snap.HeldLeads = heldWhy(cfg, snap.Adapters), -1 // how many wait: from the database, below
	}
	rows := held || slices.ContainsFunc(snap.Adapters, func(a AdapterStatus) bool {
		return a.Paused || a.StuckCount > 0 || !a.FailingSince.IsZero()
	})
	if !rows && snap.ReportRefused == 0 && !snap.ReportMailFailed && !snap.ReportUnattached && snap.GivenUp() == 0 && cfg.Store.Kind == config.StoreSQLite {
		c.restoreOfDaemon(ctx, cfg, clk, &snap)
		writeStatus(c.stdout, clk, snap)
		return statusExit(snap.needsAttention())
	}
	db, err := openBackend(ctx, cfg, storeHooks{ReadOnly: true})
	if errors.Is(err, fs.ErrPermission) && cfg.Store.Kind == config.StoreSQLite { // not open to this user
		snap.notReadHere(notOpenTo(cfg))
		writeStatus(c.stdout, clk, snap)
		return statusExit(snap.needsAttention())
	}
	if err != nil { // a database outage: the daemon still says what it knows
		snap.Unreadable = err.Error()
		if cfg.Store.Kind == config.StorePostgres && postgres.Unreachable(err) { // the cause first, in plain words
			snap.Unreadable = postgres.Plainly(err) + " (" + err.Error() + ")"
		}
		writeStatus(c.stdout, clk, snap)
		return exitAttention
	}
	defer db.Close()
	c.saidOpened(db)
	db.cluster = settle(db.cluster) // one read of the instances for every line, a late heartbeat waited for
	if db.cluster != nil {
		err = errors.Join(leadersWork(ctx, cfg, db, &snap), clusterTotals(ctx, db, &snap), restoreStatus(ctx, cfg, db, &snap))
		snap.Leaders = leadersOf(ctx, db.cluster)
	} else {
		err = errors.Join(adapterDetails(ctx, cfg, db, &snap), mailDetails(ctx, cfg, db, &snap),
			restoreStatus(ctx, cfg, db, &snap), stuckAll(ctx, db, &snap))
		failingWhy(ctx, db, &snap)
	}
	err = errors.Join(err, givenUpDetails(ctx, db, &snap), intakeStops(ctx, db, clk, &snap), leadsWaiting(ctx, db, cfg, &snap),
		reportLook(ctx, db, clk, &snap), heldLeads(ctx, db, &snap))
	if err != nil {
		c.errorf("%v", err) // status still says what the daemon knows
	}
	writeStatus(c.stdout, clk, snap)
	return c.statusCluster(ctx, db, snap, ownInstance{})
}

// leadersWork puts into s what the leaders of a shared store recorded in
// it: the last sync, a pause, the last account check and since when every
// CRM call has failed (the sync leader's), the last report (the report
// leader's). The daemon that answers knows them only when it leads:
// another said "never" and "running" while the leader synced, was paused,
// or found the CRM down.
func leadersWork(ctx context.Context, cfg *config.Config, db store, s *Snapshot) error {
	d, err := dbSnapshot(ctx, cfg, db)
	if err != nil {
		return err
	}
	s.LastReport, s.ReportMailFailed, s.ReportLook = d.LastReport, d.ReportMailFailed, d.ReportLook
	s.ReportDay, s.ReportMail = d.ReportDay, d.ReportMail
	s.ReportRefused, s.ReportRefusedWho, s.ReportMailWhy = d.ReportRefused, d.ReportRefusedWho, d.ReportMailWhy
	s.ReportWaiting = d.ReportWaiting
	s.ReportUnattached, s.ReportUnattachedWhy = d.ReportUnattached, d.ReportUnattachedWhy
	for _, shared := range d.Adapters {
		for i := range s.Adapters {
			if a := &s.Adapters[i]; a.Name == shared.Name {
				a.LastSync, a.Paused, a.PausedUntil, a.PauseReason = shared.LastSync, shared.Paused, shared.PausedUntil, shared.PauseReason
				a.PauseKind = shared.PauseKind
				a.PauseEnded = shared.PauseEnded
				a.FailingSince, a.FailingWhy = shared.FailingSince, shared.FailingWhy
				a.StuckOps, a.StuckSince, a.StuckWhy = shared.StuckOps, shared.StuckSince, shared.StuckWhy
				if shared.Checked {
					a.Checked, a.CheckProblems, a.CheckedAt = true, shared.CheckProblems, shared.CheckedAt
				}
			}
		}
	}
	return nil
}

// clusterTotals puts into s what every instance sharing the store stored
// since the instance s was scraped from started: its own since-start
// counts are a part of the cluster's.
func clusterTotals(ctx context.Context, db store, s *Snapshot) error {
	if s.Started.IsZero() {
		return nil
	}
	f := syncd.EventFilter{Since: s.Started}
	events, err := db.CountEvents(ctx, f)
	if err != nil {
		return fmt.Errorf("count the cluster's events: %w", err)
	}
	quarantined, err := db.CountQuarantined(ctx, f)
	if err != nil {
		return fmt.Errorf("count the cluster's quarantined bodies: %w", err)
	}
	s.Cluster = &ClusterTotals{Events: events, Quarantined: quarantined}
	return nil
}

// syncedSince puts into s the last sync the database recorded when it is
// later than the daemon's own: a syncd sync run by hand while the daemon
// serves (status's own way out for a CRM down: "or now with syncd sync")
// records it there, while the daemon's metrics know only its own runs,
// the next of them up to 10 minutes on after failed calls. One after the
// daemon found every CRM call failing means the CRM answers again: status
// said "every CRM call failing" beside "0 pending" until that next run.
func syncedSince(ctx context.Context, db store, s *Snapshot) error {
	for i := range s.Adapters {
		a := &s.Adapters[i]
		last, err := db.LastSync(ctx, a.Name)
		if err != nil {
			return fmt.Errorf("last sync: %w", err)
		}
		if !last.After(a.LastSync) {
			continue
		}
		a.LastSync = last
		if !a.FailingSince.IsZero() && last.After(a.FailingSince) {
			a.FailingSince, a.FailingWhy = time.Time{}, ""
		}
	}
	return nil
}

// reportLook puts into s, while no report is the last report, the latest
// made by hand of a day not over (yesterday's, made before midnight, or
// today's): status said "last report never" right after the operator's
// syncd report -date TODAY said "report made".
func reportLook(ctx context.Context, db store, clk clock, s *Snapshot) error {
	if !s.LastReport.IsZero() {
		return nil
	}
	recs, err := db.Reports(ctx, report.DayOf(time.Now().AddDate(0, 0, -1), clk.loc).String())
	if err != nil {
		return fmt.Errorf("reports made by hand: %w", err)
	}
	for _, r := range recs { // oldest first
		if r.Partial {
			s.ReportLook = r
		}
	}
	return nil
}

// adapterDetails adds to the running daemon's view of each adapter what
// the database holds beside it: a sync by hand since the daemon's last
// (syncedSince), a pause not taken yet (pauseDetails), when the last
// account check ran (checkedAt). Both of status's ways with a running
// daemon take it, so that they say an adapter alike: the way taken when
// nothing else needed the database told a failed check without its time,
// and a pause without the check line's time until a special case.
func adapterDetails(ctx context.Context, cfg *config.Config, db store, s *Snapshot) error {
	err := errors.Join(syncedSince(ctx, db, s), pauseDetails(ctx, db, s))
	checkedAt(ctx, cfg, db, s)
	return err
}

// pauseDetails adds until when and why each paused adapter is paused,
// and pauses an adapter the daemon runs when the database holds a pause
// it has not taken yet: made by another process (syncd sync by hand
// meeting a revoked token), which the daemon reads at its next sync run
// and sends nothing meanwhile. Status said "running" until then.
func pauseDetails(ctx context.Context, db store, s *Snapshot) error {
	for i := range s.Adapters {
		a := &s.Adapters[i]
		p, err := db.AdapterPause(ctx, a.Name)
		if err != nil {
			return err
		}
		if !a.Paused {
			if p.Until.After(s.At) {
				a.Paused, a.PausedUntil, a.PauseReason, a.PauseKind = true, p.Until, p.Reason, p.Kind
			}
			continue
		}
		switch {
		case p.Until.After(s.At):
			a.PausedUntil, a.PauseReason, a.PauseKind = p.Until, p.Reason, p.Kind
		case !p.Until.IsZero(): // over, the daemon's next run not there yet
			a.PauseEnded, a.PauseReason, a.PauseKind = p.Until, p.Reason, p.Kind
		default: // lifted by another process, the daemon's next run not there yet
			a.PauseLifted = true
		}
	}
	return nil
}

// failingWhy adds, to each adapter the metrics say fails every call, how
// the last call failed, as the daemon's syncer stored it (with the
// Retry-After); if it cannot be read, the metrics' rateLimitedWhy stays.
func failingWhy(ctx context.Context, db failingReader, s *Snapshot) {
	for i := range s.Adapters {
		if a := &s.Adapters[i]; !a.FailingSince.IsZero() {
			if why := crmFailingOf(ctx, db, a.Name).Why; why != "" {
				a.FailingWhy = why
			}
		}
	}
}

// checkedAt adds when the last account check ran, which the metrics do
// not say, to the adapter it checked: a check that passed before the CRM
// refused a record for the account's configuration is told as such.
func checkedAt(ctx context.Context, cfg *config.Config, db store, s *Snapshot) {
	st, ok := lastCheck(ctx, cfg, db)
	for i := range s.Adapters {
		if a := &s.Adapters[i]; ok && a.Name == targetName(cfg) && a.Checked && a.CheckProblems == st.Problems {
			a.CheckedAt = st.at(db)
		}
	}
}

// stuckAll adds, to each adapter the metrics say has operations the CRM
// never takes, which of them are still pending.
func stuckAll(ctx context.Context, db store, s *Snapshot) error {
	for i := range s.Adapters {
		if s.Adapters[i].StuckCount > 0 {
			if err := stuckDetails(ctx, db, &s.Adapters[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// givenUpDetails adds how many of the operations given up by hand are
// CRM erasures of an earlier account done by hand, which no retry sends
// (/metrics counts them among the others): from the database.
func givenUpDetails(ctx context.Context, db store, s *Snapshot) error {
	if s.GivenUp() == 0 {
		return nil
	}
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return err
	}
	for i := range s.Outbox {
		for _, d := range depths {
			if d.Target == s.Outbox[i].Target {
				s.Outbox[i].OtherAccountGivenUp = min(d.OtherAccountGivenUp, s.Outbox[i].GivenUp)
			}
		}
	}
	return nil
}

// mailDetails adds who the last report's mail was refused for, which
// /metrics counts but does not name, or why it failed: the database keeps
// the addresses, the server's answers and the error.
func mailDetails(ctx context.Context, cfg *config.Config, db store, s *Snapshot) error {
	if s.ReportRefused == 0 && !s.ReportMailFailed && !s.ReportUnattached {
		return nil
	}
	rep, err := db.LastReport(ctx, reportsMailed(cfg))
	if err != nil {
		return err
	}
	if rep.Day != s.ReportDay {
		return nil
	}
	_, s.ReportRefusedWho = report.Refused(rep)
	s.ReportWaiting = report.WaitingForNow(rep)
	s.ReportUnattachedWhy = report.Unattached(rep)
	if notMailed(rep) {
		s.ReportMailWhy = rep.MailError
	}
	return nil
}

// statusCluster prints the instances sharing a store, if it is shared, and
// returns status's exit status for s: a daemon must answer, this
// configuration's on SQLite; on a shared store any instance, and this
// host's own (own: why it was not found, where none answers; the zero
// value when one answers). With listen's port chosen at start it is found by the record
// it leaves in its data directory: status said nothing of this host's
// instance down there.
// Status on a host whose instance was down exited 0 while another ran:
// a monitoring check run on each host said nothing of the host down, the
// fleet one failure from losing every lead, and the deliveries a load
// balancer sends there failing.
func (c *cli) statusCluster(ctx context.Context, db *backend, s Snapshot, own ownInstance) int {
	down, differ, noWrites := s.Offline, false, false
	if db.cluster != nil {
		noWrites = c.saidNoWrites(ctx, db)
		n, lasting, err := writeCluster(ctx, c.stdout, db.cluster)
		if err != nil { // the database cannot be read
			c.errorf("%v", err)
			return exitAttention
		}
		down, differ = n == 0, lasting
		switch {
		case own.why == "" || n == 0:
		case own.unknown:
			fmt.Fprintf(c.stdout, "  THIS HOST'S INSTANCE UNKNOWN: %s; %s\n", own.why,
				syncd.Counted(n, "instance runs", "instances run"))
			down = true
		default:
			fmt.Fprintf(c.stdout, "  THIS HOST'S INSTANCE DOWN: %s; %s: deliveries a load balancer "+
				"sends here fail until it skips this host (systemctl status syncd here)\n",
				own.why, syncd.Counted(n, "other instance runs", "other instances run"))
			down = true
		}
	}
	return statusExit(down || differ || noWrites || s.needsAttention())
}

// saidNoWrites says, and reports, that the shared database takes no
// writes (a read replica's or a standby's endpoint, default_transaction_read_only
// on the role or the database), as validate does: status reads it all the
// same, but serve refuses to start on it and an instance whose sessions
// reach it stores no lead. Before, status failed on its own housekeeping
// there ("cannot execute DELETE in a read-only transaction", exit 5).
func (c *cli) saidNoWrites(ctx context.Context, db *backend) bool {
	why, err := db.cluster.TakesNoWrites(ctx)
	if err != nil || why == "" { // a database that cannot be read is said by what follows
		return false
	}
	fmt.Fprintf(c.stdout, "database: %s TAKES NO WRITES: %s; serve refuses to start on it, and an instance whose "+
		"sessions reach it stores no lead\n", db.where, why)
	return true
}

// statusExit is exitAttention when something needs attention, for
// monitoring scripts; else exitOK.
func statusExit(attention bool) int {
	if attention {
		return exitAttention
	}
	return exitOK
}

// sameFile reports whether the SQLite files at paths a and b are one file,
// reached two ways (a symbolic link to data moved to another disk).
func sameFile(a, b string) bool {
	stA, errA := os.Stat(a)
	stB, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(stA, stB)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed database"
	}
	return s
}

func scrape(ctx context.Context, url string) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Snapshot{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Snapshot{}, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	return parseSnapshot(resp.Body, time.Now())
}

// refusing reports whether the daemon's /readyz at url answers 503: it
// answers every delivery 503 too, its store failing (its disk full, the
// database locked or unreachable). Status said nothing of it, exit 0,
// while systemctl status said "disk FULL". False when /readyz cannot be
// asked (listen is not where systemd's socket is) or answers otherwise.
func refusing(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusServiceUnavailable
}

// dbSnapshot is what the database alone can tell.
func dbSnapshot(ctx context.Context, cfg *config.Config, db store) (Snapshot, error) {
	s := Snapshot{At: time.Now(), Version: binaryVersion(), Offline: true, Shared: cfg.Store.Kind != config.StoreSQLite}
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return s, err
	}
	s.OutboxKnown = true
	for _, d := range depths {
		s.Outbox = append(s.Outbox, metrics.OutboxDepth(d))
	}
	target := targetName(cfg)
	last, err := db.LastSync(ctx, target)
	if err != nil {
		return s, err
	}
	s.Adapters = []AdapterStatus{{Name: target, Paused: true, LastSync: last}}
	if err := pauseDetails(ctx, db, &s); err != nil {
		return s, err
	}
	s.Adapters[0].Paused = !s.Adapters[0].PausedUntil.IsZero()
	// The sync leader's; on SQLite that of a daemon that does not answer,
	// or of syncd sync runs while none serves it.
	f := crmFailingOf(ctx, db, target)
	s.Adapters[0].FailingSince, s.Adapters[0].FailingWhy = f.Since, f.Why
	if cfg.Store.Kind != config.StoreSQLite {
		if err := stuckDetails(ctx, db, &s.Adapters[0]); err != nil {
			return s, err
		}
	}
	if st, ok := lastCheck(ctx, cfg, db); ok {
		s.Adapters[0].Checked, s.Adapters[0].CheckProblems, s.Adapters[0].CheckedAt = true, st.Problems, st.at(db)
	}
	if err := leadsWaiting(ctx, db, cfg, &s); err != nil {
		return s, err
	}
	rep, err := db.LastReport(ctx, reportsMailed(cfg))
	if err != nil {
		return s, err
	}
	if rep.Day == "" {
		return s, reportLook(ctx, db, clockOf(cfg), &s)
	}
	if rep.Day != "" {
		s.LastReport, s.ReportMailFailed = rep.CreatedAt, notMailed(rep)
		s.ReportDay, s.ReportMail = rep.Day, string(rep.Mail)
		s.ReportRefused, s.ReportRefusedWho = report.Refused(rep)
		s.ReportWaiting = report.WaitingForNow(rep)
		s.ReportUnattachedWhy = report.Unattached(rep)
		s.ReportUnattached = s.ReportUnattachedWhy != ""
		if s.ReportMailFailed {
			s.ReportMailWhy = rep.MailError
		}
	}
	return s, nil
}

// lostHow tells, of the daemon's SQLite database at path found lost and
// not saved (saved ""), a file written over it in place (a backup copied
// over it: rollback mode, where syncd's is in WAL mode) from its -wal
// removed (the file as it was, what was committed copied into it); false
// for both where nothing is at path (renamed) or it cannot be read here.
func lostHow(path, saved string) (there, wal bool) {
	if saved != "" {
		return false, false
	}
	f, err := os.Open(path)
	if err != nil {
		return false, false
	}
	defer f.Close()
	head := make([]byte, 20)
	if n, _ := io.ReadFull(f, head); n < len(head) {
		return false, false
	}
	isWAL := head[18] == 2 && head[19] == 2
	return !isWAL, isWAL
}
