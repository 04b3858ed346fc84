package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// scrape fetches /metrics from a real HTTP server on 127.0.0.1.
func scrape(t *testing.T, m *Metrics) (string, *http.Response) {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body), resp
}

func TestIntakeCountersMove(t *testing.T) {
	m := New("1.2.3")
	m.ObserveIntake("lokalebasen", OutcomeAccepted, 3*time.Millisecond)
	m.ObserveIntake("lokalebasen", OutcomeAccepted, 40*time.Millisecond)
	m.ObserveIntake("lokalebasen", OutcomeDuplicate, time.Millisecond)
	m.ObserveIntake("eaf", OutcomeAccepted, 2*time.Millisecond)
	m.Quarantined("eaf", "invalid_json", 5*time.Millisecond)
	m.Rejected("eaf", "auth")
	m.Rejected("eaf", "auth")
	m.Rejected("lokalebasen", "too_large")

	want := `
# HELP syncd_events_accepted_total Deliveries committed as new events.
# TYPE syncd_events_accepted_total counter
syncd_events_accepted_total{source="eaf"} 1
syncd_events_accepted_total{source="lokalebasen"} 2
# HELP syncd_events_duplicate_total Deliveries recognised as redeliveries of a stored event (answered 200, not stored again).
# TYPE syncd_events_duplicate_total counter
syncd_events_duplicate_total{source="lokalebasen"} 1
# HELP syncd_events_quarantined_total Authenticated deliveries that did not parse and were kept in the quarantine.
# TYPE syncd_events_quarantined_total counter
syncd_events_quarantined_total{reason="invalid_json",source="eaf"} 1
# HELP syncd_events_received_total Webhook deliveries received on a source's route, whatever became of them.
# TYPE syncd_events_received_total counter
syncd_events_received_total{source="eaf"} 4
syncd_events_received_total{source="lokalebasen"} 4
# HELP syncd_events_rejected_total Deliveries refused before storage (authentication, size, method, ...).
# TYPE syncd_events_rejected_total counter
syncd_events_rejected_total{reason="auth",source="eaf"} 2
syncd_events_rejected_total{reason="too_large",source="lokalebasen"} 1
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want),
		NameAccepted, NameDuplicate, NameQuarantined, NameReceived, NameRejected); err != nil {
		t.Error(err)
	}

	// The latency histogram saw the three lokalebasen deliveries, and put
	// the 40 ms one above the 25 ms bucket.
	if n := testutil.CollectAndCount(m.intake, "syncd_intake_duration_seconds"); n != 4 {
		t.Errorf("intake histogram series = %d, want 4 (source x outcome)", n)
	}
	body, _ := scrape(t, m)
	for _, line := range []string{
		`syncd_intake_duration_seconds_bucket{outcome="accepted",source="lokalebasen",le="0.005"} 1`,
		`syncd_intake_duration_seconds_bucket{outcome="accepted",source="lokalebasen",le="0.025"} 1`,
		`syncd_intake_duration_seconds_bucket{outcome="accepted",source="lokalebasen",le="0.05"} 2`,
		`syncd_intake_duration_seconds_count{outcome="accepted",source="lokalebasen"} 2`,
	} {
		if !strings.Contains(body, line) {
			t.Errorf("histogram lacks %s in\n%s", line, body)
		}
	}
}

func TestCRMMetrics(t *testing.T) {
	m := New("")
	m.CRMRequest("hubspot", "upsert_contact", 200, 120*time.Millisecond)
	m.CRMRequest("hubspot", "upsert_contact", 200, 80*time.Millisecond)
	m.CRMRequest("hubspot", "upsert_contact", 429, 10*time.Millisecond)
	m.CRMRequest("pipedrive", "create_deal", 0, 30*time.Second)
	m.RateLimitWait("hubspot", 1500*time.Millisecond)
	m.RateLimitWait("hubspot", 500*time.Millisecond)

	for _, c := range []struct {
		got  prometheus.Collector
		want float64
	}{
		{m.crmRequests.WithLabelValues("hubspot", "upsert_contact", "200"), 2},
		{m.crmRequests.WithLabelValues("hubspot", "upsert_contact", "429"), 1},
		{m.crmRequests.WithLabelValues("pipedrive", "create_deal", StatusTransportError), 1},
		{m.rateWaits.WithLabelValues("hubspot"), 2},
		{m.rateWaitSecs.WithLabelValues("hubspot"), 2},
	} {
		if got := testutil.ToFloat64(c.got); got != c.want {
			t.Errorf("%v = %v, want %v", c.got.(prometheus.Metric).Desc(), got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.crmRequests); n != 3 {
		t.Errorf("crm request series = %d, want 3", n)
	}
	if n := testutil.CollectAndCount(m.crmDuration); n != 2 {
		t.Errorf("crm duration series = %d, want 2 (adapter x op, status not a label)", n)
	}
}

func TestStateGauges(t *testing.T) {
	m := New("")
	sync := time.Date(2025, 3, 4, 5, 6, 7, 500_000_000, time.UTC)
	m.SyncSucceeded("hubspot", sync)
	m.SetPaused("hubspot", true)
	m.SetPaused("pipedrive", true)
	m.SetPaused("pipedrive", false)
	m.ReportWritten(sync.Add(time.Hour))
	m.ConfigLoaded(true, sync)
	m.ConfigLoaded(false, sync.Add(time.Minute))

	checks := map[string]float64{
		"hubspot last sync": testutil.ToFloat64(m.lastSync.WithLabelValues("hubspot")),
		"hubspot paused":    testutil.ToFloat64(m.paused.WithLabelValues("hubspot")),
		"pipedrive paused":  testutil.ToFloat64(m.paused.WithLabelValues("pipedrive")),
		"last report":       testutil.ToFloat64(m.lastReport),
		"reload ok":         testutil.ToFloat64(m.reloadOK),
		"reload time":       testutil.ToFloat64(m.reloadTime),
	}
	want := map[string]float64{
		"hubspot last sync": 1741064767.5,
		"hubspot paused":    1,
		"pipedrive paused":  0,
		"last report":       1741068367.5,
		"reload ok":         0,
		"reload time":       1741064767.5, // the failed reload does not move it
	}
	for k, w := range want {
		if checks[k] != w {
			t.Errorf("%s = %v, want %v", k, checks[k], w)
		}
	}
}

func TestHandlerServesTextFormat(t *testing.T) {
	m := New("9.9.9")
	m.ObserveIntake("eaf", OutcomeAccepted, time.Millisecond)
	body, resp := scrape(t, m)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q, want the Prometheus text format", ct)
	}
	for _, want := range []string{
		`syncd_events_accepted_total{source="eaf"} 1`,
		`syncd_build_info{goversion="go`,
		`version="9.9.9"} 1`,
		`go_goroutines `,
		`process_start_time_seconds `,
		`syncd_config_last_reload_successful 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestOwnRegistry(t *testing.T) {
	a, b := New(""), New("")
	a.Rejected("eaf", "auth")
	if got := testutil.ToFloat64(b.rejected.WithLabelValues("eaf", "auth")); got != 0 {
		t.Errorf("second Metrics saw the first's counter: %v", got)
	}
	fams, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if strings.HasPrefix(f.GetName(), "syncd_") {
			t.Errorf("%s registered on the global default registry", f.GetName())
		}
	}
}

func TestNilMetricsRecordsNothing(t *testing.T) {
	var m *Metrics
	m.ObserveIntake("eaf", OutcomeAccepted, time.Millisecond)
	m.Quarantined("eaf", "x", 0)
	m.Rejected("eaf", "auth")
	m.CRMRequest("hubspot", "op", 200, 0)
	m.RateLimitWait("hubspot", time.Second)
	m.SyncSucceeded("hubspot", time.Now())
	m.SetPaused("hubspot", true)
	m.ReportWritten(time.Now())
	m.ConfigLoaded(false, time.Now())
}

func TestOutboxCollector(t *testing.T) {
	m := New("")
	now := time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC)
	m.Now = func() time.Time { return now }
	var calls atomic.Int64
	err := m.WatchOutbox(func(ctx context.Context) ([]OutboxDepth, error) {
		calls.Add(1)
		return []OutboxDepth{
			{Target: "hubspot", Pending: 12, Done: 4810, Dead: 3, GivenUp: 1, OldestPending: now.Add(-192 * time.Second),
				Leased: 2, LeaseUntil: now.Add(4 * time.Minute)},
			{Target: "pipedrive", Done: 3},
		}, nil
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := `
# HELP syncd_outbox_ops Outbox operations by CRM target and state (pending, done, dead; given_up: dead letters given up by hand, not in dead).
# TYPE syncd_outbox_ops gauge
syncd_outbox_ops{state="dead",target="hubspot"} 2
syncd_outbox_ops{state="done",target="hubspot"} 4810
syncd_outbox_ops{state="given_up",target="hubspot"} 1
syncd_outbox_ops{state="pending",target="hubspot"} 12
syncd_outbox_ops{state="dead",target="pipedrive"} 0
syncd_outbox_ops{state="done",target="pipedrive"} 3
syncd_outbox_ops{state="given_up",target="pipedrive"} 0
syncd_outbox_ops{state="pending",target="pipedrive"} 0
# HELP syncd_outbox_oldest_pending_seconds Age of the oldest pending outbox operation by CRM target (0 when none is pending).
# TYPE syncd_outbox_oldest_pending_seconds gauge
syncd_outbox_oldest_pending_seconds{target="hubspot"} 192
syncd_outbox_oldest_pending_seconds{target="pipedrive"} 0
# HELP syncd_outbox_leased_ops Pending outbox operations a lease holds by CRM target: being sent, or held by a syncer that stopped mid-send until the lease ends.
# TYPE syncd_outbox_leased_ops gauge
syncd_outbox_leased_ops{target="hubspot"} 2
syncd_outbox_leased_ops{target="pipedrive"} 0
# HELP syncd_outbox_lease_until_timestamp_seconds When the last lease on a pending outbox operation ends, by CRM target (0 when none runs).
# TYPE syncd_outbox_lease_until_timestamp_seconds gauge
syncd_outbox_lease_until_timestamp_seconds{target="hubspot"} 1.73580504e+09
syncd_outbox_lease_until_timestamp_seconds{target="pipedrive"} 0
# HELP syncd_outbox_stats_up 1 if the outbox could be queried for this scrape, else 0.
# TYPE syncd_outbox_stats_up gauge
syncd_outbox_stats_up 1
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want),
		NameOutboxOps, NameOutboxOldest, NameOutboxLeased, NameOutboxLeaseUntil, NameOutboxUp); err != nil {
		t.Error(err)
	}
	before := calls.Load()
	scrape(t, m)
	if calls.Load() != before+1 {
		t.Errorf("a scrape made %d outbox queries, want 1", calls.Load()-before)
	}
	if err := m.WatchOutbox(func(context.Context) ([]OutboxDepth, error) { return nil, nil }, 0); err == nil {
		t.Error("second WatchOutbox registered")
	}
}

