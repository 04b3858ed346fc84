package metrics

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 1, 2, 8, 19, 3, 0, time.UTC)

// busyMetrics records a small but complete day's worth of activity.
func busyMetrics(t *testing.T) *Metrics {
	t.Helper()
	m := New("1.4.0")
	m.Now = func() time.Time { return t0 }
	if err := m.WatchOutbox(func(context.Context) ([]OutboxDepth, error) {
		return []OutboxDepth{
			{Target: "pipedrive", Done: 7},
			{Target: "hubspot", Pending: 12, Done: 4810, Dead: 2, OldestPending: t0.Add(-192 * time.Second)},
		}, nil
	}, 0); err != nil {
		t.Fatal(err)
	}
	m.ObserveIntake("lokalebasen", OutcomeAccepted, time.Millisecond)
	m.ObserveIntake("lokalebasen", OutcomeDuplicate, time.Millisecond)
	m.Quarantined("eaf", "invalid_json", time.Millisecond)
	m.Rejected("eaf", "auth")
	m.SyncSucceeded("hubspot", t0.Add(-4*time.Minute))
	m.SetPaused("hubspot", false)
	m.SetPaused("pipedrive", true)
	m.CRMChecked("pipedrive", 2)
	m.ReportWritten(t0.Add(-2*time.Hour - 19*time.Minute - 3*time.Second))
	m.ConfigLoaded(true, t0.Add(-time.Hour))
	return m
}

func TestSnapshotFromRegistryAndFromMetricsText(t *testing.T) {
	m := busyMetrics(t)
	want := Snapshot{
		At:          t0,
		Version:     "1.4.0",
		Revision:    "unknown", // test binaries carry no VCS stamp
		OutboxKnown: true,
		Outbox: []OutboxDepth{
			{Target: "hubspot", Pending: 12, Done: 4810, Dead: 2, OldestPending: t0.Add(-192 * time.Second)},
			{Target: "pipedrive", Done: 7},
		},
		Adapters: []AdapterStatus{
			{Name: "hubspot", LastSync: t0.Add(-4 * time.Minute)},
			{Name: "pipedrive", Paused: true, Checked: true, CheckProblems: 2},
		},
		LastReport: t0.Add(-2*time.Hour - 19*time.Minute - 3*time.Second),
		Events:     EventTotals{Received: 4, Accepted: 1, Duplicate: 1, Quarantined: 1, Rejected: 1},
	}

	got, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != "unknown" {
		want.Revision = got.Revision // built from a VCS checkout after all
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Snapshot()\n got %+v\nwant %+v", got, want)
	}
	if got.DeadLetters() != 2 {
		t.Errorf("DeadLetters = %d", got.DeadLetters())
	}

	// The same numbers read back from the text /metrics serves, as
	// `syncd status` does against a running daemon.
	body, _ := scrape(t, m)
	parsed, err := ParseSnapshot(strings.NewReader(body), t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(parsed, got) {
		t.Errorf("ParseSnapshot\n got %+v\nwant %+v", parsed, got)
	}
}

func TestSnapshotOutboxUnknownAndReloadFailed(t *testing.T) {
	m := New("1.4.0")
	if err := m.WatchOutbox(func(context.Context) ([]OutboxDepth, error) {
		return nil, errors.New("disk I/O error")
	}, 0); err != nil {
		t.Fatal(err)
	}
	m.ConfigLoaded(false, time.Now())
	s, err := m.Snapshot()
	if err == nil {
		t.Error("Snapshot hid the outbox error")
	}
	if s.OutboxKnown || len(s.Outbox) != 0 || !s.ReloadFailed {
		t.Errorf("snapshot %+v: want outbox unknown and reload failed", s)
	}
}

func TestParseSnapshotRejectsOtherText(t *testing.T) {
	if _, err := ParseSnapshot(strings.NewReader("up 1\n"), t0); err == nil {
		t.Error("accepted metrics without syncd_build_info")
	}
	if _, err := ParseSnapshot(strings.NewReader("<html>not metrics</html>"), t0); err == nil {
		t.Error("accepted HTML")
	}
}

func TestWriteStatus(t *testing.T) {
	s, err := busyMetrics(t).Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	s.Revision = "0123456789abcdef0123"
	s.ReloadFailed = true
	var b bytes.Buffer
	if err := WriteStatus(&b, s); err != nil {
		t.Fatal(err)
	}
	want := `syncd         1.4.0 (0123456789ab), status at 2025-01-02 08:19:03 UTC
outbox        hubspot: 12 pending (oldest 3m12s), 4810 done, 2 dead
              pipedrive: 0 pending, 7 done, 0 dead
dead letters  2  NEEDS ATTENTION: operations the CRM sync gave up on
last sync     hubspot: 2025-01-02 08:15:03 UTC (4m0s ago)
              pipedrive: never
last report   2025-01-02 06:00:00 UTC (2h19m3s ago)
adapters      hubspot: running
              pipedrive: PAUSED
crm check     pipedrive: FAILING, 2 problem(s): run syncd crm check
events        4 received since start: 1 accepted, 1 duplicate, 1 quarantined, 1 rejected
config        LAST RELOAD FAILED: running on the previous configuration (see the journal)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteStatusQuietDaemon(t *testing.T) {
	var b bytes.Buffer
	if err := WriteStatus(&b, Snapshot{At: t0, Version: "1.4.0", OutboxKnown: false}); err != nil {
		t.Fatal(err)
	}
	want := `syncd         1.4.0, status at 2025-01-02 08:19:03 UTC
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
	var b bytes.Buffer
	s := Snapshot{At: t0, Version: "1.4.0", OutboxKnown: true, Offline: true,
		Outbox:   []OutboxDepth{{Target: "hubspot", Pending: 3}},
		Adapters: []AdapterStatus{{Name: "hubspot"}}}
	if err := WriteStatus(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "since start") || !strings.Contains(out, "daemon        not running") ||
		!strings.Contains(out, "hubspot: not paused") {
		t.Errorf("offline status:\n%s", out)
	}
}
