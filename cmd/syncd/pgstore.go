package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// cluster is how instances sharing one store coordinate: a part that needs
// one actor (the syncer, within one CRM rate budget; the report) runs where
// it is led, nudges reach every instance, and each records that it runs.
type cluster interface {
	Lead(ctx context.Context, part string, fn func(context.Context) error) error
	Listen(ctx context.Context, on map[string]func()) error
	Heartbeat(ctx context.Context, listen, version string, settings func() string) error
	Instances(ctx context.Context, within time.Duration) ([]syncd.Instance, error)
	TryLead(ctx context.Context, part string, fn func(context.Context) error) (bool, error)
	Notify(ctx context.Context, channel string) error
	Leads() []string
	ReloadRejected(rejected bool)
	RemovedSince(ctx context.Context, from, to, since time.Time) (int, error)
	// TakesNoWrites says why the database takes no writes (a replica, a
	// read-only role), or "".
	TakesNoWrites(ctx context.Context) (string, error)
}

var (
	_ store   = (*postgres.DB)(nil)
	_ intake  = (*postgres.Intake)(nil)
	_ cluster = (*postgres.DB)(nil)
)

// openPostgres opens the PostgreSQL store the configuration names.
func openPostgres(ctx context.Context, cfg *config.Config, h storeHooks) (*backend, error) {
	name := "command"
	if h.Daemon {
		name = "serve"
	}
	db, err := postgres.OpenWith(ctx, cfg.Store.DSN, postgres.Options{Name: name, Migrating: h.Migrating, Serving: h.Daemon,
		ContactKey: mapping.EmailKey})
	if err != nil {
		return nil, err
	}
	db.OnError, db.OnAnswer = h.OnError, h.OnAnswer
	b := &backend{store: db, where: db.Where(), cluster: db, newIntake: func(cfg *config.Config) intake {
		return db.NewIntake(postgres.IntakeOptions{MaxBatch: cfg.Intake.MaxBatch, Window: cfg.Intake.DedupWindow})
	}}
	if from, to := db.Migrated(); from > 0 && from != to { // not a new database
		b.migrated = fmt.Sprintf("%d -> %d", from, to)
		b.wayBack = "instances on an older syncd go on, but one restarted no longer starts"
		b.keyClashes = db.KeyClashes()
		b.leads = db.LeadsUpgraded()
	}
	return b, nil
}

// migrateExtend is how often serve extends systemd's start timeout (by
// three times as much) while the schema migrates: a migration that builds
// an index on a large table may outlast TimeoutStartSec, and one killed
// there is rolled back and tried again at every restart, for ever.
const migrateExtend = 10 * time.Second

// startWaits tells systemd and the log what a start waits for on a shared
// store, keeping the start timeout extended until the next step or end.
type startWaits struct {
	log      zerolog.Logger
	notifier *systemd.Notifier
	stop     func()
}

// say is postgres.Options.Migrating.
func (w *startWaits) say(status string) {
	w.end()
	w.log.Info().Msg("start: " + status)
	w.stop = w.notifier.Extending(status, migrateExtend)
}

// end stops extending the start timeout.
func (w *startWaits) end() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
}

// parts are the daemon's background parts. On a shared store the syncer and
// the reporter run only on the instance that leads them, and every instance
// listens for nudges and records its heartbeat; mapping runs everywhere
// (recording a mapping twice adds nothing).
func (d *daemon) parts() map[string]func(context.Context) error {
	parts := map[string]func(context.Context) error{
		"mapping": d.worker.Run,
		"sync":    d.held.after(d.syncer.Run), // without the mappings the adapter knows no write modes
		"report":  d.reporter.Run,
		"purge":   d.purge.Run, // when no report has let it run for a day and a half
		// one info line a minute of the deliveries stored, per source
		"deliveries": d.recv.Run,
		// the quarantined bodies waiting for a person, for the gauge and the status line
		"quarantine": d.watchQuarantine,
		// the configuration and mapping files changed on disk since loaded
		"config-files": d.watchLoaded,
	}
	c := d.db.cluster
	if c == nil {
		return parts
	}
	parts["sync"] = d.held.after(func(ctx context.Context) error { return c.Lead(ctx, "sync", d.leadSync) })
	parts["report"] = func(ctx context.Context) error { return c.Lead(ctx, "report", d.leadReport) }
	parts["listen"] = func(ctx context.Context) error {
		return c.Listen(ctx, map[string]func(){
			postgres.ChannelEvents: d.worker.Nudge,
			postgres.ChannelOutbox: d.syncer.Nudge,
		})
	}
	parts["heartbeat"] = func(ctx context.Context) error {
		return c.Heartbeat(ctx, d.addr, binaryVersion(), func() string { return *d.settings.Load() })
	}
	parts["settings"] = d.watchSettings
	parts["follow-sync"] = d.followSync
	parts["keep-reports"] = d.keepReports
	return parts
}

