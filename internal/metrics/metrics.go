// Package metrics holds syncd's Prometheus metrics: one registry of its own
// (never the global default), the methods the other parts call to record
// what happens, and the /metrics handler that `syncd status` reads.
//
// Label values are bounded by the caller: sources are configured names,
// outcomes, reasons and operations are constants in the calling package,
// statuses are HTTP codes. Never pass personal data or free text as a label.
package metrics

import (
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
)

const namespace = "syncd"

// Metrics is the daemon's set of metrics and the registry that serves them.
// Its methods are safe for concurrent use; a nil *Metrics records nothing,
// so parts can be built and tested without one.
type Metrics struct {
	// Registry holds every syncd metric plus the Go runtime and process
	// collectors. Register extra collectors here, not on the default one.
	Registry *prometheus.Registry
	// Now is the clock Snapshot stamps with.
	Now func() time.Time
	// Log receives the errors the /metrics handler meets (at warn).
	Log zerolog.Logger

	received     *prometheus.CounterVec
	accepted     *prometheus.CounterVec
	duplicate    *prometheus.CounterVec
	quarantined  *prometheus.CounterVec
	unrecognised *prometheus.CounterVec
	changed      *prometheus.CounterVec
	rejected     *prometheus.CounterVec
	intake       *prometheus.HistogramVec
	mapped       *prometheus.CounterVec
	mappingStuck prometheus.Gauge
	mappingHeld  prometheus.Gauge

	crmRequests  *prometheus.CounterVec
	crmDuration  *prometheus.HistogramVec
	rateWaits    *prometheus.CounterVec
	rateWaitSecs *prometheus.CounterVec
	lastSync     *prometheus.GaugeVec
	syncRunning  *prometheus.GaugeVec
	paused       *prometheus.GaugeVec
	failing      *prometheus.GaugeVec
	rateLimited  *prometheus.GaugeVec
	stuck        *prometheus.GaugeVec
	sent         *sentCollector
	lastReport   prometheus.Gauge
	reportMail   prometheus.Gauge
	reportInfo   *prometheus.GaugeVec
	// reportRefused: the recipients the last report's mail was refused for.
	reportRefused prometheus.Gauge
	// reportUnattached: 1 when the last report's mail went without it.
	reportUnattached prometheus.Gauge
	// reportNotMade: since when a due day's report could not be made.
	reportNotMade *prometheus.GaugeVec
	dbLost        prometheus.Gauge
	// dbDamaged: 1 once SQLite found the file damaged under the daemon.
	dbDamaged prometheus.Gauge
	// erasuresUndone: the erasures a restored backup undid, not made again.
	erasuresUndone prometheus.Gauge
	// settingsDiffer: the other instances whose settings differ.
	settingsDiffer prometheus.Gauge
	// quarantineWaiting: the quarantined bodies waiting for a person.
	quarantineWaiting *prometheus.GaugeVec
	// unmappableWaiting: the unmappable leads waiting for a person.
	unmappableWaiting prometheus.Gauge

	checkProblems *prometheus.GaugeVec
	checkRunning  *prometheus.GaugeVec
	reloadChecks  *prometheus.CounterVec

	reloadOK   prometheus.Gauge
	reloadTime prometheus.Gauge
	loads      prometheus.Counter
	// configLoaded and configStale: the files loaded, and those changed
	// on disk since.
	configLoaded *prometheus.GaugeVec
	configStale  prometheus.Gauge
	// configStaleSince: since when they have been changed.
	configStaleSince prometheus.Gauge
	// restartNeeded: the settings changed that only a restart takes.
	restartNeeded *prometheus.GaugeVec
	secretChanged *prometheus.GaugeVec
	buildInfo     *prometheus.GaugeVec
	daemonInfo    *prometheus.GaugeVec
	startWaiting  *prometheus.GaugeVec
}

