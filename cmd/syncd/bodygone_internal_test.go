package main

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestBodyGoneSaysHowAndWhen: an event purged and later erased (erase
// finds purged events by their operations' keys) says both, in the order
// they happened; the row erase -crm keeps for its CRM operations says it
// never had a body rather than that one was erased.
func TestBodyGoneSaysHowAndWhen(t *testing.T) {
	t.Parallel()
	clk := clock{loc: time.UTC}
	t1 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	t2 := t1.Add(24 * time.Hour)
	for _, c := range []struct {
		ev         syncd.Event
		show, cell string
	}{
		{syncd.Event{PurgedAt: t1, ErasedAt: t2},
			"purged by the retention (retention.event_days) at 2026-03-01 08:00:00 +00:00, then erased by syncd erase at 2026-03-02 08:00:00 +00:00 (syncd export of the person shows the audit)",
			"purged 2026-03-01 08:00:00 +00:00"},
		{syncd.Event{ErasedAt: t1, PurgedAt: t2},
			"erased by syncd erase at 2026-03-01 08:00:00 +00:00 (syncd export of the person shows the audit), then purged by the retention (retention.event_days) at 2026-03-02 08:00:00 +00:00",
			"erased 2026-03-01 08:00:00 +00:00"},
		{syncd.Event{Kind: syncd.KindErasure, ErasedAt: t1},
			"none: this row holds the CRM erase operations syncd erase -crm queued at 2026-03-01 08:00:00 +00:00",
			"none (erase -crm)"},
		{syncd.Event{Payload: []byte(`{}`)}, "the body is gone, but the database does not say why", "held"},
	} {
		if got := payloadGone(clk, c.ev); got != c.show {
			t.Errorf("payloadGone(%+v) = %q, want %q", c.ev, got, c.show)
		}
		if got := bodyCell(clk, c.ev); got != c.cell {
			t.Errorf("bodyCell(%+v) = %q, want %q", c.ev, got, c.cell)
		}
	}
}
