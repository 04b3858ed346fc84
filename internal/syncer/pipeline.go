package syncer

import (
	"context"
	"fmt"
	"slices"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// delivery is the outcome of one CRM call made in the background.
type delivery struct {
	ops    []syncd.Op // with their outcomes set
	outage *syncd.CRMError
	err    error
	sum    Summary // counts of this call alone
}

// streak delivers batches of one kind, starting with first, until a claim
// comes back empty. While a call is in flight the next batch is claimed,
// in the transaction that records the batch before: the store's work and
// the CRM's overlap. It returns the last results, not yet recorded, and
// stop when the run must end (pause, outage, cancellation, a store
// failure), with the ops claimed ahead, and those of a delivery that sent
// nothing, handed back untouched. A whole call that failed transiently
// comes back as outage, for the caller to cool down once it has recorded
// finished (see RunOnce).
func (s *Syncer) streak(ctx context.Context, kind syncd.RecordKind, first []syncd.Op, sum *Summary) (finished []syncd.Op, outage *syncd.CRMError, stop bool, err error) {
	cur := first
	var flying []int64 // the ids of cur, read before its call changes its ops
	for {
		flying = flying[:0]
		for _, op := range cur {
			flying = append(flying, op.ID)
		}
		ch := make(chan delivery, 1)
		dctx := s.intoOutage(ctx)
		go func(ops []syncd.Op) {
			var d delivery
			d.ops, d.outage, d.err = s.deliver(dctx, kind, ops, &d.sum)
			ch <- d
		}(cur)
		var next []syncd.Op
		var claimErr error
		if ctx.Err() == nil {
			next, claimErr = s.claim(ctx, finished, kind)
			if claimErr == nil {
				finished = nil // recorded
				next = notInFlight(next, flying)
			}
		}
		d := <-ch
		sum.add(d.sum)
		if s.opt.Progress != nil {
			s.opt.Progress(len(d.ops))
		}
		sum.Claimed += len(next)
		if claimErr != nil || d.err != nil {
			// Record what the CRM did, hand back what it was not sent
			// (a delivery that failed sent nothing: its store read
			// failed, or the daemon stopped just before it), then report
			// the store's failure. Left leased, they waited the lease out,
			// after a restart too.
			back := next
			if d.err != nil {
				back = append(back, cur...)
			}
			s.handBack(back, sum)
			return append(append(finished, d.ops...), back...), nil, true, firstErr(claimErr, d.err)
		}
		s.oneBatch(ctx, &d, sum)
		if d.outage == nil {
			s.settle(d.ops)
		}
		if d.outage == nil && d.sum.Calls > 0 && ctx.Err() == nil {
			s.answering(!sum.PausedUntil.IsZero()) // even with a 401: the CRM answered
			if s.opt.Answered != nil && !pinRefused(d.sum) {
				s.opt.Answered(ctx)
			}
		}
		if d.outage != nil || !sum.PausedUntil.IsZero() || ctx.Err() != nil {
			s.handBack(next, sum)
			return append(append(finished, d.ops...), next...), d.outage, true, nil
		}
		if len(next) == 0 {
			return d.ops, nil, false, nil
		}
		finished, cur = d.ops, next
	}
}

// notInFlight is next without the operations whose ids are flying, those
// of the batch whose call is in flight. A claim made beside that call
// takes them again only when their leases look run out: the wall clock
// stepped forward past the lease meanwhile (a virtual machine resumed, NTP
// setting right a clock that was behind), since leases are wall-clock
// times in the outbox. Sent again at once, each would have gone twice, in
// two calls racing (for Pipedrive, which has no uniqueness, two creates).
// Their call's results finish them; any operation the claim did not reach
// waits for the next run.
func notInFlight(next []syncd.Op, flying []int64) []syncd.Op {
	if len(next) == 0 || len(flying) == 0 {
		return next
	}
	var kept []syncd.Op
	for i, op := range next {
		if slices.Contains(flying, op.ID) {
			if kept == nil { // the first found: keep those before it
				kept = append(make([]syncd.Op, 0, len(next)), next[:i]...)
			}
			continue
		}
		if kept != nil {
			kept = append(kept, op)
		}
	}
	if kept == nil {
		return next
	}
	return kept
}

// pinRefused reports whether a delivery paused because the adapter's
// account pin refused its write (the token belongs to another account, or
// the address answered 404 to the account's read):
// no write went through, so Answered is not told. Before, the daemon's
// account check, failed at start for that account, ran again at once on
// it and "crm check failed" was logged twice in the same second.
func pinRefused(sum Summary) bool {
	return sum.PauseCode == syncd.CodeWrongAccount || sum.PauseCode == syncd.CodeNotTheAPI
}

// intoOutage is the context of a call made while every call has failed as
// a whole since coolSince (a try into an outage the syncer knows of): sent
// once (Options.Once), as the try is itself the resend. Before, the client
// resent it three times, four requests a try, and four waits for a 504
// that comes after the gateway's own timeout. A call with no outage known
// (the first after start) is resent as usual: a blip is answered so.
func (s *Syncer) intoOutage(ctx context.Context) context.Context {
	if s.coolSince.IsZero() || s.opt.Once == nil {
		return ctx
	}
	return s.opt.Once(ctx)
}

// handBack releases ops claimed but not sent, for the next run.
func (s *Syncer) handBack(ops []syncd.Op, sum *Summary) {
	now := s.opt.Now()
	for i := range ops {
		s.release(&ops[i], now, "handed back: the run stopped", sum)
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("sync: %w", err)
		}
	}
	return nil
}

// add counts o's call into s.
func (s *Summary) add(o Summary) {
	s.Calls += o.Calls
	s.Done += o.Done
	s.Retried += o.Retried
	s.Dead += o.Dead
	s.Released += o.Released
	if !o.PausedUntil.IsZero() {
		s.PausedUntil, s.PauseReason, s.PauseKind, s.PauseCode = o.PausedUntil, o.PauseReason, o.PauseKind, o.PauseCode
	}
	if len(o.Aside) > 0 {
		s.Aside, s.AsideWhy = append(s.Aside, o.Aside...), o.AsideWhy
	}
	s.Isolated = append(s.Isolated, o.Isolated...)
}
