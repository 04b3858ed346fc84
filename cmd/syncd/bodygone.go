package main

import "github.com/syncd-dev/syncd/internal/syncd"

// bodyGone says why an event holds no payload, from what the store
// recorded: erased by `syncd erase`, purged by the retention (both, in the
// order they happened), or never one for the row erase -crm keeps.
func bodyGone(clk clock, ev syncd.Event) string {
	if ev.Kind == syncd.KindErasure {
		return "none: this row holds the CRM erase operations syncd erase -crm queued at " + clk.show(ev.ErasedAt)
	}
	erased := "erased by syncd erase at " + clk.show(ev.ErasedAt) + " (syncd export of the person shows the audit)"
	purged := "purged by the retention (retention.event_days) at " + clk.show(ev.PurgedAt)
	switch {
	case !ev.ErasedAt.IsZero() && !ev.PurgedAt.IsZero() && ev.ErasedAt.Before(ev.PurgedAt):
		return erased + ", then " + purged
	case !ev.ErasedAt.IsZero() && !ev.PurgedAt.IsZero():
		return purged + ", then " + erased
	case !ev.ErasedAt.IsZero():
		return erased
	case !ev.PurgedAt.IsZero():
		return purged
	}
	return "the body is gone, but the database does not say why"
}

// bodyCell is an event's BODY cell in `events list`: held, or when it
// went and how (the first of erase and purge, when both).
func bodyCell(clk clock, ev syncd.Event) string {
	switch {
	case ev.Kind == syncd.KindErasure:
		return "none (erase -crm)"
	case !ev.ErasedAt.IsZero() && (ev.PurgedAt.IsZero() || ev.ErasedAt.Before(ev.PurgedAt)):
		return "erased " + clk.show(ev.ErasedAt)
	case !ev.PurgedAt.IsZero():
		return "purged " + clk.show(ev.PurgedAt)
	case len(ev.Payload) == 0:
		return "gone"
	}
	return "held"
}
