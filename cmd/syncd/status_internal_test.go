package main

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

var t0 = time.Date(2025, 1, 2, 8, 19, 3, 0, time.UTC)

// busyMetrics records a small but complete day's worth of activity.
func busyMetrics(t *testing.T) *metrics.Metrics {
	t.Helper()
	m := metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	if err := m.WatchOutbox(func(context.Context) ([]metrics.OutboxDepth, error) {
		return []metrics.OutboxDepth{
			{Target: "pipedrive", Done: 7},
			{Target: "hubspot", Pending: 12, Done: 4810, Dead: 2, OldestPending: t0.Add(-192 * time.Second)},
		}, nil
	}, 0); err != nil {
		t.Fatal(err)
	}
	m.ObserveIntake("lokalebasen", metrics.OutcomeAccepted, time.Millisecond)
	m.ObserveIntake("lokalebasen", metrics.OutcomeDuplicate, time.Millisecond)
	m.Quarantined("eaf", "invalid_json", time.Millisecond)
	m.Rejected("eaf", "auth")
	m.SyncSucceeded("hubspot", t0.Add(-4*time.Minute))
	m.SetPaused("hubspot", false)
	m.SetPaused("pipedrive", true)
	m.CRMFailing("hubspot", time.Time{}) // as the daemon at start
	m.CRMRateLimited("hubspot", false)   // as the daemon at start
	m.CRMStuck("hubspot", 0)             // as the daemon at start
	m.CRMChecked("pipedrive", 2)
	m.ReportWritten(t0.Add(-2*time.Hour - 19*time.Minute - 3*time.Second))
	m.ReportState("2025-01-01", "sent")
	m.ConfigLoaded(true, t0.Add(-time.Hour))
	m.DaemonStarted("/var/lib/syncd/syncd.db", 4242, t0.Add(-26*time.Hour))
	return m
}

// snapshotOver reads m as `syncd status` reads a running daemon: over HTTP.
func snapshotOver(t *testing.T, m *metrics.Metrics) Snapshot {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	s, err := scrape(context.Background(), srv.URL+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	s.At = t0
	return s
}

func TestSnapshotFromMetricsText(t *testing.T) {
	t.Parallel()
	want := Snapshot{
		At:          t0,
		Version:     "1.4.0",
		Revision:    "unknown", // test binaries carry no VCS stamp
		Database:    "/var/lib/syncd/syncd.db",
		Started:     t0.Add(-26 * time.Hour),
		PID:         4242,
		Loads:       1, // the start's
		OutboxKnown: true,
		Outbox: []metrics.OutboxDepth{
			{Target: "hubspot", Pending: 12, Done: 4810, Dead: 2},
			{Target: "pipedrive", Done: 7},
		},
		Adapters: []AdapterStatus{
			{Name: "hubspot", LastSync: t0.Add(-4 * time.Minute)},
			{Name: "pipedrive", Paused: true, Checked: true, CheckProblems: 2},
		},
		LastReport: t0.Add(-2*time.Hour - 19*time.Minute - 3*time.Second),
		ReportDay:  "2025-01-01", ReportMail: "sent",
		Events: EventTotals{Received: 4, Accepted: 1, Duplicate: 1, Quarantined: 1, Rejected: 1, RejectedBy: map[string]int{"auth": 1}},
	}
	got := snapshotOver(t, busyMetrics(t))
	if got.Revision != "unknown" {
		want.Revision = got.Revision // built from a VCS checkout after all
	}
	// The oldest pending age is relative to the scrape's own clock.
	if old := got.Outbox[0].OldestPending; old.IsZero() {
		t.Errorf("oldest pending lost: %+v", got.Outbox[0])
	}
	got.Outbox[0].OldestPending = time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot\n got %+v\nwant %+v", got, want)
	}
	if got.DeadLetters() != 2 {
		t.Errorf("DeadLetters = %d", got.DeadLetters())
	}
}

func TestSnapshotOutboxUnknownAndReloadFailed(t *testing.T) {
	t.Parallel()
	m := metrics.New("1.4.0")
	if err := m.WatchOutbox(func(context.Context) ([]metrics.OutboxDepth, error) {
		return nil, errors.New("disk I/O error")
	}, 0); err != nil {
		t.Fatal(err)
	}
	m.ConfigLoaded(false, time.Now())
	s := snapshotOver(t, m)
	if s.OutboxKnown || len(s.Outbox) != 0 || !s.ReloadFailed {
		t.Errorf("snapshot %+v: want outbox unknown and reload failed", s)
	}
}

