package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// NameReportInfo says which day the last daily report was of and the state
// of its mail, for `syncd status`.
const NameReportInfo = "syncd_last_report_info"

// NameReportRefused counts the recipients the mail server refused the last
// report's mail for while it took it for the others.
const NameReportRefused = "syncd_last_report_mail_refused_recipients"

// NameReportUnattached is 1 when the last report's mail went without the
// workbook, too large for the mail server.
const NameReportUnattached = "syncd_last_report_mail_unattached"

// reportInfoMetrics makes the gauge of the last report's day and mail.
func (m *Metrics) reportInfoMetrics() prometheus.Collector {
	m.reportInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "last_report_info",
		Help: "Always 1; the labels say which day the last daily report was of and its mail's state: " +
			"none (not to be mailed), pending (being sent or retried), sent, failed, kept (made before a restore from an older backup, its mail not recorded).",
	}, []string{"day", "mail"})
	return m.reportInfo
}

// ReportState records the last report's day (YYYY-MM-DD) and its mail's
// state (a syncd.MailState), replacing the one before.
func (m *Metrics) ReportState(day, mail string) {
	if m == nil {
		return
	}
	m.reportInfo.Reset()
	m.reportInfo.WithLabelValues(day, mail).Set(1)
}

// reportRefusedMetrics makes the gauge of the recipients the last
// report's mail was refused for, at 0 until one is.
func (m *Metrics) reportRefusedMetrics() prometheus.Collector {
	m.reportRefused = gauge("last_report_mail_refused_recipients",
		"How many recipients the mail server refused the last daily report's mail for (a 5xx to their address) "+
			"while it took it for the others; 0 when all got it, or none did (see syncd_last_report_mail_failed).")
	return m.reportRefused
}

// ReportRefused records for how many recipients the last report's mail
// was refused while the others got it.
func (m *Metrics) ReportRefused(n int) {
	if m == nil {
		return
	}
	m.reportRefused.Set(float64(n))
}

// reportUnattachedMetrics makes the gauge of a last report mailed without
// its workbook, at 0 until one is.
func (m *Metrics) reportUnattachedMetrics() prometheus.Collector {
	m.reportUnattached = gauge("last_report_mail_unattached",
		"1 when the last daily report's mail went without the workbook, larger than the mail server takes "+
			"(its SIZE, or a 552 answer): the mail says where the workbook is kept; 0 otherwise.")
	return m.reportUnattached
}

// ReportUnattached records whether the last report's mail went without
// its workbook.
func (m *Metrics) ReportUnattached(without bool) {
	if m == nil {
		return
	}
	m.reportUnattached.Set(map[bool]float64{true: 1}[without])
}

// NameReportNotMade is, labelled with the day, since when the scheduler's
// runs have failed to make a due day's report; absent while they make them.
const NameReportNotMade = "syncd_report_not_made_since_timestamp_seconds"

// reportNotMadeMetric makes the gauge of a due report not made.
func (m *Metrics) reportNotMadeMetric() prometheus.Collector {
	m.reportNotMade = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "report_not_made_since_timestamp_seconds",
		Help: "Unix time since when the daemon's report runs have failed to make the report of the day labelled, due and " +
			"not made (the reports directory not written, the disk full: the log's reports lines say why); " +
			"absent while every due report is made.",
	}, []string{"day"})
	return m.reportNotMade
}

// ReportNotMade records the oldest due day whose report the scheduler
// could not make since since; day "" when every due report is made.
func (m *Metrics) ReportNotMade(day string, since time.Time) {
	if m == nil {
		return
	}
	m.reportNotMade.Reset()
	if day != "" {
		m.reportNotMade.WithLabelValues(day).Set(float64(since.Unix()))
	}
}
