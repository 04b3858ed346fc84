// Package staterow says, once for both stores (internal/sqlite,
// internal/postgres), what the state rows they keep for the daemon's parts
// are named and how their values are encoded: an adapter pause, the CRM
// failing every call, the last sync, a report's mail and alarms. `syncd
// migrate-store` copies these rows as they are, so each store must read
// what the other wrote. It stands apart from storeapi, which the stores do
// not import (it names the parts they feed).
package staterow

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// PauseName is the name of the row of target's adapter pause.
func PauseName(target string) string { return "adapter_pause:" + target }

// FailingName is the name of the row of target's CRM failing every call.
func FailingName(target string) string { return "crm_failing:" + target }

// LastSyncName is the name of the row of target's last sync, a time in
// syncd.TimeFormat.
func LastSyncName(target string) string { return "last_sync:" + target }

// ReportMailPrefix and ReportAlarmsPrefix, followed by a day (YYYY-MM-DD),
// name the rows of that day's report mail (ReportRows) and of the alarms
// the report was made with; the reports table has no columns for them.
const (
	ReportMailPrefix   = "report.mail."
	ReportAlarmsPrefix = "report.alarms."
)

// pause is an adapter pause's row.
type pause struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// Pause is the value of an adapter pause's row: paused until until, for
// reason.
func Pause(until time.Time, reason string) (string, error) {
	b, err := json.Marshal(pause{Until: syncd.FormatTime(until), Reason: reason})
	return string(b), err
}

// ParsePause reads a Pause value; an until that does not read is a zero
// time (not paused).
func ParsePause(v string) (until time.Time, reason string, err error) {
	var p pause
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return time.Time{}, "", err
	}
	until, _ = syncd.ParseTime(p.Until)
	return until, p.Reason, nil
}

// failing is the row of a CRM failing every call.
type failing struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

// Failing is the value of the row of a CRM failing every call: since when
// every call has failed and until when none is tried, in UTC.
func Failing(since, until time.Time) (string, error) {
	b, err := json.Marshal(failing{Since: since.UTC(), Until: until.UTC()})
	return string(b), err
}

// ParseFailing reads a Failing value, in UTC.
func ParseFailing(v string) (since, until time.Time, err error) {
	var f failing
	if err := json.Unmarshal([]byte(v), &f); err != nil {
		return time.Time{}, time.Time{}, err
	}
	return f.Since.UTC(), f.Until.UTC(), nil
}

// reportMail is the row of a report's mail.
type reportMail struct {
	Subject string `json:"subject"`
	HTML    string `json:"html"`
}

// ReportRows are the values of rec's report mail row (its subject and
// HTML part) and of its alarms row.
func ReportRows(rec syncd.ReportRecord) (mail, alarms string, err error) {
	m, err := json.Marshal(reportMail{Subject: rec.Subject, HTML: rec.HTML})
	if err != nil {
		return "", "", err
	}
	a, err := json.Marshal(rec.Alarms)
	if err != nil {
		return "", "", err
	}
	return string(m), string(a), nil
}

// ParseReportRows sets rec's Subject, HTML and Alarms from the values of
// its rows, "" for a row that is not there. A mail row that does not read
// gives no subject (the report is still listed); alarms that do not read
// are an error.
func ParseReportRows(rec *syncd.ReportRecord, mail, alarms string) error {
	var m reportMail
	if mail != "" && json.Unmarshal([]byte(mail), &m) == nil {
		rec.Subject, rec.HTML = m.Subject, m.HTML
	}
	if alarms == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(alarms), &rec.Alarms); err != nil {
		return fmt.Errorf("alarms of %s: %w", rec.Day, err)
	}
	return nil
}
