package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/holdlock"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/ratelog"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
	"github.com/syncd-dev/syncd/internal/systemd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// cmdServe runs the daemon until SIGINT or SIGTERM: it stops accepting,
// lets requests in flight finish their commits, stops the background parts,
// closes the database and exits 0. SIGHUP reloads the sources and
// mappings, the agency's name and the CRM's token and pin (reload).
// reportRetryEnv, for the tests alone, sets the report scheduler's waits
// before it tries a mail or a run again (a Go duration; 1 and 10 minutes
// without it, doubling): no setting of the configuration, as no operator
// has a reason to change them.
const reportRetryEnv = "SYNCD_TEST_REPORT_RETRY"

func cmdServe(ctx context.Context, c *cli) int {
	fs := c.flags("serve")
	file := fs.String("config", defaultConfig, "configuration file")
	var start startFlags
	fs.BoolVar(&start.fresh, "fresh", false, "start with an empty database although this data directory held one that is gone")
	fs.BoolVar(&start.walLost, "wal-lost", false, "start on a database whose daemon's write-ahead log was left behind and is lost, "+
		"as on a restored backup")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, serveExits()...)
	}
	out := c.stdout // the journal's stream itself under systemd (daemonLogger), before loadConfig wraps it
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	log := daemonLogger(out, cfg, *file)
	logWarnings(log, cfg)
	for _, w := range otherAgencies(*file, cfg, c.getenv) { // what validate warns of, for a start without it
		log.Warn().Str("config", abs(*file)).Msg(w)
	}
	if w := tooFewFiles(cfg.HTTP.MaxConnections); w != "" {
		log.Warn().Msg(w)
	}
	if err := errors.Join(reservedInstance(cfg, c.getenv), rootOnServiceData(cfg, *file, start), rootsLeftovers(cfg)); err != nil {
		log.Error().Err(err).Msg("start")
		return exitUsage // each a directory or user to change: a restart does not (startStatus)
	}
	// SIGHUP's default action ends the process: caught from here on, so
	// that a reload asked for while the daemon starts (waiting for room on
	// a full disk) is done once it serves.
	reloads := make(chan os.Signal, 1)
	signal.Notify(reloads, syscall.SIGHUP)
	defer signal.Stop(reloads)
	// Listen before the database opens: a taken address must not leave
	// an empty database behind it (nor wait for room on a full disk).
	ln, mln, err := listen(cfg)
	if err != nil {
		return logListenError(log, cfg, c.getenv, err)
	}
	if err := placeholdersAbroad(cfg, ln.Addr()); err != nil { // before anything is created
		ln.Close()
		if mln != nil {
			mln.Close()
		}
		log.Error().Err(err).Msg("start")
		return exitUsage // a token or the socket unit to change
	}
	d, err := newDaemonWhenReachable(ctx, *file, cfg, log, start, ln, mln)
	if err != nil && ctx.Err() != nil { // stopped while waiting for room or for the database
		log.Info().Msg("stopped")
		return exitOK
	}
	if err != nil {
		ln.Close()
		if mln != nil {
			mln.Close()
		}
		log.Error().Err(servedByOther(err, *file)).Msg("start")
		return startStatus(err)
	}
	defer d.closeStore()
	warnForeignSocket(log, cfg, ln)
	if err := d.run(ctx, ln, mln, reloads); err != nil {
		log.Error().Err(err).Msg("serve")
		return exitFailure
	}
	log.Info().Msg("stopped")
	return exitOK
}

