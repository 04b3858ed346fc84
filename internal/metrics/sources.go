package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// NameMapped counts events by the state mapping left them in.
const NameMapped = "syncd_events_mapped_total"

// mappingMetrics makes the counter of mapped events.
func (m *Metrics) mappingMetrics() prometheus.Collector {
	m.mapped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "events_mapped_total",
		Help: "Events mapped, by the state mapping left them in: mapped (operations in the outbox), " +
			"ignored (no rule applies), unmappable (a rule applies but failed: syncd events list, the report's Needs attention).",
	}, []string{"state"})
	return m.mapped
}

// NameMappingStuck is since when every pass of the mapping worker has
// failed, once it is stuck; 0 while it works.
const NameMappingStuck = "syncd_mapping_stuck_since_timestamp_seconds"

// mappingStuckMetric makes the gauge of a stuck mapping worker.
func (m *Metrics) mappingStuckMetric() prometheus.Collector {
	m.mappingStuck = gauge("mapping_stuck_since_timestamp_seconds",
		"Unix time since when every pass of the mapping worker has failed, once that has lasted 5 minutes "+
			"(leads received since wait unmapped); 0 while it works.")
	return m.mappingStuck
}

// MappingStuck records since when every mapping pass has failed, the
// worker stuck; a zero since says it works.
func (m *Metrics) MappingStuck(since time.Time) {
	if m == nil {
		return
	}
	v := 0.0
	if !since.IsZero() {
		v = unixSeconds(since)
	}
	m.mappingStuck.Set(v)
}

// NameMappingHeld is since when the daemon has held its mapping: the
// mapping files did not load as it started, so it stores every delivery
// and maps none (nor syncs) until a reload loads them; 0 while it maps.
const NameMappingHeld = "syncd_mapping_held_since_timestamp_seconds"

// mappingHeldMetric makes the gauge of a daemon holding its mapping.
func (m *Metrics) mappingHeldMetric() prometheus.Collector {
	m.mappingHeld = gauge("mapping_held_since_timestamp_seconds",
		"Unix time since when the daemon has held its mapping: the mapping files did not load as it started, so it "+
			"stores every delivery and maps none, nor syncs, until a reload loads them; 0 while it maps.")
	return m.mappingHeld
}

// MappingHeld records since when the daemon has held its mapping; a zero
// since says it maps.
func (m *Metrics) MappingHeld(since time.Time) {
	if m == nil {
		return
	}
	v := 0.0
	if !since.IsZero() {
		v = unixSeconds(since)
	}
	m.mappingHeld.Set(v)
}

// Mapped records n events that mapping left in state (e.g. "unmappable").
func (m *Metrics) Mapped(state string, n int) {
	if m == nil || n <= 0 {
		return
	}
	m.mapped.WithLabelValues(state).Add(float64(n))
}

// Expect creates at 0 the counters an alert watches, before anything
// happens: the intake counters of each source (with each quarantine
// reason) and the mapped events of each state. A counter that appears only
// with its first event at 1 shows no increase to Prometheus, so the first
// quarantined body after a start raised no alert, and a source that sent
// nothing since a start had no series for "no leads today" to fire on.
// Call it at start and with the sources of each reload.
func (m *Metrics) Expect(sources, quarantineReasons, mapStates []string) {
	if m == nil {
		return
	}
	for _, s := range sources {
		for _, c := range []*prometheus.CounterVec{m.received, m.accepted, m.duplicate, m.unrecognised, m.changed} {
			c.WithLabelValues(s)
		}
		for _, r := range quarantineReasons {
			m.quarantined.WithLabelValues(s, r)
		}
	}
	for _, st := range mapStates {
		m.mapped.WithLabelValues(st)
	}
}

// ExpectRejected creates at 0 the refused deliveries of each source label
// and reason in series (see Expect): the first delivery refused after a
// start (a full disk or a lost database answering 503) shows as an
// increase. It is also counted as received, which exists at 0 already.
func (m *Metrics) ExpectRejected(series map[string][]string) {
	if m == nil {
		return
	}
	for source, reasons := range series {
		for _, r := range reasons {
			m.rejected.WithLabelValues(source, r)
		}
	}
}
