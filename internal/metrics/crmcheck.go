package metrics

import "github.com/prometheus/client_golang/prometheus"

// NameCheckProblems is the gauge of the last CRM account check.
const NameCheckProblems = "syncd_crm_check_problems"

// checkMetrics makes the gauge of the CRM account check.
func (m *Metrics) checkMetrics() prometheus.Collector {
	m.checkProblems = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "crm_check_problems",
		Help: "Problems the last CRM account check (syncd crm check) found; 0 when it passed, -1 when it could not run.",
	}, []string{"adapter"})
	return m.checkProblems
}

// CRMChecked records the outcome of a CRM account check: the number of
// problems found, or -1 when the check could not run.
func (m *Metrics) CRMChecked(adapter string, problems int) {
	if m == nil {
		return
	}
	m.checkProblems.WithLabelValues(adapter).Set(float64(problems))
}
