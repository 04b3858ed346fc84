package metrics

import "github.com/prometheus/client_golang/prometheus"

// NameQuarantineWaiting counts the quarantined bodies that wait for a
// person (neither repaired nor dismissed, their bodies held), by source.
const NameQuarantineWaiting = "syncd_quarantine_waiting_bodies"

// quarantineWaitingMetric makes the gauge of the quarantined bodies
// waiting for a person.
func (m *Metrics) quarantineWaitingMetric() prometheus.Collector {
	m.quarantineWaiting = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "quarantine_waiting_bodies",
		Help: "Quarantined bodies that wait for a person by source: neither repaired (syncd events repair) nor dismissed " +
			"(syncd events dismiss), their bodies held; syncd status names them. Counted from the database every 15 s " +
			"and when a body is quarantined.",
	}, []string{"source"})
	return m.quarantineWaiting
}

// QuarantineWaiting records how many quarantined bodies of each source
// wait for a person; a source left out of bySource has no series.
func (m *Metrics) QuarantineWaiting(bySource map[string]int) {
	if m == nil {
		return
	}
	m.quarantineWaiting.Reset()
	for source, n := range bySource {
		m.quarantineWaiting.WithLabelValues(source).Set(float64(n))
	}
}
