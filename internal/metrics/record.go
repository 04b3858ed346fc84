package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Intake outcomes for ObserveIntake.
const (
	OutcomeAccepted    = "accepted"    // a new event was committed
	OutcomeDuplicate   = "duplicate"   // a redelivery of a stored event
	OutcomeQuarantined = "quarantined" // stored in the quarantine (did not parse)
	// OutcomeUnrecognised: a new event committed whose body does not fit
	// its source's kind; counted as accepted and as unrecognised.
	OutcomeUnrecognised = "unrecognised"
	// OutcomeChanged: a duplicate by the sender's id whose body says
	// something else than the stored event's; counted as a duplicate and
	// as changed.
	OutcomeChanged = "changed"
)

// StatusTransportError is the status label of a CRM request that got no
// HTTP response (connection refused, timeout, TLS failure).
const StatusTransportError = "error"

// intakeBuckets span a group commit with fsync: well under a millisecond on
// an idle SSD up to seconds when the disk stalls.
var intakeBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// crmBuckets span a CRM API call, including client-side retries.
var crmBuckets = []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

func (m *Metrics) intakeMetrics() {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: name, Help: help,
		}, labels)
	}
	m.received = counter("events_received_total",
		"Webhook deliveries received on a source's route, whatever became of them.", "source")
	m.accepted = counter("events_accepted_total",
		"Deliveries committed as new events.", "source")
	m.duplicate = counter("events_duplicate_total",
		"Deliveries recognised as redeliveries of a stored event (answered 200, not stored again).", "source")
	m.quarantined = counter("events_quarantined_total",
		"Authenticated deliveries that did not parse and were kept in the quarantine.", "source", "reason")
	m.unrecognised = counter("events_unrecognised_total",
		"Deliveries stored whose body does not fit their source's kind (a misrouted sender?): listed in the report.", "source")
	m.changed = counter("events_changed_total",
		"Duplicates by the sender's id (eaf_id) whose body says something else than the stored event's: answered 200, the body kept in the quarantine for a person.", "source")
	m.rejected = counter("events_rejected_total",
		"Deliveries refused before storage (authentication, size, method, ...).", "source", "reason")
	m.intake = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "intake_duration_seconds",
		Help:    "Time from request start to the answer of a stored delivery (includes the durable commit).",
		Buckets: intakeBuckets,
	}, []string{"source", "outcome"})
}

func (m *Metrics) crmMetrics() {
	m.crmRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "crm_requests_total",
		Help: `CRM API requests by adapter, operation and HTTP status ("error": no response).`,
	}, []string{"adapter", "op", "status"})
	m.crmDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "crm_request_duration_seconds",
		Help:    "CRM API request latency by adapter and operation.",
		Buckets: crmBuckets,
	}, []string{"adapter", "op"})
	m.rateWaits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "crm_rate_limit_waits_total",
		Help: "Times a CRM request waited for the rate limiter or a Retry-After.",
	}, []string{"adapter"})
	m.rateWaitSecs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "crm_rate_limit_wait_seconds_total",
		Help: "Total time CRM requests spent waiting for the rate limiter or a Retry-After.",
	}, []string{"adapter"})
	m.lastSync = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "last_sync_success_timestamp_seconds",
		Help: "Unix time of the last sync run that finished without a failed operation.",
	}, []string{"adapter"})
	m.syncRunning = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "sync_run_started_timestamp_seconds",
		Help: "Unix time the sync run under way began, 0 between runs.",
	}, []string{"adapter"})
	m.paused = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_adapter_paused",
		Help: "1 while the adapter is paused (e.g. by a CRM authentication failure), else 0.",
	}, []string{"adapter"})
	m.failing = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_failing_since_timestamp_seconds",
		Help: "Unix time since which every CRM call of the adapter has failed as a whole (no answer, 429, 5xx: the CRM looks down), 0 while it answers.",
	}, []string{"adapter"})
	m.rateLimited = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_rate_limited",
		Help: "1 while every CRM call of the adapter fails and the last was refused with 429 (the CRM's rate limit spent: it answers, it is not down), else 0.",
	}, []string{"adapter"})
	m.stuck = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_stuck_ops",
		Help: "Operations whose CRM calls failed as a whole twice or more in a row (no answer, 429, 502-504) while the CRM answered other calls: a batch it never takes, which does not go by itself (syncd status names them).",
	}, []string{"adapter"})
	m.dbLost = gauge("database_lost",
		"1 once the database file was removed or replaced under the running daemon (nothing is accepted until restart).")
	m.dbDamaged = gauge("database_damaged",
		"1 once SQLite found the database file damaged under the running daemon (syncd status says what to do); "+
			"what needs the damaged part fails until the file is set aside and a backup restored.")
	m.lastReport = gauge("last_report_timestamp_seconds",
		"Unix time the last daily report was written.")
	m.reportMail = gauge("last_report_mail_failed",
		"1 when the mail of the last daily report failed for good (its attempts used up or refused), or the mail server "+
			"did not take it for a round of attempts and the daemon waits to try again: nobody has it; else 0.")
}