// keepReports applies report.keep_days to this host's report directory
// now and every hour, whichever instance leads the report: the workbooks
// an instance made while it led would otherwise stay until it leads again.
// It also makes again those listing what an erase or a purge run on
// another host removed since (remakeRemovedCopies), and every hour erases
// again whom a restore of the database brought back (eraseLostAgain).
func (d *daemon) keepReports(ctx context.Context) error {
	opts, err := reportOptions(ctx, d.cfg, d.db, d.log)
	for err != nil { // the database not answering as the daemon starts: this part stopped for good, and the watchdog's pings with it
		d.down.sayOr("keep reports", err, func(err error) {
			d.log.Warn().Err(err).Msg("keep reports: read what the reports need; trying again in a minute")
		})
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Minute):
		}
		opts, err = reportOptions(ctx, d.cfg, d.db, d.log)
	}
	opts.Phone = d.reports.phone // the workbooks it makes again show phones as the day's report does
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if _, err := report.Prune(opts); err != nil {
			d.log.Warn().Err(err).Msg("prune reports")
		}
		d.remakeRemovedCopies(ctx, opts)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := eraseLostAgain(ctx, d.cfg, d.db.store, false, d.log); err != nil {
			d.down.sayOr("keep reports", err, func(err error) {
				d.log.Error().Err(err).Str("fix", eraseAgainFix).Msg("erasures run on this host that the database lacks: not looked for")
			})
		}
	}
}

// clusterSeen is how recent a heartbeat must be for syncd status to count
// the instance as running.
const clusterSeen = 30 * time.Second

// writeCluster prints the instances sharing the store, the syncd each runs
// and what each leads, and a line when they run different versions (a
// rolling upgrade under way or left unfinished) or differ in settings; it
// returns how many run (seen within leadLapse: a silent one, killed,
// frozen or cut off, stores and sends nothing, though its row stays for
// clusterSeen; with every instance killed status exited 0 for those 30 s),
// and whether settings have differed for settingsGrace (which needs
// attention). An instance gone (its database sessions all ended: killed
// or crashed) runs no more at once, its row as fresh as it is: status
// said it ran for up to leadLapse after a kill -9.
func writeCluster(ctx context.Context, w io.Writer, c cluster) (running int, attention bool, err error) {
	ins, err := settle(c).Instances(ctx, clusterSeen)
	if err != nil {
		return 0, false, err
	}
	fmt.Fprintf(w, "cluster: %s seen in the last %s\n", syncd.Counted(len(ins), "instance", "instances"), clusterSeen)
	now := time.Now()
	leads := leadsNow(ins, now)
	gone := 0
	for i, in := range ins {
		seen := age(now.Sub(in.SeenAt)) + " ago"
		up := "up " + age(now.Sub(in.StartedAt))
		switch {
		case in.Gone:
			seen += " (GONE: its database sessions have ended: killed or crashed)"
			gone++
		case now.Sub(in.SeenAt) > leadLapse:
			seen += " (silent: stopped, frozen or cut off)"
		default:
			running++
		}
		if in.Gone || now.Sub(in.SeenAt) > leadLapse { // how long it ran until last seen, not up since
			up = "ran " + age(in.SeenAt.Sub(in.StartedAt))
		}
		fmt.Fprintf(w, "  %s pid %d listen %s  syncd %s  %s  seen %s  leads %s\n", in.Host, in.PID, in.Listen,
			instanceVersion(in), up, seen, cmp.Or(strings.Join(leads[i], ","), "-"))
	}
	if running == 0 && len(ins) > 0 {
		who := "the instance is"
		if len(ins) > 1 {
			who = fmt.Sprintf("all %d are", len(ins))
		}
		how := fmt.Sprintf("silent for over %s", leadLapse)
		switch gone {
		case 1:
			how = "gone (its database sessions have ended: killed or crashed)"
		case len(ins):
			how = "gone (their database sessions have ended: killed or crashed)"
		case 0:
		default:
			how = fmt.Sprintf("gone (killed or crashed) or silent for over %s", leadLapse)
		}
		fmt.Fprintf(w, "  NONE RUNS: %s %s: no delivery is stored and nothing is sent to the CRM "+
			"until one runs again (systemctl status syncd on each host)\n", who, how)
	}
	if line := versionsLine(ins); line != "" {
		fmt.Fprintf(w, "  %s\n", line)
	}
	lines, lasting := settingsLines(ins, now)
	rejected := rejectedLines(ins, now)
	for _, line := range append(lines, rejected...) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	return running, lasting || len(rejected) > 0, nil
}

