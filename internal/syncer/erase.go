package syncer

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// drainErasures sends the due erase operations (syncd erase -crm), one CRM
// call per operation, recording each outcome as for any other operation:
// retried with back-off, dead-lettered, or pausing the adapter. An adapter
// that cannot erase dead-letters them.
func (s *Syncer) drainErasures(ctx context.Context, sum *Summary) error {
	eraser, _ := s.opt.CRM.(syncd.Eraser)
	for ctx.Err() == nil && sum.PausedUntil.IsZero() {
		ops, err := s.claim(ctx, nil, syncd.RecordErase)
		if err != nil {
			return fmt.Errorf("sync %s: %w", s.target, err)
		}
		if len(ops) == 0 {
			return nil
		}
		sum.Claimed += len(ops)
		for i := range ops {
			s.outcome(ctx, &ops[i], s.erase(ctx, eraser, ops[i], sum), s.opt.Now(), sum)
		}
		if err := s.flush(ctx, ops); err != nil {
			return err
		}
		if len(ops) < s.opt.BatchSize { // all claimed: what failed waits for its back-off
			return nil
		}
	}
	return nil
}

// erase makes one erase operation's CRM call.
func (s *Syncer) erase(ctx context.Context, eraser syncd.Eraser, op syncd.Op, sum *Summary) syncd.Result {
	if eraser == nil {
		return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "UNSUPPORTED",
			Message: s.target + " adapter cannot erase records"}}
	}
	if !sum.PausedUntil.IsZero() {
		return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrRetry, Message: "adapter paused"}}
	}
	contact, deals := op.EraseTargets()
	cctx, cancel := context.WithTimeout(ctx, s.opt.CallTimeout)
	defer cancel()
	sum.Calls++
	if err := eraseDealKeys(cctx, eraser, op.EraseDealKeys()); err != nil {
		return syncd.Result{Err: err}
	}
	return syncd.Result{Err: eraser.Erase(cctx, contact, deals, op.ErasePerson())}
}

// eraseDealKeys deletes, first, the deals the erasure knows by lead id
// alone (syncd.UnlinkedDeals), where the CRM finds deals so (HubSpot); a
// CRM that deletes all the contact's deals with it (Pipedrive) needs not.
func eraseDealKeys(ctx context.Context, eraser syncd.Eraser, keys []string) error {
	if ke, ok := eraser.(syncd.DealKeyEraser); ok && len(keys) > 0 {
		return ke.EraseDealKeys(ctx, keys)
	}
	return nil
}
