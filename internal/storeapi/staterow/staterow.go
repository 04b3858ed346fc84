// Package staterow says, once for both stores (internal/sqlite,
// internal/postgres), what the state rows they keep for the daemon's parts
// are named and how their values are encoded (an adapter pause, the CRM
// failing every call, the last sync, a report's mail and alarms), and
// reads and writes the syncer's through a store's state table and clock
// (Store). `syncd migrate-store` copies these rows as they are, so each
// store must read what the other wrote. It stands apart from storeapi,
// which the stores do not import (it names the parts they feed).
package staterow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store is a store's state table and its clock: ServerTime puts a time on
// this host's clock on the store's, the one its rows are kept on, and
// HostTime puts one read from a row back on this host's (the PostgreSQL
// store, whose instances' clocks may differ; the SQLite store's are
// both t itself).
type Store interface {
	StateValue(ctx context.Context, name string) (string, bool, error)
	SetStateValue(ctx context.Context, name, value string) error
	DeleteStateValue(ctx context.Context, name string) error
	ServerTime(t time.Time) time.Time
	HostTime(t time.Time) time.Time
}

// pauseName is the name of the row of target's adapter pause.
func pauseName(target string) string { return "adapter_pause:" + target }

// failingName is the name of the row of target's CRM failing every call.
func failingName(target string) string { return "crm_failing:" + target }

// LastSyncName is the name of the row of target's last sync, a LastSync
// value.
func LastSyncName(target string) string { return "last_sync:" + target }

// AdapterPause returns the pause of the adapter for target, its Until on
// this host's clock; a zero Until means it is not paused.
func AdapterPause(ctx context.Context, s Store, target string) (syncd.Pause, error) {
	v, ok, err := s.StateValue(ctx, pauseName(target))
	if err != nil || !ok {
		return syncd.Pause{}, err
	}
	p, err := parsePause(v)
	if err != nil {
		return syncd.Pause{}, fmt.Errorf("adapter pause %s: %w", target, err)
	}
	p.Until = s.HostTime(p.Until)
	return p, nil
}

// SetAdapterPause pauses the adapter for target as p says (Until on this
// host's clock); a zero Until lifts the pause.
func SetAdapterPause(ctx context.Context, s Store, target string, p syncd.Pause) error {
	if p.Until.IsZero() {
		return s.DeleteStateValue(ctx, pauseName(target))
	}
	p.Until = s.ServerTime(p.Until)
	v, err := pauseValue(p)
	if err != nil {
		return fmt.Errorf("set adapter pause: %w", err)
	}
	return s.SetStateValue(ctx, pauseName(target), v)
}

// CRMFailing returns since when every CRM call for target has failed and
// until when none is tried (the syncer's cool-down), on this host's clock,
// and how the last call failed (why, "" in a row written before it was
// kept); zero times while the CRM answers.
func CRMFailing(ctx context.Context, s Store, target string) (since, until time.Time, why string, err error) {
	v, ok, err := s.StateValue(ctx, failingName(target))
	if err != nil || !ok || v == "" {
		return time.Time{}, time.Time{}, "", err
	}
	f, err := parseFailing(v)
	if err != nil {
		return time.Time{}, time.Time{}, "", fmt.Errorf("crm failing %s: %w", target, err)
	}
	return s.HostTime(f.Since), s.HostTime(f.Until), f.Why, nil
}

// SetCRMFailing records since when every CRM call for target has failed
// and until when none is tried (on this host's clock), and how the last
// call failed (why, see CRMFailing); a zero since clears
// the record (the CRM answers). A since later than the one recorded keeps
// that one: each `syncd sync` run, or a new syncer, finds the outage anew,
// and status said the CRM had failed for minutes when it had for hours.
func SetCRMFailing(ctx context.Context, s Store, target string, since, until time.Time, why string) error {
	if since.IsZero() {
		return s.DeleteStateValue(ctx, failingName(target))
	}
	if first, _, _, err := CRMFailing(ctx, s, target); err == nil && !first.IsZero() && first.Before(since) {
		since = first
	}
	v, err := failingValue(s.ServerTime(since), s.ServerTime(until), why)
	if err != nil {
		return fmt.Errorf("set crm failing: %w", err)
	}
	return s.SetStateValue(ctx, failingName(target), v)
}