// daemon is the running service: its parts and the order they stop in.
type daemon struct {
	file     string
	cfg      *config.Config // as started; reloads change the agency's name, sources and mappings only (reports.config())
	db       *backend
	log      zerolog.Logger
	metrics  *metrics.Metrics
	notifier *systemd.Notifier
	line     *statusLine // the notifier's STATUS=: what needs attention

	intake   intake
	recv     *webhook.Receiver
	worker   *mapping.Worker
	syncer   *syncer.Syncer
	reporter *report.Scheduler
	purge    *purger // the daily retention purge, after the report or without it
	adapter  syncd.CRM
	crmToken string // the token the adapter holds: a reload may change it
	crmPin   string // the account id the adapter is pinned to: a reload may change it
	// movedSaid is the pair of accounts (made in, now) of the last
	// "crm account changed" line, logged once per pair (sayAccountMoved).
	movedSaid atomic.Value
	// damagedSaid is set once the database was found damaged under the
	// daemon and said so (damagedrun.go).
	damagedSaid atomic.Bool
	rules       atomic.Pointer[mapping.Rules] // as loaded last: the account check reads them; nil while held
	// held is the mapping held: its files did not load as the daemon
	// started (mappinghold.go).
	held mappingHold
	// loaded is what the daemon loaded last, its configuration and
	// mapping files, compared with those on disk (configstale.go).
	loaded   staleWatch
	settings atomic.Pointer[string] // the digest of what must agree across instances (clustersettings.go)
	// reports is what the reports read of the sources as last loaded
	// (reportlive.go).
	reports reportSources
	// installed is when the daemon first ran on this database: no report
	// is made of a day before.
	installed time.Time
	// backupTaken and restoredAt: the database is a backup restored (restored.go).
	backupTaken, restoredAt time.Time

	// checked is how the last account check went and what the log was
	// told of it: a CRM down when it ran fails it too, so it runs again
	// once a call goes through (crmSeen).
	checked checkTold
	// seen is what the syncer tells of the CRM answering (crmSeen).
	seen *crmSeen

	stopped atomic.Int32 // background parts that returned early
	addr    string       // the address served on, once listening
	// reportsLock is held on the reports directory while the daemon runs
	// (SQLite; nil on PostgreSQL, whose instances share their reports).
	reportsLock *holdlock.Lock
	// quarantined asks watchQuarantine to count the bodies waiting now.
	quarantined chan struct{}
	// serving is the record of where it serves left in its data
	// directory for syncd status (servingrecord.go); nil on a shared store.
	serving *servingRecord
	// down tells the log of a shared database not answering (storedown.go);
	// nil on SQLite.
	down *storeDown
	// storeErrorsDone writes the count of the store's failures held back
	// (storeErrors); closeStore calls it.
	storeErrorsDone func()
}

// storeErrors logs the failures a store reports on its own (a group commit,
// and on PostgreSQL a newer schema, and what of a lost lead, the listen
// session and the heartbeat is not the database not answering: storeDown
// takes that), each kind, the error's text before its first ": ", at most once
// per 10 s: a storm of one kind (a database restarting) does not hide the
// line of another. It returns the function logging one, and the one
// writing at once the count of those held back (ratelog.Limiter.Close),
// for the daemon's stop once its store no longer reports (closeStore).
func storeErrors(log zerolog.Logger) (say func(error), done func()) {
	l := ratelog.New(log, 0, nil)
	return func(err error) {
		kind, _, _ := strings.Cut(err.Error(), ": ")
		l.Error(kind, err, "store", nil)
	}, l.Close
}

// closeStore closes the database at the daemon's stop, then writes the
// count of the store's failures held back in the last 10 s (storeErrors):
// the store reports through them until it is closed.
func (d *daemon) closeStore() {
	if err := d.db.Close(); err != nil { // the next start may refuse what it left: say why
		d.log.Error().Err(err).Msg("close database")
	}
	if d.storeErrorsDone != nil {
		d.storeErrorsDone()
	}
}

// startFlags are serve's flags for a database it would refuse: -fresh,
// where the database was lost, and -wal-lost, where its daemon's
// write-ahead log was left behind (sqlite.WALLeftBehind).
type startFlags struct {
	fresh, walLost bool
}

