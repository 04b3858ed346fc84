package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusOfACRMDownWithNothingServingPromisesNoSend: status read from
// a PostgreSQL database no instance serves, every CRM call failing for
// over 30 minutes (as the last sync leader found it), said the pending
// leads "go out by themselves once it answers": nothing runs to send
// them. It says that syncd sync or a started instance sends them (not "the
// daemon", of which there are several); with an instance serving, they
// still go by themselves.
func TestStatusOfACRMDownWithNothingServingPromisesNoSend(t *testing.T) {
	t.Parallel()
	s := crmDownFromTheDatabase()
	s.Shared = true
	for _, none := range []bool{false, true} {
		s.NoneServes = none
		out := statusText(t, s)
		byThemselves := strings.Contains(out, "go out by themselves")
		if !strings.Contains(out, "CRM FAILING") || byThemselves == none ||
			strings.Contains(out, serving{true}.noneServes()) != none || strings.Contains(out, "the daemon") ||
			none && !strings.Contains(out, "once an instance is started") {
			t.Errorf("status, the CRM down for an hour, nothing serving %v:\n%s", none, out)
		}
	}
}

// TestStatusOfACRMDownWithNothingServingPromisesNoNextTry: status read
// from a database nothing serves (no daemon on SQLite), every CRM call
// failing for over 30 minutes, said under the adapter that what waits
// "goes at the next try (up to 10 minutes away)" once syncd crm check
// passes: there is no next try until a person runs syncd sync or starts
// the daemon. It says so; with a daemon serving, the next try stands.
func TestStatusOfACRMDownWithNothingServingPromisesNoNextTry(t *testing.T) {
	t.Parallel()
	s := crmDownFromTheDatabase()
	for _, none := range []bool{false, true} {
		s.NoneServes = none
		out := statusText(t, s)
		nextTry := strings.Contains(out, "goes at the next try")
		if nextTry == none || none && !strings.Contains(out, "the CRM is back: what waits goes with syncd sync, or once the daemon is started") {
			t.Errorf("status, the CRM down for an hour, nothing serving %v:\n%s", none, out)
		}
	}
}

// crmDownFromTheDatabase is status read from the database, every CRM call
// failing for an hour, two leads pending.
func crmDownFromTheDatabase() Snapshot {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	return Snapshot{At: at, Offline: true, OutboxKnown: true,
		Outbox:   []metrics.OutboxDepth{{Target: "hubspot", Pending: 2}},
		Adapters: []AdapterStatus{{Name: "hubspot", FailingSince: at.Add(-time.Hour)}}}
}

// statusText is what status prints of s, in UTC.
func statusText(t *testing.T, s Snapshot) string {
	t.Helper()
	var out strings.Builder
	if err := writeStatus(&out, clock{loc: time.UTC}, s); err != nil {
		t.Fatal(err)
	}
	return out.String()
}