// ObserveIntake records one stored delivery from source: outcome is
// OutcomeAccepted, OutcomeDuplicate, OutcomeUnrecognised or OutcomeChanged
// (use Quarantined for the quarantine),
// d the time from request start to the answer.
func (m *Metrics) ObserveIntake(source, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.received.WithLabelValues(source).Inc()
	switch outcome {
	case OutcomeAccepted:
		m.accepted.WithLabelValues(source).Inc()
	case OutcomeUnrecognised:
		m.accepted.WithLabelValues(source).Inc()
		m.unrecognised.WithLabelValues(source).Inc()
	case OutcomeDuplicate:
		m.duplicate.WithLabelValues(source).Inc()
	case OutcomeChanged:
		m.duplicate.WithLabelValues(source).Inc()
		m.changed.WithLabelValues(source).Inc()
		outcome = OutcomeDuplicate // its commit, timed as any duplicate's
	}
	m.intake.WithLabelValues(source, outcome).Observe(d.Seconds())
}

// Quarantined records an authenticated delivery from source that was kept
// in the quarantine, with a short fixed reason (e.g. "invalid_json").
func (m *Metrics) Quarantined(source, reason string, d time.Duration) {
	if m == nil {
		return
	}
	m.received.WithLabelValues(source).Inc()
	m.quarantined.WithLabelValues(source, reason).Inc()
	m.intake.WithLabelValues(source, OutcomeQuarantined).Observe(d.Seconds())
}

// Rejected records a delivery refused before storage, with a short fixed
// reason (e.g. "bad_token", "too_large", "store_unavailable").
func (m *Metrics) Rejected(source, reason string) {
	if m == nil {
		return
	}
	m.received.WithLabelValues(source).Inc()
	m.rejected.WithLabelValues(source, reason).Inc()
}

// CRMRequest records one CRM API request: status is the HTTP status, or 0
// when no response came (counted as StatusTransportError).
func (m *Metrics) CRMRequest(adapter, op string, status int, d time.Duration) {
	if m == nil {
		return
	}
	s := StatusTransportError
	if status > 0 {
		s = strconv.Itoa(status)
	}
	m.crmRequests.WithLabelValues(adapter, op, s).Inc()
	m.crmDuration.WithLabelValues(adapter, op).Observe(d.Seconds())
}

// RateLimitWait records that a request to adapter waited d for the rate
// limiter or a Retry-After.
func (m *Metrics) RateLimitWait(adapter string, d time.Duration) {
	if m == nil {
		return
	}
	m.rateWaits.WithLabelValues(adapter).Inc()
	m.rateWaitSecs.WithLabelValues(adapter).Add(d.Seconds())
}

// SyncSucceeded records a sync run of adapter that finished at t without a
// failed operation.
func (m *Metrics) SyncSucceeded(adapter string, t time.Time) {
	if m == nil {
		return
	}
	m.lastSync.WithLabelValues(adapter).Set(unixSeconds(t))
}