// newDaemon opens the database and builds every part; nothing runs yet.
func newDaemon(ctx context.Context, file string, cfg *config.Config, log zerolog.Logger, start startFlags) (*daemon, error) {
	d := &daemon{file: file, cfg: cfg, log: log, metrics: metrics.New(binaryVersion()), notifier: systemd.NewNotifier(),
		quarantined: make(chan struct{}, 1)}
	d.line = (&statusLine{n: d.notifier}).forInstance(file)
	logErr, done := storeErrors(log)
	d.storeErrorsDone = done
	d.down = newStoreDown(cfg, log, logErr)
	if d.down != nil {
		d.metrics.DatabaseDownSince(d.down.log.Since)
	}
	waits := &startWaits{log: log, notifier: d.notifier}
	defer waits.end()
	db, err := openBackend(ctx, cfg, d.openHooks(start, waits, logErr))
	if err != nil {
		return nil, err
	}
	sayOpened(log, db)
	d.db = db
	if err := d.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// openHooks are how the daemon opens its store: migrating with word of
// the wait, creating it, and telling its failures, a disk full and the
// file lost.
func (d *daemon) openHooks(start startFlags, waits *startWaits, logErr func(error)) storeHooks {
	return storeHooks{
		Migrating: waits.say,
		Fresh:     start.fresh,
		WALLost:   start.walLost,
		Create:    true,
		// The daemon's writes wait for the disk only where they must: intake
		// answers and CRM ids wait for DB.Durable; mapping results and outbox
		// bookkeeping are rebuilt from the events after a power cut.
		DeferSync: true,
		Daemon:    true,
		OnError: func(err error) {
			if d.down.took(err) || d.noteDamaged(err) { // the damage: its one line says it
				return
			}
			logErr(err)
			if errors.Is(err, sqlite.ErrDiskFull) {
				d.line.set(attnStore, diskFullLine)
			}
		},
		OnAnswer: d.down.answered,
		OnLost: func(err error, where string) {
			d.log.Error().Err(err).Str("db", where).Msg("database file lost: answering 503 until restarted")
			d.metrics.DatabaseLost()
			d.line.set(attnDatabase, "database file LOST: deliveries answered 503 until restarted ("+where+")")
		},
	}
}

// sayOpened logs a database created, or its schema migrated, as the
// daemon opened it.
func sayOpened(log zerolog.Logger, db *backend) {
	if db.cluster == nil {
		if fs := inMemory(db.where); fs != "" {
			log.Warn().Str("db", db.where).Str("fix", inMemoryFix(db.where)).Msg("database on a file system in memory (" + fs + "): " + inMemoryLoss)
		}
	}
	if db.created { // a data_dir that is not the one syncd ran on before shows here
		log.Info().Str("db", db.where).Msg("no database in data_dir: created an empty one (if syncd ran before, data_dir is not where its database is)")
	}
	if db.migrated != "" {
		log.Info().Str("db", db.where).Str("schema", db.migrated).Msg("database schema migrated: " + db.wayBack + leadsNote(db.leads, true))
	}
	for _, n := range keyClashNotes(db.keyClashes) {
		log.Warn().Str("db", db.where).Msg(n)
	}
}

// prepare readies the daemon on its open database: its reports
// directory, a restored backup's erasures made again, every part built,
// and the gauges of the last report and sync.
func (d *daemon) prepare(ctx context.Context) error {
	db, cfg, log := d.db, d.cfg, d.log
	if err := d.takeReportsDir(); err != nil {
		return err
	}
	var err error
	if d.installed, err = db.InstalledAt(ctx); err != nil {
		return err
	}
	var firstOnRestore bool
	if d.backupTaken, d.restoredAt, firstOnRestore, err = restored(ctx, db.store, log); err != nil {
		return err
	}
	if err := eraseAgain(ctx, cfg, db.store, d.backupTaken, d.restoredAt, log); err != nil {
		log.Error().Err(err).Str("fix", eraseAgainFix).Msg("erasures made after the backup was taken: not applied again to the restored database")
	}
	if err := eraseLostAgain(ctx, cfg, db.store, true, log); err != nil {
		log.Error().Err(err).Str("fix", eraseAgainFix).Msg("erasures run on this host that the database lacks: not looked for")
	}
	if err := d.build(); err != nil {
		return err
	}
	if firstOnRestore {
		d.purgeRestored(ctx)
		sayDealsAgain(ctx, db.store, d.adapter.Name(), log)
	}
	if err := reportMetrics(ctx, cfg, db.store, d.metrics, d.line); err != nil {
		log.Warn().Err(err).Msg("last report")
	}
	if db.cluster == nil { // on a shared store only the sync leader's gauge counts: it sets it as it syncs
		if err := syncMetrics(ctx, db.store, d.metrics, d.syncer.Target()); err != nil {
			log.Warn().Err(err).Msg("last sync")
		}
	}
	logWaitingForGone(ctx, cfg, db.store, log)
	logDryRunLeads(ctx, cfg, db.store, log)
	d.metrics.ConfigLoaded(!d.held.on(), d.metrics.Now()) // the load at start counts: alerts on its age hold from the start
	return nil
}

func (d *daemon) build() error {
	cfg, m := d.cfg, d.metrics
	m.Log = d.log
	m.DaemonStarted(d.db.where, os.Getpid(), time.Now()) // so that `syncd status` knows which daemon answers
	adapter := newCRM(cfg, d.db, d.log, m)
	pinRecorded(context.Background(), d.db, adapter)
	rules, err := loadRules(cfg, adapter.Name())
	if err != nil {
		d.holdMapping(err)
	} else {
		logRuleWarnings(d.log, rules)
	}
	d.adapter, d.crmToken = adapter, crmToken(cfg)
	_, d.crmPin = pinnedAccount(cfg)
	d.rules.Store(rules)
	d.setLoaded(loadedOf(d.file, cfg, rules))
	set := clusterSettings(cfg, rules)
	d.settings.Store(&set)
	d.reports.set(cfg)
	d.purge = d.purger(cfg)
	store := observedStore{store: d.db.store, durable: d.db.durable, m: m, line: d.line, afterReport: d.purge.afterReport}
	d.seen = &crmSeen{d: d}
	if d.syncer, err = newSyncer(cfg, store, adapter, d.log, d.checkAccount, d.mappedFields, nil, d.seen, d.syncTold); err != nil {
		return fmt.Errorf("syncer: %w", err)
	}
	m.SetPaused(adapter.Name(), false)
	m.CRMFailing(adapter.Name(), time.Time{})
	m.CRMRateLimited(adapter.Name(), false)
	m.CRMStuck(adapter.Name(), 0)
	expectMetrics(m, cfg)
	d.worker = mapping.NewWorker(mapping.WorkerOptions{
		Store: toldMappings{observedMappings{d.db, m, d.quarantineNudge}, d.down, d.log, d.noteDamaged}, Rules: rules, Log: d.log,
		OnEnqueued: func(int) { d.syncer.Nudge() },
		Gather:     mapGather,
		OnStuck: func(since time.Time) {
			m.MappingStuck(since)
			d.line.mappingStuck(since, clockOf(cfg))
		},
	})
	ropts, err := reportOptions(context.Background(), cfg, d.db, d.log) // build runs once, at the start
	if err != nil {
		return err
	}
	ropts.Store = store
	// A reload's default_country is the reports' too, as it is the mappings'.
	ropts.Phone = d.reports.phone
	ropts.MailBackoff, _ = time.ParseDuration(os.Getenv(reportRetryEnv)) // 0: the defaults
	ropts.RetryAfter = ropts.MailBackoff
	ropts.Installed = d.installed
	late := newReportLate(cfg, d.db, d.log)
	ropts.NotMade = func(day string, since time.Time, _ error) { // the scheduler's error line says why
		m.ReportNotMade(day, since)
		d.line.reportNotMade(day)
		late.notMade(day, since)
	}
	ropts.BackupTaken, ropts.RestoredAt = d.backupTaken, d.restoredAt
	ropts.Told = func(err error) bool {
		return d.down.tookFor("report", err, func(err error) { d.log.Error().Err(err).Msg("reports") })
	}
	if d.reporter, err = report.NewScheduler(cfg.Report.Schedule, cfg.Report.CatchUpDays, ropts); err != nil {
		return fmt.Errorf("report.schedule: %w", err)
	}
	if err := m.WatchOutbox(d.outboxDepths, 0); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	d.intake = d.down.intake(d.db.newIntake(cfg))
	d.recv = webhook.New(webhook.Options{
		Store: d.intake, Sources: sources(cfg), TrustedProxies: prefixes(cfg.HTTP.TrustedProxies),
		MaxBodyBytes: cfg.HTTP.MaxBodyBytes, MaxDepth: cfg.Intake.MaxDepth, AnswerWithin: cfg.Intake.AnswerWithin,
		Log: d.log, Observer: statusObserver{m, d.line, d.quarantineNudge},
		OnAccepted: d.worker.Nudge, Ready: d.ready,
	})
	return nil
}

// ready is /readyz: the intake's Ready, the database found damaged left
// to its one line (noteDamaged), as intake's failures are: a load balancer
// polling it logged the whole way out every 10 s. After a write refused
// for want of room, with no delivery stored since, the disk's free space
// is its word (stillFull), not the intake's probe; room seen there takes
// "disk FULL" off the status line (roomSeen).
func (d *daemon) ready(ctx context.Context) error {
	err := d.intake.Ready(ctx)
	if d.noteDamaged(err) {
		return dbdown.Told(err)
	}
	if err == nil {
		err = d.roomSeen(ctx)
	}
	return err
}

// syncTold is the syncer's Told: a run that met the database not
// answering (the server's stop ends the session a claim runs on a moment
// before it refuses connections) is the outage log's to tell, as the
// report's runs are; on SQLite every failed run is the syncer's own line.
func (d *daemon) syncTold(err error, say func(error)) bool {
	d.noteDamaged(err) // the syncer's own line follows: the run failed
	return d.down.tookFor("sync", err, say)
}

func (d *daemon) outboxDepths(ctx context.Context) ([]metrics.OutboxDepth, error) {
	ds, err := d.db.OutboxDepths(ctx)
	out := make([]metrics.OutboxDepth, len(ds))
	for i, x := range ds {
		out[i] = metrics.OutboxDepth(x)
	}
	d.noteDamaged(err)
	return out, d.down.told("metrics", err)
}

// handler is the main listener's routes: the receiver, and /metrics unless
// it has a listener of its own. Not a ServeMux in front of the receiver:
// one would redirect a hook path it finds unclean before the receiver could
// answer it.
func (d *daemon) handler() http.Handler {
	recv := d.recv.Handler()
	if d.cfg.Metrics.Listen != "" {
		return recv
	}
	metrics := d.metricsHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			metrics.ServeHTTP(w, r)
			return
		}
		recv.ServeHTTP(w, r)
	})
}

