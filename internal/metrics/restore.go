package metrics

import "github.com/prometheus/client_golang/prometheus"

// NameErasuresUndone counts the erasures a restored backup undid that
// syncd could not make again: `syncd status` says ERASURE UNDONE for each.
const NameErasuresUndone = "syncd_restore_erasures_undone"

// erasuresUndoneMetric makes the gauge of the erasures a restore undid,
// at 0 until one is.
func (m *Metrics) erasuresUndoneMetric() prometheus.Collector {
	m.erasuresUndone = gauge("restore_erasures_undone",
		"Erasures made after the restored database's backup was taken that the restore undid and syncd could not "+
			"make again (the person is in the database again: syncd status names them; run syncd erase again for each); "+
			"0 otherwise.")
	return m.erasuresUndone
}

// ErasuresUndone records how many erasures the restore of the database
// undid that syncd could not make again.
func (m *Metrics) ErasuresUndone(n int) {
	if m == nil {
		return
	}
	m.erasuresUndone.Set(float64(n))
}