// SyncRunning records that a sync run of adapter began at since, or, the
// zero time, that it ended.
func (m *Metrics) SyncRunning(adapter string, since time.Time) {
	if m == nil {
		return
	}
	v := 0.0
	if !since.IsZero() {
		v = unixSeconds(since)
	}
	m.syncRunning.WithLabelValues(adapter).Set(v)
}

// SyncLedNoMore ends what adapter's syncer and account check exported on
// an instance that no longer leads sync on a shared store (the leader's
// are the ones that count): its last sync and its last check are removed,
// as on an instance that never led, and its pause is 0. Else its own last
// sync, ever older, set off the alert on the sync's age, and its pause and
// failed check, which it no longer reads again, their alerts, for good,
// after the new leader's pause was lifted or its check passed.
func (m *Metrics) SyncLedNoMore(adapter string) {
	if m == nil {
		return
	}
	m.lastSync.DeleteLabelValues(adapter)
	m.checkProblems.DeleteLabelValues(adapter)
	m.paused.WithLabelValues(adapter).Set(0)
}

// SetPaused records whether adapter is paused. Call it for each configured
// adapter at start-up too, so a running adapter shows as 0, not as absent.
func (m *Metrics) SetPaused(adapter string, paused bool) {
	if m == nil {
		return
	}
	m.paused.WithLabelValues(adapter).Set(oneIf(paused))
}

// CRMFailing records since when every call of adapter has failed as a
// whole; a zero since says it answers. Call it for each configured adapter
// at start-up too, so an answering CRM shows as 0, not as absent.
func (m *Metrics) CRMFailing(adapter string, since time.Time) {
	if m == nil {
		return
	}
	v := 0.0
	if !since.IsZero() {
		v = unixSeconds(since)
	}
	m.failing.WithLabelValues(adapter).Set(v)
}

// CRMRateLimited records whether every call of adapter fails with the
// last refused for the CRM's rate limit (429). Call it for each configured
// adapter at start-up too, so that it shows as 0, not as absent.
func (m *Metrics) CRMRateLimited(adapter string, limited bool) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(adapter).Set(oneIf(limited))
}

// CRMStuck records how many operations of adapter the CRM failed as a
// whole twice or more while it answered other calls (see syncer.Options
// Stuck). Call it for each configured adapter at start-up too.
func (m *Metrics) CRMStuck(adapter string, ops int) {
	if m == nil {
		return
	}
	m.stuck.WithLabelValues(adapter).Set(float64(ops))
}

// ReportWritten records that the daily report was written at t.
func (m *Metrics) ReportWritten(t time.Time) {
	if m == nil {
		return
	}
	m.lastReport.Set(unixSeconds(t))
}

// ReportMailed records whether the last report's mail failed for good,
// or waits for a mail server that did not take it (nobody has it).
func (m *Metrics) ReportMailed(failed bool) {
	if m == nil {
		return
	}
	m.reportMail.Set(oneIf(failed))
}

// ConfigLoaded records the outcome of loading the configuration at t: at
// start-up (ok true) and on every SIGHUP reload.
func (m *Metrics) ConfigLoaded(ok bool, t time.Time) {
	if m == nil {
		return
	}
	defer m.loads.Inc() // the outcome first: syncd reload reads it once the count grows
	if !ok {
		m.reloadOK.Set(0)
		return
	}
	m.reloadOK.Set(1)
	m.reloadTime.Set(unixSeconds(t))
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// DatabaseLost records that the database file was removed or replaced
// under the running daemon.
func (m *Metrics) DatabaseLost() {
	if m != nil {
		m.dbLost.Set(1)
	}
}

// DatabaseDamaged records that SQLite found the database file damaged
// under the running daemon.
func (m *Metrics) DatabaseDamaged() {
	if m != nil {
		m.dbDamaged.Set(1)
	}
}

// oneIf is a gauge's value for a yes-or-no: 1 for true, 0 for false.
func oneIf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
