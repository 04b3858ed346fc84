package mapping_test

import (
	"context"
	"testing"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestHeldWorkerMapsNothingUntilGivenRules: a worker with no rules (the
// mapping files did not load as the daemon started) leaves every event
// pending, neither ignored nor unmappable, and maps them once SetRules
// gives it rules (the files fixed and reloaded).
func TestHeldWorkerMapsNothingUntilGivenRules(t *testing.T) {
	db, in := openStore(t)
	ctx := context.Background()
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Log: zerolog.Nop()})
	lead := storeFixture(t, in, syncd.KindLokalebasen, "lb", fixtures+"/lokalebasen/enquiry_created.json", nil)
	sum, err := w.RunOnce(ctx)
	if err != nil || sum.Events != 0 {
		t.Fatalf("held: %+v, %v; want nothing mapped", sum, err)
	}
	if ev, err := db.Event(ctx, lead); err != nil || ev.MapState != syncd.MapPending {
		t.Fatalf("held: event %d %s, %v; want pending", lead, ev.MapState, err)
	}
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	w.SetRules(rules)
	if sum, err := w.RunOnce(ctx); err != nil || sum.ByState[syncd.MapMapped] != 1 || sum.Enqueued != 2 {
		t.Fatalf("given rules: %+v, %v; want the lead mapped, 2 operations", sum, err)
	}
}
