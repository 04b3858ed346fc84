package metrics

import "github.com/prometheus/client_golang/prometheus"

// NameCheckProblems is the gauge of the last CRM account check.
const NameCheckProblems = "syncd_crm_check_problems"

// NameCheckRunning is the gauge of the CRM account checks reloads started
// that have not finished; NameReloadChecks counts those that have.
const (
	NameCheckRunning = "syncd_crm_check_running"
	NameReloadChecks = "syncd_crm_reload_checks_total"
)

// checkMetrics makes the gauges of the CRM account check.
func (m *Metrics) checkMetrics() []prometheus.Collector {
	m.checkProblems = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_check_problems",
		Help: "Problems the last CRM account check (syncd crm check) found; 0 when it passed, -1 when it could not run.",
	}, []string{"adapter"})
	m.checkRunning = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_check_running",
		Help: "CRM account checks a reload started that have not finished (syncd reload waits for them).",
	}, []string{"adapter"})
	m.reloadChecks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "crm_reload_checks_total",
		Help: "CRM account checks a reload started that have finished.",
	}, []string{"adapter"})
	return []prometheus.Collector{m.checkProblems, m.checkRunning, m.reloadChecks}
}

// CRMChecked records the outcome of a CRM account check: the number of
// problems found, or -1 when the check could not run.
func (m *Metrics) CRMChecked(adapter string, problems int) {
	if m == nil {
		return
	}
	m.checkProblems.WithLabelValues(adapter).Set(float64(problems))
}

// CRMCheckStarted counts an account check a reload started as running:
// call it before the reload counts as loaded, so that syncd reload,
// seeing the load, knows to wait for the check's outcome; CRMCheckEnded
// when it ends.
func (m *Metrics) CRMCheckStarted(adapter string) {
	if m == nil {
		return
	}
	m.checkRunning.WithLabelValues(adapter).Inc()
}

// CRMCheckEnded counts an account check CRMCheckStarted counted as ended:
// counted among those ended before it leaves those running, so that a
// scrape sees it in one or the other.
func (m *Metrics) CRMCheckEnded(adapter string) {
	if m == nil {
		return
	}
	m.reloadChecks.WithLabelValues(adapter).Inc()
	m.checkRunning.WithLabelValues(adapter).Dec()
}