// rejectedLines names, for syncd status on any host, the instances whose
// last configuration reload was rejected: they run on the configuration
// before it (a new token refused there, a mapping not applied). Before,
// only status asking that instance itself said so.
func rejectedLines(ins []syncd.Instance, now time.Time) []string {
	var lines []string
	for _, in := range ins {
		if !in.ReloadRejectedAt.IsZero() {
			lines = append(lines, fmt.Sprintf("%s pid %d: LAST RELOAD FAILED %s ago: running on its previous configuration"+
				" (why: its journal, \"reload rejected\"); fix its configuration file and reload it", in.Host, in.PID,
				age(now.Sub(in.ReloadRejectedAt))))
		}
	}
	return lines
}

// clusterRecheck is how long syncd status waits, once, for the instances
// whose heartbeat is late to beat again: a heartbeat comes every 2 s, so
// one late by more is stopped, frozen or cut off from the database, or
// its database has just come back from an outage (its next beat, within
// 2 s, records it again).
const clusterRecheck = 3 * time.Second

// clusterLate is how long ago an instance's last heartbeat may be for
// settled to wait for its next: an outage of the database up to that
// long. Beyond, it is taken as stopped; the rows of instances killed stay
// for an hour.
const clusterLate = 10 * time.Minute

// settled is a cluster whose Instances reads the rows once, again after
// recheck when an instance's heartbeat is late (more than leadLapse,
// within clusterLate) or an instance is gone (its sessions ended: killed,
// or the database just restarted under it, its sessions not yet back;
// one whose heartbeat beat meanwhile is not gone), and answers every
// later call from that read: right
// after the database came back from an outage no instance had yet beaten
// again, and syncd status said "cluster: 0 instance(s) seen" (an outage
// over 30 s; exit 5), "nothing sends them by itself" or each instance
// "silent: stopped, frozen or cut off" while they ran and beat again a
// second later. An instance still late after it is silent. Status's lines
// all read the one settled read, waiting once.
type settled struct {
	cluster
	recheck time.Duration
	ins     []syncd.Instance
	read    bool
}

// settle returns c as settled (c itself when it is already, nil when nil).
func settle(c cluster) cluster {
	if _, ok := c.(*settled); ok || c == nil {
		return c
	}
	return &settled{cluster: c, recheck: clusterRecheck}
}

// Instances returns the instances seen within `within` (at most
// clusterLate) as the settled read has them.
func (s *settled) Instances(ctx context.Context, within time.Duration) ([]syncd.Instance, error) {
	if !s.read {
		ins, err := s.cluster.Instances(ctx, clusterLate)
		if err != nil {
			return nil, err
		}
		if late(ins, time.Now()) {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(s.recheck):
			}
			first := ins
			if ins, err = s.cluster.Instances(ctx, clusterLate); err != nil {
				return nil, err
			}
			beatAgain(first, ins)
		}
		s.ins, s.read = ins, true
	}
	var seen []syncd.Instance
	for _, in := range s.ins {
		if time.Since(in.SeenAt) <= within {
			seen = append(seen, in)
		}
	}
	return seen, nil
}

// late reports whether an instance's heartbeat is late, or it is gone.
func late(ins []syncd.Instance, now time.Time) bool {
	return slices.ContainsFunc(ins, func(in syncd.Instance) bool { return !runs(in, now) })
}

// beatAgain clears Gone of each instance of again whose heartbeat beat
// since the read before (first): it runs, its sessions there though the
// reads did not see them (the database came back a moment ago). A beat
// moves its time on by a heartbeat (2 s); each read puts the server's
// times on this host's clock anew, a few microseconds apart.
func beatAgain(first, again []syncd.Instance) {
	for i := range again {
		for _, f := range first {
			if f.ID == again[i].ID && again[i].SeenAt.Sub(f.SeenAt) > heartbeatEvery/2 {
				again[i].Gone = false
			}
		}
	}
}

// runs reports whether instance in runs at now: it is not gone and its
// heartbeat is not late by more than leadLapse.
func runs(in syncd.Instance, now time.Time) bool {
	return !in.Gone && now.Sub(in.SeenAt) <= leadLapse
}

// anyRuns reports whether one of ins runs now.
func anyRuns(ins []syncd.Instance) bool {
	now := time.Now()
	return slices.ContainsFunc(ins, func(in syncd.Instance) bool { return runs(in, now) })
}

