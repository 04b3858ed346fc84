package metrics

import "github.com/prometheus/client_golang/prometheus"

// NameSettingsDiffer counts the other instances on a shared database whose
// settings differ from this one's.
const NameSettingsDiffer = "syncd_cluster_settings_differ_instances"

// settingsDifferMetric makes the gauge of the instances whose settings
// differ, at 0 until one does (always 0 on SQLite).
func (m *Metrics) settingsDifferMetric() prometheus.Collector {
	m.settingsDiffer = gauge("cluster_settings_differ_instances",
		"Other instances on this PostgreSQL database whose settings that must agree (sources and tokens, mappings, crm, "+
			"intake.dedup_window, report, retention) differ from this one's, as this instance last compared them (every 30 s); "+
			"0 when all agree. syncd status counts it as needing attention once it has lasted 10 minutes.")
	return m.settingsDiffer
}

// SettingsDiffer records how many other instances' settings differ from
// this one's.
func (m *Metrics) SettingsDiffer(instances int) {
	if m == nil {
		return
	}
	m.settingsDiffer.Set(float64(instances))
}