func (d *daemon) server(h http.Handler) *webhook.Server {
	o := d.cfg.HTTP
	return webhook.NewServer(h, webhook.ServerOptions{
		ReadHeaderTimeout: o.ReadHeaderTimeout, ReadTimeout: o.ReadTimeout,
		WriteTimeout: o.WriteTimeout, IdleTimeout: o.IdleTimeout, MaxHeaderBytes: o.MaxHeaderBytes,
		MaxConnections: o.MaxConnections, Log: d.log,
	})
}

// run serves until ctx ends, reloading on each signal from reloads. The
// HTTP server stops first (waiting for the requests in flight, each waiting
// for its commit), then the intake writer commits whatever is still
// queued, then the background parts stop.
func (d *daemon) run(ctx context.Context, ln, metricsLn net.Listener, reloads <-chan os.Signal) error {
	d.addr = ln.Addr().String()
	d.recordServing(ln, metricsLn) // before a reload (SIGHUP) can rewrite it
	var intakeWG, bgWG sync.WaitGroup
	intakeCtx, stopIntake := context.WithCancel(context.WithoutCancel(ctx))
	intakeWG.Add(1)
	go pprof.Do(intakeCtx, stage("intake"), func(ctx context.Context) { defer intakeWG.Done(); d.intake.Run(ctx) })

	bgCtx, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	started := time.Now() // listening: recorded before a report of a day missed is made
	d.runRecorded(bgCtx, started)
	bgWG.Add(1)
	go func() { defer bgWG.Done(); _ = d.recordRun(bgCtx, started) }()
	var kept time.Time
	if d.db.cluster == nil { // before the syncer runs: a daemon stopped in an outage left its row
		d.seen.starting(bgCtx)
		kept = d.keptPause(bgCtx)
	}
	d.startQuarantine(bgCtx)
	d.background(bgCtx, &bgWG, ctx)
	if d.db.cluster == nil { // on a shared store the sync leader checks: one client of the CRM's budget
		bgWG.Add(1)
		go func() { // the alarm, never a stop: intake goes on; against the mappings, once they load
			defer bgWG.Done()
			if d.held.wait(bgCtx) {
				d.startCheck(bgCtx, kept)
			}
		}()
	}
	if metricsLn != nil {
		d.serveMetrics(bgCtx, &bgWG, metricsLn)
	}
	go func() {
		for {
			select {
			case <-reloads:
				d.reload(bgCtx)
			case <-bgCtx.Done():
				return
			}
		}
	}()

	d.log.Info().Str("listen", ln.Addr().String()).Str("db", d.db.where).
		Int("sources", len(d.cfg.Sources)).Str("crm", d.syncer.Target()).Msg("serving")
	d.notifier.Ready()
	d.line.servingOn(ln.Addr().String())
	defer context.AfterFunc(ctx, d.line.stopping)() // as the signal comes, before the deliveries in flight are answered
	var err error
	pprof.Do(ctx, stage("intake"), func(ctx context.Context) { err = d.server(d.handler()).Run(ctx, ln) })
	d.line.stopping() // said already, unless the server failed
	stopIntake()
	intakeWG.Wait()
	stopBG()
	bgWG.Wait()
	d.unrecordServing()
	return err
}

