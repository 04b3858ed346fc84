// Package metrics holds syncd's Prometheus metrics: one registry of its own
// (never the global default), the methods the other parts call to record
// what happens, the /metrics handler, and the at-a-glance text that
// `syncd status` prints from the same numbers.
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
	rejected     *prometheus.CounterVec
	intake       *prometheus.HistogramVec

	crmRequests  *prometheus.CounterVec
	crmDuration  *prometheus.HistogramVec
	rateWaits    *prometheus.CounterVec
	rateWaitSecs *prometheus.CounterVec
	lastSync     *prometheus.GaugeVec
	paused       *prometheus.GaugeVec
	lastReport   prometheus.Gauge
	dbLost       prometheus.Gauge

	reloadOK   prometheus.Gauge
	reloadTime prometheus.Gauge
	buildInfo  *prometheus.GaugeVec
}

// Metric names that Snapshot and ParseSnapshot read back.
const (
	nameReceived      = "syncd_events_received_total"
	nameAccepted      = "syncd_events_accepted_total"
	nameDuplicate     = "syncd_events_duplicate_total"
	nameQuarantined   = "syncd_events_quarantined_total"
	nameRejected      = "syncd_events_rejected_total"
	nameOutboxOps     = "syncd_outbox_ops"
	nameOutboxOldest  = "syncd_outbox_oldest_pending_seconds"
	nameOutboxUp      = "syncd_outbox_stats_up"
	nameLastSync      = "syncd_last_sync_success_timestamp_seconds"
	nameLastReport    = "syncd_last_report_timestamp_seconds"
	namePaused        = "syncd_crm_adapter_paused"
	nameBuildInfo     = "syncd_build_info"
	nameReloadSuccess = "syncd_config_last_reload_successful"
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
	m.reloadOK = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "config_last_reload_successful",
		Help: "1 if the last configuration reload (SIGHUP) succeeded, 0 if it was rejected.",
	})
	m.reloadTime = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "config_last_reload_success_timestamp_seconds",
		Help: "Unix time of the last configuration load or reload that succeeded.",
	})
	m.buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help: "Always 1; the labels say which build is running.",
	}, []string{"version", "revision", "goversion"})
	v, rev := buildVersion(version)
	m.buildInfo.WithLabelValues(v, rev, runtime.Version()).Set(1)
	m.reloadOK.Set(1)

	m.Registry.MustRegister(
		m.received, m.accepted, m.duplicate, m.quarantined, m.unrecognised, m.rejected, m.intake,
		m.crmRequests, m.crmDuration, m.rateWaits, m.rateWaitSecs,
		m.lastSync, m.paused, m.lastReport, m.dbLost,
		m.reloadOK, m.reloadTime, m.buildInfo,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
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
