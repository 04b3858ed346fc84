package metrics

import "github.com/prometheus/client_golang/prometheus"

// NameUnmappableWaiting counts the unmappable leads that wait for a person
// (not mapped by a replay, not recorded as dealt with, their bodies held).
const NameUnmappableWaiting = "syncd_unmappable_waiting_leads"

// unmappableWaitingMetric makes the gauge of the unmappable leads waiting
// for a person.
func (m *Metrics) unmappableWaitingMetric() prometheus.Collector {
	m.unmappableWaiting = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "unmappable_waiting_leads",
		Help: "Leads a rule took but could not map, never sent to the CRM, that wait for a person: not mapped by a " +
			"replay, not recorded as dealt with (syncd events done), their bodies held; syncd status names them. " +
			"Counted from the database every 15 s and when a lead is found unmappable.",
	})
	return m.unmappableWaiting
}

// UnmappableWaiting records how many unmappable leads wait for a person.
func (m *Metrics) UnmappableWaiting(n int) {
	if m == nil {
		return
	}
	m.unmappableWaiting.Set(float64(n))
}