// background starts the mapping worker, syncer, reporter and watchdog.
func (d *daemon) background(ctx context.Context, wg *sync.WaitGroup, parent context.Context) {
	for name, runPart := range d.parts() {
		wg.Add(1)
		go pprof.Do(ctx, stage(name), func(ctx context.Context) {
			defer wg.Done()
			err := runPart(ctx)
			if ctx.Err() == nil { // returned on its own: the watchdog must know
				d.stopped.Add(1)
				d.log.Error().Err(err).Str("part", name).Msg("background part stopped")
			}
		})
	}
	wd, err := systemd.NewWatchdog(d.notifier, d.log)
	if err != nil {
		d.log.Error().Err(err).Msg("watchdog")
		return
	}
	wg.Add(1)
	go func() { defer wg.Done(); wd.Run(ctx, d.health) }()
}

// stage labels the goroutines of one part of the daemon, so that a CPU
// profile splits its cost by stage (see BenchmarkPipeline).
func stage(name string) pprof.LabelSet { return pprof.Labels("stage", name) }

// health is what the watchdog checks before each ping: the database is
// writable and every background part is still running. PostgreSQL not
// answering (down, cut off, failing over) is no failure of the daemon's:
// systemd's restart would not bring it back, and the daemon restarted
// would not start before it is (it waits: newDaemonWhenReachable), while
// the running one answers 503, fails /readyz and resumes by itself. The
// watchdog stopped its pings then, so that every instance was killed
// (SIGABRT) 30 s into an outage, the sync leader's leases holding its
// operations back for sync.lease once the database was back.
func (d *daemon) health(ctx context.Context) error {
	if n := d.stopped.Load(); n > 0 {
		return fmt.Errorf("%s stopped", syncd.Counted(int(n), "background part", "background parts"))
	}
	d.roomSeen(ctx) // "disk FULL" off the status line once there is room; a full disk fails no health check
	err := d.db.Ping(ctx)
	if d.db.cluster != nil && postgres.Unreachable(err) {
		return nil
	}
	return err
}