// Metric names that `syncd status` reads back from /metrics.
const (
	NameReceived    = "syncd_events_received_total"
	NameAccepted    = "syncd_events_accepted_total"
	NameDuplicate   = "syncd_events_duplicate_total"
	NameQuarantined = "syncd_events_quarantined_total"
	// NameChanged counts the duplicates whose body changed, among
	// NameDuplicate: each body kept in the quarantine.
	NameChanged  = "syncd_events_changed_total"
	NameRejected = "syncd_events_rejected_total"
	// NameUnrecognised counts the new events whose body does not fit
	// their source's kind, among NameAccepted: never mapped.
	NameUnrecognised = "syncd_events_unrecognised_total"
	NameOutboxOps    = "syncd_outbox_ops"
	NameOutboxOldest = "syncd_outbox_oldest_pending_seconds"
	// NameOutboxOtherAccount counts the dead CRM erasures of an earlier
	// account (in state dead of NameOutboxOps too).
	NameOutboxOtherAccount = "syncd_outbox_erasures_other_account"
	NameOutboxUp           = "syncd_outbox_stats_up"
	// NameOutboxLeased and NameOutboxLeaseUntil: the pending operations a
	// lease holds, and when the last such lease ends.
	NameOutboxLeased     = "syncd_outbox_leased_ops"
	NameOutboxLeaseUntil = "syncd_outbox_lease_until_timestamp_seconds"
	NameLastSync         = "syncd_last_sync_success_timestamp_seconds"
	// NameSyncRunning is when the sync run under way began, 0 between
	// runs: status tells a drain's pace only while one sends.
	NameSyncRunning   = "syncd_sync_run_started_timestamp_seconds"
	NameLastReport    = "syncd_last_report_timestamp_seconds"
	NameReportMail    = "syncd_last_report_mail_failed"
	NamePaused        = "syncd_crm_adapter_paused"
	NameFailingSince  = "syncd_crm_failing_since_timestamp_seconds"
	NameRateLimited   = "syncd_crm_rate_limited"
	NameStuckOps      = "syncd_crm_stuck_ops"
	NameBuildInfo     = "syncd_build_info"
	NameReloadSuccess = "syncd_config_last_reload_successful"
	// NameConfigLoads counts the configuration's loads, the start's and
	// each reload's, taken or rejected: syncd reload waits for it to grow.
	NameConfigLoads  = "syncd_config_loads_total"
	NameDatabaseLost = "syncd_database_lost"
	// NameDatabaseDamaged is 1 once SQLite found the database file
	// damaged under the running daemon.
	NameDatabaseDamaged = "syncd_database_damaged"
	// NameDaemonInfo says which daemon answers: its database path and
	// start time, so that `syncd status` can tell whether the daemon on a
	// port is the one its configuration describes.
	NameDaemonInfo = "syncd_daemon_info"
	// NameStartWaiting is served only while the daemon waits at start for
	// its database: since when (Unix seconds), and why in plain words
	// (label cause), for `syncd status` to say so.
	NameStartWaiting = "syncd_start_waiting_since_timestamp_seconds"
	// NameDatabaseDownSince is when the shared database under a running
	// daemon stopped answering (Unix seconds), 0 while it answers.
	NameDatabaseDownSince = "syncd_database_down_since_timestamp_seconds"
)

