package mapping

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// record stores a batch's mappings in one transaction; when the store
// refuses it, it stores them one event at a time, so that one event whose
// data the store refuses (a value a column or an index cannot hold, a
// constraint: syncd.ErrRefused) does not hold up every lead received
// after it: that event is set aside (setAside). Any other error, a store
// down, busy or locked, is returned and nothing is set aside, even when
// the store is back for the next write: the pass fails and is tried again.
func (w *Worker) record(ctx context.Context, ms []syncd.Mapping, sum *PassSummary) (int, error) {
	n, err := w.opts.Store.RecordMappings(ctx, ms)
	if err == nil || ctx.Err() != nil || !errors.Is(err, syncd.ErrRefused) {
		return n, err
	}
	inserted := 0
	for _, m := range ms {
		n, err := w.opts.Store.RecordMappings(ctx, []syncd.Mapping{m})
		if errors.Is(err, syncd.ErrRefused) && ctx.Err() == nil {
			n, err = w.setAside(ctx, m, err, sum)
		}
		if err != nil {
			return inserted, fmt.Errorf("event %d: %w", m.EventID, err)
		}
		inserted += n
	}
	return inserted, nil
}

// setAside records the event of m, whose operations the store refused
// (refused), as unmappable without them, with a reason the operator reads
// in syncd events list and the report's Needs attention. If that write
// fails too, refused is returned, the event left pending for the next
// pass. m is tried once more after, as a refusal that went by then (a
// constraint dropped meanwhile) sets no lead aside either.
func (w *Worker) setAside(ctx context.Context, m syncd.Mapping, refused error, sum *PassSummary) (int, error) {
	aside := syncd.Mapping{EventID: m.EventID, State: syncd.MapUnmappable, Reason: refusedReason(refused)}
	if _, err := w.opts.Store.RecordMappings(ctx, []syncd.Mapping{aside}); err != nil {
		return 0, refused
	}
	if n, err := w.opts.Store.RecordMappings(ctx, []syncd.Mapping{m}); err == nil {
		return n, nil
	}
	sum.ByState[m.State]--
	sum.ByState[syncd.MapUnmappable]++
	// The store's error names columns and constraints, not the values.
	w.lost.Log(zerolog.WarnLevel, "store refused", refused, "lead unmappable: the store refused its operations, not sent to the CRM",
		func(e *zerolog.Event) {
			e.Int64("event", m.EventID).Str("fix", fmt.Sprintf("see the lead in syncd events show %d and enter it in the CRM by hand; "+
				"the other leads were mapped", m.EventID))
		})
	return 0, nil
}

// refusedReason is the mapping error of an event set aside because the
// store refused its operations with err.
func refusedReason(err error) string {
	return fmt.Sprintf("the database refused this lead's operations (%v): it is not sent to the CRM; "+
		"enter it in the CRM by hand", err)
}