func TestParseSnapshotRejectsOtherText(t *testing.T) {
	t.Parallel()
	if _, err := parseSnapshot(strings.NewReader("up 1\n"), t0); err == nil {
		t.Error("accepted metrics without syncd_build_info")
	}
	if _, err := parseSnapshot(strings.NewReader("<html>not metrics</html>"), t0); err == nil {
		t.Error("accepted HTML")
	}
}

// cph is the report's default zone, in which status speaks.
var cph = func() clock {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return clock{loc: loc}
}()

func TestWriteStatus(t *testing.T) {
	t.Parallel()
	s := snapshotOver(t, busyMetrics(t))
	s.Revision = "0123456789abcdef0123"
	var b bytes.Buffer
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	want := `syncd         1.4.0 (0123456789ab), status at 2025-01-02 09:19:03 +01:00
daemon        running since 2025-01-01 07:19:03 +01:00 (26h ago), database /var/lib/syncd/syncd.db
outbox        hubspot: 12 pending (oldest 3m12s), 4810 done, 2 dead
              pipedrive: 0 pending, 7 done, 0 dead
dead letters  2  NEEDS ATTENTION: operations the CRM sync gave up on (syncd outbox show ID says why: syncd outbox retry ID once it is fixed, or syncd outbox give-up ID once it is dealt with by hand in the CRM)
last sync     hubspot: 2025-01-02 09:15:03 +01:00 (4m ago)
              pipedrive: never
last report   2025-01-02 07:00:00 +01:00 (2h19m ago), of 2025-01-01, mailed
adapters      hubspot: running
              pipedrive: PAUSED
crm check     pipedrive: FAILING, 2 problems: run syncd crm check (the daemon's check; once syncd crm check says ok, it runs again at syncd sync -resume, or as the pause ends)
events        4 received since start: 1 accepted, 1 duplicate, 1 quarantined, 1 rejected
`
	// The oldest pending age depends on the scrape's clock: pin it.
	s.Outbox[0].OldestPending = t0.Add(-192 * time.Second)
	b.Reset()
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestWriteStatusSaysTheReportsDayAndPendingMail: the last report line says
// which day the report was of, and that its mail is pending (being
// retried) rather than failed. It said only when the report was made.
func TestWriteStatusSaysTheReportsDayAndPendingMail(t *testing.T) {
	t.Parallel()
	m := busyMetrics(t)
	m.ReportState("2025-01-01", "pending")
	var b bytes.Buffer
	if err := writeStatus(&b, cph, snapshotOver(t, m)); err != nil {
		t.Fatal(err)
	}
	want := "last report   2025-01-02 07:00:00 +01:00 (2h19m ago), of 2025-01-01, its mail PENDING: being sent or retried (why: the log)\n"
	if !strings.Contains(b.String(), want) || strings.Contains(b.String(), "FAILED") {
		t.Errorf("got\n%s\nwant the line\n%s", b.String(), want)
	}
}

// TestWriteStatusOfflinePendingMailSaysWhenItGoes: a report's mail left
// pending by a daemon stopped while it waited to retry (the mail server
// down) was "being sent or retried" in the status read from the database
// with no daemon running: nothing was retrying it. It says it is not sent
// and goes when the daemon starts, or by hand now.
func TestWriteStatusOfflinePendingMailSaysWhenItGoes(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	s := Snapshot{At: t0, Version: "1.4.0", OutboxKnown: true, Offline: true,
		OfflineWhy: "no syncd answers at 127.0.0.1:8080", Database: "/srv/syncd.db",
		LastReport: t0.Add(-time.Hour), ReportDay: "2025-01-01", ReportMail: "pending"}
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	want := ", of 2025-01-01, its mail PENDING: not sent yet, and no daemon answers here to retry it: " +
		"it goes when the daemon starts (now: syncd report -date 2025-01-01 -mail)\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant the line ending\n%s", b.String(), want)
	}
}

