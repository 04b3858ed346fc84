package syncer

// This file tells one batch the CRM never takes from a CRM outage. A call
// that fails as a whole for want of the CRM (no answer, 429, 502, 503,
// 504) uses up no attempt, so a batch whose request itself always draws a
// 504 (too large for the CRM, say) was tried for ever, held up every lead
// behind it and read, after half an hour, as the CRM down. When the CRM
// answers other calls meanwhile (its account check passes, or the other
// part of the claim goes through), that batch is set aside for a while
// instead, the leads behind it go, and Stuck is told its operations once
// they failed so twice.

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// stuckAfter is how many times in a row an operation's call must fail as
// a whole while the CRM answers others before Stuck is told of it: one
// 504 may be a blip.
const stuckAfter = 2

// stuckOp is what the syncer knows of an operation the CRM failed as a
// whole while it answered other calls.
type stuckOp struct {
	since time.Time // its first such failure
	next  time.Time // when it is tried again (its NextAttemptAt)
	times int       // such failures in a row
}

// batchMayCause reports whether a whole call's failure for want of the CRM
// may be its batch's doing: no answer once the request was sent (a
// request too large times out), a 502, 503 or 504; never a call that did
// not reach the CRM (refused, DNS, TLS), a 429 or HubSpot's 477, which are
// the account's limits or migration whatever is sent.
func batchMayCause(ce *syncd.CRMError) bool {
	return unavailable(ce) && !ce.Unreached && ce.Status != http.StatusTooManyRequests && ce.Status != 477
}

// failure is how a whole call failed, as far as ProbeEvery compares them.
type failure struct {
	status int
	code   string
}

// probe reports whether the CRM answers other calls now (Probe passes)
// after a call failed as ce: a nil Probe, a run ending, or a probe skipped
// (it failed less than ProbeEvery ago, the CRM failing as it did then)
// tells nothing (false).
func (s *Syncer) probe(ctx context.Context, ce *syncd.CRMError) bool {
	if s.opt.Probe == nil || ctx.Err() != nil {
		return false
	}
	now, on := s.opt.Now(), failure{ce.Status, ce.Code}
	if !s.probeFailed.IsZero() && on == s.probeFailedOn && now.Sub(s.probeFailed) < s.opt.ProbeEvery {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, s.opt.CallTimeout)
	defer cancel()
	if s.opt.Probe(pctx) != nil {
		s.probeFailed, s.probeFailedOn = now, on
		return false
	}
	s.probeFailed = time.Time{}
	return true
}

// apart splits ops into the calls they go in: those set aside before
// (the CRM failed their call as a whole while it answered others) in two
// halves, each a call of its own, and the rest in one. A half the CRM
// takes goes; the one it does not is split again at its next try, so the
// leads claimed with the one it never takes are not held up with it (a
// batch too large for it: each half is smaller too).
func (s *Syncer) apart(ops []syncd.Op) [][]syncd.Op {
	if len(s.stuck) == 0 {
		return [][]syncd.Op{ops}
	}
	var aside, rest []syncd.Op
	for _, op := range ops {
		if _, ok := s.stuck[op.ID]; ok {
			aside = append(aside, op)
		} else {
			rest = append(rest, op)
		}
	}
	var calls [][]syncd.Op
	if h := len(aside) / 2; h > 0 {
		calls = append(calls, aside[:h], aside[h:])
	} else if len(aside) > 0 {
		calls = append(calls, aside)
	}
	if len(rest) > 0 {
		calls = append(calls, rest)
	}
	return calls
}

// deliverApart sends each of calls (see apart) in a call of its own. When
// some go through while others fail as a whole for want of the CRM, those
// are set aside: the CRM answers. It returns the outage when no call went
// through.
func (s *Syncer) deliverApart(ctx context.Context, kind syncd.RecordKind, calls [][]syncd.Op, sum *Summary) ([]syncd.Op, *syncd.CRMError, error) {
	var ops []syncd.Op
	var outs []*syncd.CRMError
	went := false
	for _, c := range calls {
		n := sum.Calls
		done, out, err := s.deliverKind(ctx, kind, c, sum)
		if err != nil {
			return nil, nil, err
		}
		went = went || out == nil && sum.Calls > n
		ops = append(ops, done...)
		outs = append(outs, out)
	}
	var worst *syncd.CRMError
	for i, off := 0, 0; i < len(calls); off, i = off+len(calls[i]), i+1 {
		switch out := outs[i]; {
		case out == nil:
		case went && batchMayCause(out):
			s.setAside(ops[off:off+len(calls[i])], out, sum)
		case worst == nil || out.RetryAfter > worst.RetryAfter:
			worst = out
		}
	}
	if went {
		return ops, nil, nil
	}
	return ops, worst, nil
}