// New returns a Metrics with a fresh registry holding every syncd metric,
// the Go runtime and process collectors, and syncd_build_info labelled with
// version (as set by the build, e.g. -ldflags "-X main.version=1.2.0"; ""
// falls back to the module version) and the VCS revision when the binary
// carries one.
func New(version string) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry(), Now: time.Now, Log: zerolog.Nop()}
	m.intakeMetrics()
	m.crmMetrics()
	m.reloadOK = gauge("config_last_reload_successful",
		"1 if the last configuration load (the start's) or reload (SIGHUP) succeeded, 0 if a reload was rejected, "+
			"or the start held the mapping (its files did not load).")
	m.reloadTime = gauge("config_last_reload_success_timestamp_seconds",
		"Unix time of the last configuration load or reload that succeeded.")
	m.loads = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "config_loads_total",
		Help: "Loads of the configuration and mappings: the start's and each reload's (SIGHUP), taken or rejected."})
	m.buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help: "Always 1; the labels say which build is running.",
	}, []string{"version", "revision", "goversion"})
	m.daemonInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "daemon_info",
		Help: "The daemon's start time (Unix seconds); the labels name the database it serves and its process id.",
	}, []string{"database", "pid"})
	m.startWaiting = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "start_waiting_since_timestamp_seconds",
		Help: "While the daemon waits at start for its database: since when (Unix seconds); cause says why in plain words.",
	}, []string{"cause"})
	v, rev := buildVersion(version)
	m.buildInfo.WithLabelValues(v, rev, runtime.Version()).Set(1)
	m.reloadOK.Set(1)

	m.Registry.MustRegister(m.configFilesMetrics()...)
	m.Registry.MustRegister(m.checkMetrics()...)
	m.Registry.MustRegister(
		m.received, m.accepted, m.duplicate, m.quarantined, m.unrecognised, m.changed, m.rejected, m.intake,
		m.crmRequests, m.crmDuration, m.rateWaits, m.rateWaitSecs,
		m.lastSync, m.syncRunning, m.paused, m.failing, m.rateLimited, m.stuck, m.lastReport, m.reportMail, m.dbLost, m.dbDamaged,
		m.reloadOK, m.reloadTime, m.loads, m.buildInfo, m.daemonInfo, m.startWaiting, m.mappingMetrics(), m.mappingStuckMetric(), m.mappingHeldMetric(),
		m.reportInfoMetrics(), m.reportRefusedMetrics(), m.reportUnattachedMetrics(), m.reportNotMadeMetric(), m.erasuresUndoneMetric(),
		m.settingsDifferMetric(), m.quarantineWaitingMetric(), m.unmappableWaitingMetric(), m.sentMetric(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// gauge makes one of syncd's plain gauges, named syncd_name.
func gauge(name, help string) prometheus.Gauge {
	return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help})
}

// DaemonStarted records which database this daemon serves (an absolute
// path), its process id and when it started, for `syncd status` to
// recognise it and `syncd reload` to signal it.
func (m *Metrics) DaemonStarted(database string, pid int, at time.Time) {
	if m == nil {
		return
	}
	m.daemonInfo.Reset()
	m.daemonInfo.WithLabelValues(database, strconv.Itoa(pid)).Set(float64(at.UnixNano()) / 1e9)
}

// StartWaiting records that the daemon waits at start for its database,
// since since, for cause (plain words, no host, user or password).
func (m *Metrics) StartWaiting(since time.Time, cause string) {
	if m == nil {
		return
	}
	m.startWaiting.Reset()
	m.startWaiting.WithLabelValues(cause).Set(float64(since.UnixNano()) / 1e9)
}

// DatabaseDownSince serves NameDatabaseDownSince from since, which gives
// when the outage under way began (zero: none). Called once, as the
// daemon is wired on PostgreSQL.
func (m *Metrics) DatabaseDownSince(since func() time.Time) {
	if m == nil {
		return
	}
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "database_down_since_timestamp_seconds",
		Help: "When the shared database stopped answering this instance (Unix seconds); 0 while it answers.",
	}, func() float64 {
		t := since()
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}))
}

// Handler serves the registry in the Prometheus exposition formats. A
// collector that fails (the outbox query, say) is logged to Log, counted in
// promhttp_metric_handler_errors_total and left out; the other metrics are
// still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.InstrumentMetricHandler(m.Registry,
		promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
			ErrorHandling: promhttp.ContinueOnError,
			ErrorLog:      warnLog{m.Log},
			Registry:      m.Registry,
		}))
}

// warnLog adapts a zerolog.Logger to promhttp's Println logger.
type warnLog struct{ l zerolog.Logger }

func (w warnLog) Println(v ...any) { w.l.Warn().Msg(strings.TrimSpace(fmt.Sprintln(v...))) }

// buildVersion fills the version and revision labels from the binary's
// embedded build information where the caller did not set them.
func buildVersion(version string) (string, string) {
	rev := "unknown"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		if version == "" {
			version = "unknown"
		}
		return version, rev
	}
	if version == "" {
		version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			rev = s.Value
		}
	}
	if version == "" {
		version = "unknown"
	}
	return version, rev
}