// serveMetrics serves /metrics on ln, a listener of its own, until ctx ends.
func (d *daemon) serveMetrics(ctx context.Context, wg *sync.WaitGroup, ln net.Listener) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", d.metricsHandler())
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := d.server(mux).Run(ctx, ln); err != nil {
			d.log.Error().Err(err).Msg("metrics server")
		}
	}()
}

// reloadRejected tells the other instances sharing the store, if it is
// shared, whether this one's last reload was rejected: syncd status on
// any host names it.
func (d *daemon) reloadRejected(rejected bool) {
	if d.db.cluster != nil {
		d.db.cluster.ReloadRejected(rejected)
	}
}

// reload reads the configuration and mappings again and swaps in the
// sources and mappings, the agency's name (the reports from then on name
// it) and the CRM's token and pin only if both are valid; otherwise it
// keeps running on the old ones and logs why.
func (d *daemon) reload(ctx context.Context) {
	d.notifier.Reloading()
	defer d.notifier.Ready()
	d.rewriteServing()
	log := d.log.With().Str("config", d.file).Logger()
	cfg, err := config.Load(d.file, os.Getenv)
	var rules *mapping.Rules
	taken := cfg // with the mapping folder taken: the running one when crm.kind changed
	if err == nil {
		rules, taken, err = reloadRules(cfg, d.syncer.Target(), d.loadedMapDir())
	}
	if err != nil {
		msg := "reload rejected: still running on the previous configuration and mappings"
		if d.held.on() {
			msg = "reload rejected: " + heldWords
		}
		log.Error().Err(err).Msg(msg)
		d.reloadRejected(true)
		d.metrics.ConfigLoaded(false, d.metrics.Now()) // last, as below
		return
	}
	logWarnings(d.log, cfg) // each names its file: the reload's "config" would be a second key of that name
	logRuleWarnings(log, rules)
	needs := append(restartOnly(d.reloadToken(ctx, cfg), cfg), mappingDirWaits(cfg, taken)...)
	for _, w := range needs {
		log.Warn().Str("setting", w).Msg("changed setting needs a restart to take effect")
	}
	d.restartNeeded(needs)
	d.recv.SetSources(sources(cfg))
	expectMetrics(d.metrics, cfg)
	d.worker.SetRules(rules)
	d.rules.Store(rules)
	d.setLoaded(loadedOf(d.file, taken, rules))
	running := *d.cfg // the rest waits for a restart
	running.Sources, running.Agency = cfg.Sources, cfg.Agency
	d.reports.set(&running)
	d.reporter.SetAgency(cfg.Agency) // renamed: the next report and its mail name it so
	set := clusterSettings(&running, rules)
	d.settings.Store(&set)
	if a, ok := d.adapter.(modeSetter); ok {
		a.SetModes(rules.Modes()) // the `write:` of the reloaded mappings
	}
	if a, ok := d.adapter.(fieldSetter); ok {
		a.SetFields(rules.Fields()) // what they write, constants and from the payload
	}
	if d.runsSync() {
		d.checked.forget() // the operator reloaded: the check's outcome is said again
		name := d.adapter.Name()
		d.metrics.CRMCheckStarted(name) // before the load counts: syncd reload waits for the check
		go func() {                     // check the account against the new mappings
			defer d.metrics.CRMCheckEnded(name)
			_ = d.syncer.Recheck(ctx)
		}()
	}
	d.reloadRejected(false)
	log.Info().Int("sources", len(cfg.Sources)).Int("mapping_rules", rules.Len()).Msg("reloaded")
	d.releaseMapping(log)
	logCredentialCopies(log, cfg)
	d.metrics.ConfigLoaded(true, d.metrics.Now()) // last: syncd reload reads all the above once the count grows
}

