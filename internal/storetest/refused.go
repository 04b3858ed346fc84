package storetest

import (
	"errors"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testRefusedIsNotBusy: the mapping worker sets a lead aside as unmappable
// only when the database refused its operations (syncd.ErrRefused); a
// database busy on one write and free on the next told it nothing of the
// kind, and a good lead was set aside for ever. A write refused as a
// constraint refuses it is a refusal; a write the database is too busy to
// take is not, and goes through once the lock is gone.
func testRefusedIsNotBusy(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, 0)
	refused, busy := e.event(in, "refused-1"), e.event(in, "busy-2")
	e.RefuseContact("lead1@example.com")
	_, err := e.Store.RecordMappings(e.ctx, []syncd.Mapping{{EventID: refused, State: syncd.MapMapped, Ops: lead(refused, 1)}})
	if !errors.Is(err, syncd.ErrRefused) {
		t.Errorf("a write the database refuses: %v, not a refusal", err)
	}
	s, release := e.Busy()
	m := []syncd.Mapping{{EventID: busy, State: syncd.MapMapped, Ops: lead(busy, 2)}}
	_, err = s.RecordMappings(e.ctx, m)
	switch {
	case err == nil:
		t.Fatal("a write went through while another connection held the lock")
	case errors.Is(err, syncd.ErrRefused):
		t.Errorf("a write the database was too busy to take is a refusal: %v", err)
	}
	release()
	if n, err := s.RecordMappings(e.ctx, m); err != nil || n != 2 {
		t.Errorf("the same write once the lock is gone: %d, %v; want 2 operations", n, err)
	}
}