func TestOutboxCollectorFailures(t *testing.T) {
	cases := map[string]OutboxFunc{
		"error": func(context.Context) ([]OutboxDepth, error) {
			return nil, errors.New("database is locked")
		},
		"timeout": func(ctx context.Context) ([]OutboxDepth, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
		"ignores its context": func(context.Context) ([]OutboxDepth, error) {
			time.Sleep(500 * time.Millisecond)
			return []OutboxDepth{{Target: "hubspot", Pending: 1}}, nil
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			m := New("")
			if err := m.WatchOutbox(f, 50*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			m.Rejected("eaf", "auth")
			body, resp := scrape(t, m)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: a failing outbox query must not fail the scrape", resp.StatusCode)
			}
			for _, want := range []string{"syncd_outbox_stats_up 0", `syncd_events_rejected_total{reason="auth",source="eaf"} 1`} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
			if strings.Contains(body, "syncd_outbox_ops{") {
				t.Error("depth series served although the query failed")
			}
			// The handler counts the error after serving: the next scrape shows it.
			body, _ = scrape(t, m)
			if !strings.Contains(body, `promhttp_metric_handler_errors_total{cause="gathering"} 1`) {
				t.Error("the failure was not counted in promhttp_metric_handler_errors_total")
			}
		})
	}
}