// logWarnings logs what loading cfg noticed that does not stop the daemon
// (secrets every local user can read), one line each, at warn.
func logWarnings(log zerolog.Logger, cfg *config.Config) {
	for _, w := range cfg.Warnings {
		log.Warn().Str("config", w.File).Int("line", w.Line).Msg(w.Msg)
	}
}

// logRuleWarnings logs what loading the mappings noticed that does not
// stop the daemon (a rule for an event type its sender does not
// document), one line each, at warn: what `syncd validate` prints.
func logRuleWarnings(log zerolog.Logger, rules *mapping.Rules) {
	for _, w := range rules.Warnings() {
		log.Warn().Str("mapping", w.File).Int("line", w.Line).Str("rule", w.Rule).Msg(w.Msg)
	}
}

// modeSetter is a CRM adapter whose write modes can change while it runs.
type modeSetter interface{ SetModes(syncd.WriteModes) }

// fieldSetter is a CRM adapter told what the mappings write, to tell a
// payload's value its dropdown (enum) lacks from the account's fault.
type fieldSetter interface{ SetFields([]syncd.FieldSpec) }

// mapGather is how long the mapping worker waits after a nudge for more
// events to map in the same transactions: under steady intake each
// commit nudged it, and it recorded a few events per transaction. 50 ms
// took the daemon's CPU per lead from 985-1078 µs to 705-902 at 8 clients
// (BenchmarkPipeline, 10,000 leads, interleaved runs); the lead reaches
// the CRM as much later, its sender's answer not at all.
const mapGather = 50 * time.Millisecond