// leadLapse is how long an instance may go unseen and still lead: its
// heartbeat comes every 2 s, and the session holding its lock ends with
// it (killed) or 5 s after it stopped answering (frozen, cut off).
const leadLapse = 10 * time.Second

// leadsNow returns the parts each instance leads as far as the rows can
// tell: a part another instance claimed later is that one's (the row of a
// leader that died still names it until it ages out), and an instance
// that runs no more (runs) leads nothing.
func leadsNow(ins []syncd.Instance, now time.Time) [][]string {
	last := map[string]time.Time{} // part: when its latest claimant was seen
	for _, in := range ins {
		for _, p := range in.Leads {
			if in.SeenAt.After(last[p]) {
				last[p] = in.SeenAt
			}
		}
	}
	out := make([][]string, len(ins))
	for i, in := range ins {
		for _, p := range in.Leads {
			if in.SeenAt.Equal(last[p]) && runs(in, now) {
				out[i] = append(out[i], p)
			}
		}
	}
	return out
}

// instanceVersion is the syncd an instance runs, as status shows it.
func instanceVersion(in syncd.Instance) string {
	if in.Schema == 0 {
		return "older (it records no version)"
	}
	return fmt.Sprintf("%s (schema %d)", in.Version, in.Schema)
}

// versionsLine says, when the instances run different syncd versions, how
// many run each, oldest start first, and what to do; "" when they agree.
func versionsLine(ins []syncd.Instance) string {
	var seen []string
	count := map[string]int{}
	schemas := map[int]bool{}
	for _, in := range ins {
		v := instanceVersion(in)
		if count[v] == 0 {
			seen = append(seen, v)
		}
		count[v]++
		schemas[in.Schema] = true
	}
	if len(seen) < 2 {
		return ""
	}
	for i, v := range seen {
		seen[i] = fmt.Sprintf("%d on %s", count[v], v)
	}
	line := "versions differ: " + strings.Join(seen, ", ") + ": an upgrade is under way or unfinished; install the same syncd on every host"
	if len(schemas) > 1 {
		line += " (one on an older schema does not start again once restarted)"
	}
	return line
}

// runsSync reports whether the syncer runs here: always on SQLite, on the
// sync leader on a shared store. The account check goes with it, so that
// one client spends the CRM's rate budget, after a reload of every
// instance too.
func (d *daemon) runsSync() bool {
	return d.db.cluster == nil || slices.Contains(d.db.cluster.Leads(), "sync")
}

// leadSync runs the CRM account check and the syncer on the instance that
// just became the sync leader. It first lets one rate window of the CRM pass: the CRM counts requests
// per account, and those of the previous leader (killed a moment ago,
// maybe) still count, so the budget across instances stays whole. As at
// a single instance's start, the check is the alarm, never a stop, and
// runs beside the syncer: against a CRM that hangs, its reads take each
// attempt's crm.timeout, and the leads would wait for all of them. A pass
// lifts a pause a previous leader stored (a rejected token since replaced
// and the fleet restarted). A CRM failing that a previous leader stored
// is cleared: this one tells it again if it fails for it too; and once it
// no longer leads, it tells of none, its check ended too.
func (d *daemon) leadSync(ctx context.Context) error {
	d.log.Info().Dur("wait_ms", rateWindow(d.cfg)).Msg("leading sync")
	d.seen.starting(ctx)
	select {
	case <-ctx.Done():
		return nil
	case <-time.After(rateWindow(d.cfg)):
	}
	defer d.seen.ledNoMore()
	var check sync.WaitGroup
	defer check.Wait() // before ledNoMore: the lead ended, the check records nothing more
	checkCtx, stopCheck := context.WithCancel(ctx)
	defer stopCheck()        // a syncer that returned on its own ends the lead: the check with it
	kept := d.keptPause(ctx) // before the syncer runs, as at a single instance's start
	check.Go(func() { d.startCheck(checkCtx, kept) })
	return d.syncer.Run(ctx)
}

// leadReport runs the report scheduler on the instance that just became
// the report leader, saying so: the journal said "leading sync" as the
// sync's lead moved (a restart, a leader cut off) and nothing of the
// report's, which is made, and kept, in the leader's own report.dir.
func (d *daemon) leadReport(ctx context.Context) error {
	d.log.Info().Str("dir", d.cfg.Report.Dir).Msg("leading report: the daily report is made here, in this host's report.dir")
	return d.reporter.Run(ctx)
}

// rateWindow is the configured CRM's rate window.
func rateWindow(cfg *config.Config) time.Duration {
	switch cfg.CRM.Kind {
	case "hubspot":
		return cfg.CRM.HubSpot.Window
	case "pipedrive":
		return cfg.CRM.Pipedrive.Window
	}
	return 0
}