func TestWriteStatusReloadFailed(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := writeStatus(&b, cph, Snapshot{At: t0, Version: "1.4.0", ReloadFailed: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "config        LAST RELOAD FAILED") {
		t.Errorf("reload failure not shown:\n%s", b.String())
	}
}

func TestWriteStatusQuietDaemon(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := writeStatus(&b, clock{loc: time.UTC}, Snapshot{At: t0, Version: "1.4.0", OutboxKnown: false}); err != nil {
		t.Fatal(err)
	}
	want := `syncd         1.4.0, status at 2025-01-02 08:19:03 +00:00
outbox        unknown (the outbox could not be queried)
dead letters  unknown
last sync     no adapter reported yet
last report   never
events        0 received since start: 0 accepted, 0 duplicate, 0 quarantined, 0 rejected
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteStatusOffline(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	s := Snapshot{At: t0, Version: "1.4.0", OutboxKnown: true, Offline: true,
		OfflineWhy: "no syncd answers at 127.0.0.1:8080", Database: "/srv/syncd.db",
		Outbox:   []metrics.OutboxDepth{{Target: "hubspot", Pending: 3}},
		Adapters: []AdapterStatus{{Name: "hubspot"}}}
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "since start") ||
		!strings.Contains(out, "daemon        no syncd answers at 127.0.0.1:8080: figures from the database /srv/syncd.db") ||
		!strings.Contains(out, "hubspot: not paused") {
		t.Errorf("offline status:\n%s", out)
	}
}

// TestWriteStatusPauseSaysWhy: a pause whose details the database holds
// says until when, why and the way out, as the report's alarm does.
func TestWriteStatusPauseSaysWhy(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	s := Snapshot{At: t0, Version: "1.4.0", OutboxKnown: true, Adapters: []AdapterStatus{{Name: "hubspot", Paused: true,
		PausedUntil: t0.Add(15 * time.Minute), PauseReason: "authentication rejected: crm 401 EXPIRED_AUTHENTICATION: expired"}}}
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	want := "adapters      hubspot: PAUSED until 2025-01-02 09:34:03 +01:00 (in 15m): authentication rejected: crm 401 EXPIRED_AUTHENTICATION: expired\n" +
		"                Leads wait in the outbox; once fixed, run: syncd sync -resume. " +
		"A new token: reload the daemon (systemctl reload syncd), HubSpot and Pipedrive alike; a token file systemd hands over " +
		"(LoadCredential=): systemctl restart syncd. It then resumes by itself\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant a line\n%s", b.String(), want)
	}
}

// TestNeedsAttention: each line status prints in capitals makes status
// exit 5 for a monitoring script; a healthy snapshot does not.
func TestNeedsAttention(t *testing.T) {
	t.Parallel()
	healthy := func() Snapshot {
		return Snapshot{At: t0, OutboxKnown: true, Outbox: []metrics.OutboxDepth{{Target: "hubspot", Pending: 3, Done: 9}},
			Adapters: []AdapterStatus{{Name: "hubspot", Checked: true}}}
	}
	if s := healthy(); s.needsAttention() {
		t.Fatalf("healthy snapshot needs attention: %+v", s)
	}
	for name, spoil := range map[string]func(*Snapshot){
		"database lost":      func(s *Snapshot) { s.DatabaseLost = true },
		"deliveries refused": func(s *Snapshot) { s.Refusing = true },
		"outbox unknown":     func(s *Snapshot) { s.OutboxKnown = false },
		"dead letters":       func(s *Snapshot) { s.Outbox[0].Dead = 1 },
		"paused":             func(s *Snapshot) { s.Adapters[0].Paused = true },
		"crm check failing":  func(s *Snapshot) { s.Adapters[0].CheckProblems = 2 },
		"crm check not run":  func(s *Snapshot) { s.Adapters[0].CheckProblems = -1 },
		"report mail":        func(s *Snapshot) { s.ReportMailFailed = true },
		"reload rejected":    func(s *Snapshot) { s.ReloadFailed = true },
	} {
		s := healthy()
		spoil(&s)
		if !s.needsAttention() {
			t.Errorf("%s: no attention", name)
		}
	}
}

func TestSnapshotDatabaseLost(t *testing.T) {
	t.Parallel()
	m := busyMetrics(t)
	if snapshotOver(t, m).DatabaseLost {
		t.Fatal("database lost before it was")
	}
	m.DatabaseLost()
	if !snapshotOver(t, m).DatabaseLost {
		t.Fatal("syncd_database_lost 1 not read")
	}
}