// oneBatch decides, after d's call failed as a whole for want of the CRM,
// whether the CRM answers other calls: then the trouble is d's batch,
// which is set aside, and d no longer tells an outage.
func (s *Syncer) oneBatch(ctx context.Context, d *delivery, sum *Summary) {
	if d.outage == nil || !batchMayCause(d.outage) || !s.probe(ctx, d.outage) {
		return
	}
	s.setAside(d.ops, d.outage, sum)
	d.outage = nil
}

// setAside gives the pending operations of a call the CRM failed as a
// whole, while it answered others, a later next attempt (back-off per
// such failure in a row, up to CoolMax) and remembers them as stuck; sum
// lists them.
func (s *Syncer) setAside(ops []syncd.Op, ce *syncd.CRMError, sum *Summary) {
	now := s.opt.Now()
	var ids []string
	var next time.Time
	for i := range ops {
		op := &ops[i]
		if op.State != syncd.OpPending {
			continue
		}
		st := s.stuck[op.ID]
		if st.since.IsZero() {
			st.since = now
		}
		st.times++
		wait := syncd.Backoff(s.opt.RetryBase, s.opt.CoolMax, st.times-1, s.opt.Jitter)
		op.NextAttemptAt = now.Add(max(wait, ce.RetryAfter))
		st.next, next = op.NextAttemptAt, op.NextAttemptAt
		s.stuck[op.ID] = st
		ids = append(ids, fmt.Sprint(op.ID))
		sum.Aside = append(sum.Aside, op.ID)
	}
	if len(ids) == 0 {
		return
	}
	s.stuckWhy, sum.AsideWhy = outageText(ce), outageText(ce)
	s.log.Warn().Int("status", ce.Status).Str("code", ce.Code).Strs("ops", ids).Time("next", next).
		Str("fix", "if it goes on: syncd outbox give-up "+strings.Join(ids, " ")).
		Msg("crm answers other calls but failed this batch as a whole: set aside, the leads behind it go on")
}

// settle forgets, of the operations of a delivery that did not fail as an
// outage, those no longer stuck: done, dead, or failed otherwise.
func (s *Syncer) settle(ops []syncd.Op) {
	for _, op := range ops {
		if st, ok := s.stuck[op.ID]; ok && (op.State != syncd.OpPending || !op.NextAttemptAt.Equal(st.next)) {
			delete(s.stuck, op.ID)
		}
	}
}

// pruneStuck forgets, at the end of a run that drained everything due
// (started at start), the operations set aside that were due and not
// claimed: given up by hand, dropped, erased or superseded.
func (s *Syncer) pruneStuck(start time.Time) {
	for id, st := range s.stuck {
		if !st.next.After(start) {
			delete(s.stuck, id)
		}
	}
}

// forgetGone forgets the operations set aside that are pending no more:
// given up by hand (syncd outbox give-up), sent by another process, or
// erased. Before, they were told until their next try came, up to 10
// minutes after the operator had given them up.
func (s *Syncer) forgetGone(ctx context.Context) {
	for id := range s.stuck {
		op, err := s.opt.Store.GetOp(ctx, id)
		if syncd.ErrorCode(err) == syncd.ENotFound || err == nil && op.State != syncd.OpPending {
			delete(s.stuck, id)
		}
	}
}

// tellStuck tells Stuck the operations failed stuckAfter times or more
// while the CRM answered others, when that changed (those pending no more
// forgotten first).
func (s *Syncer) tellStuck(ctx context.Context) {
	if len(s.toldStuck) > 0 {
		s.forgetGone(ctx)
	}
	var ids []int64
	var since time.Time
	for id, st := range s.stuck {
		if st.times < stuckAfter {
			continue
		}
		ids = append(ids, id)
		if since.IsZero() || st.since.Before(since) {
			since = st.since
		}
	}
	slices.Sort(ids)
	if slices.Equal(ids, s.toldStuck) {
		return
	}
	s.toldStuck = ids
	if s.opt.Stuck != nil {
		why := s.stuckWhy
		if len(ids) == 0 {
			why = ""
		}
		s.opt.Stuck(ids, since, why)
	}
}
