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
// them. It says that syncd sync or a started daemon sends them; with an
// instance serving, they still go by themselves.
func TestStatusOfACRMDownWithNothingServingPromisesNoSend(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := Snapshot{At: at, Offline: true, OutboxKnown: true,
		Outbox:   []metrics.OutboxDepth{{Target: "hubspot", Pending: 2}},
		Adapters: []AdapterStatus{{Name: "hubspot", FailingSince: at.Add(-time.Hour)}}}
	for _, none := range []bool{false, true} {
		s.NoneServes = none
		var out strings.Builder
		if err := writeStatus(&out, clock{loc: time.UTC}, s); err != nil {
			t.Fatal(err)
		}
		byThemselves := strings.Contains(out.String(), "go out by themselves")
		if !strings.Contains(out.String(), "CRM FAILING") || byThemselves == none ||
			strings.Contains(out.String(), noneServes) != none {
			t.Errorf("status, the CRM down for an hour, nothing serving %v:\n%s", none, out.String())
		}
	}
}