// LastSync returns when the syncer last finished a run for target without
// an error from the store or a pause, on this host's clock; zero if never.
func LastSync(ctx context.Context, s Store, target string) (time.Time, error) {
	v, ok, err := s.StateValue(ctx, LastSyncName(target))
	if err != nil || !ok {
		return time.Time{}, err
	}
	t, _ := syncd.ParseTime(v)
	return s.HostTime(t), nil
}

// SetLastSync records t, on this host's clock, as the last successful sync
// for target.
func SetLastSync(ctx context.Context, s Store, target string, t time.Time) error {
	return s.SetStateValue(ctx, LastSyncName(target), LastSyncValue(s.ServerTime(t)))
}

// LastSyncValue is the value of a last sync's row: t (on the store's
// clock) in syncd.TimeFormat, "" for a zero t.
func LastSyncValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return syncd.FormatTime(t)
}

// ReportMailPrefix and ReportAlarmsPrefix, followed by a day (YYYY-MM-DD),
// name the rows of that day's report mail (ReportRows) and of the alarms
// the report was made with; the reports table has no columns for them.
const (
	ReportMailPrefix   = "report.mail."
	ReportAlarmsPrefix = "report.alarms."
)

// pause is an adapter pause's row. Kind is absent from the rows syncd
// wrote before it was kept (session 38): legacyPauseKind reads those.
type pause struct {
	Until  string          `json:"until"`
	Reason string          `json:"reason"`
	Kind   syncd.PauseKind `json:"kind,omitempty"`
}

// pauseValue is the value of an adapter pause's row.
func pauseValue(p syncd.Pause) (string, error) {
	b, err := json.Marshal(pause{Until: syncd.FormatTime(p.Until), Reason: p.Reason, Kind: p.Kind})
	return string(b), err
}

// parsePause reads a pauseValue; an until that does not read is a zero
// time (not paused).
func parsePause(v string) (syncd.Pause, error) {
	var p pause
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return syncd.Pause{}, err
	}
	until, _ := syncd.ParseTime(p.Until)
	if p.Kind == "" {
		p.Kind = legacyPauseKind(p.Reason)
	}
	return syncd.Pause{Until: until, Kind: p.Kind, Reason: p.Reason}, nil
}

// legacyPauseKind is the kind of a pause a syncd before session 38 wrote,
// which kept only its reason: the words the syncer began each kind's
// reason with then (and begins them with still, so that such a syncd
// reads today's rows alike). Nothing else reads a pause's kind from its
// words.
func legacyPauseKind(reason string) syncd.PauseKind {
	for _, w := range []struct {
		prefix string
		kind   syncd.PauseKind
	}{
		{"authentication rejected: ", syncd.PauseToken},
		{"permission refused: ", syncd.PausePermission},
		{"wrong CRM account: ", syncd.PauseAccount},
		{"CRM address wrong: ", syncd.PauseAddress},
		{"daily limit reached: ", syncd.PauseDailyLimit},
		{"CRM configuration: ", syncd.PauseConfig},
		{"CRM check failing: ", syncd.PauseCheck},
	} {
		if !strings.HasPrefix(reason, w.prefix) {
			continue
		}
		switch {
		case w.kind == syncd.PauseDailyLimit && strings.Contains(reason, " "+syncd.CodeDailyBudget+":"):
			return syncd.PauseDailyBudget
		case w.kind == syncd.PauseConfig && strings.Contains(reason, "`syncd crm check` cannot see which properties HubSpot requires"):
			return syncd.PauseConfigUnseen
		}
		return w.kind
	}
	return ""
}

// failing is the row of a CRM failing every call.
type failing struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Why is how the last call failed; absent from a row of an older
	// syncd, which reads as "".
	Why string `json:"why,omitempty"`
}

// failingValue is the value of the row of a CRM failing every call: since
// when every call has failed and until when none is tried, in UTC, and how
// the last call failed.
func failingValue(since, until time.Time, why string) (string, error) {
	b, err := json.Marshal(failing{Since: since.UTC(), Until: until.UTC(), Why: why})
	return string(b), err
}

// parseFailing reads a failingValue, in UTC.
func parseFailing(v string) (f failing, err error) {
	if err := json.Unmarshal([]byte(v), &f); err != nil {
		return failing{}, err
	}
	f.Since, f.Until = f.Since.UTC(), f.Until.UTC()
	return f, nil
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
