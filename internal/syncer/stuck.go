package syncer

// This file tells one batch the CRM never takes from a CRM outage. A call
// that fails as a whole for want of the CRM (no answer, 429, 502, 503,
// 504) uses up no attempt, so a batch whose request itself always draws a
// 504 (too large for the CRM, say) was tried for ever, held up every lead
// behind it and read, after half an hour, as the CRM down. When the CRM
// answers other calls meanwhile (its account check's reads, or the other
// part of the claim goes through), that batch is set aside for a while
// instead, the leads behind it go, and Stuck is told its operations once
// they failed so twice.

import (
	"context"
	"fmt"
	"math/bits"
	"net/http"
	"slices"
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
	// group numbers the call it last failed in: the operations of one
	// such call are halved together at their next try (see apart).
	group int
	// alone is set once a call of it alone failed so: it is one the CRM
	// never takes, not a lead claimed with one (those are not yet
	// isolated, and never told stuck).
	alone bool
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
	s.mu.Lock()
	skip := !s.probeFailed.IsZero() && on == s.probeFailedOn && now.Sub(s.probeFailed) < s.opt.ProbeEvery ||
		s.everyBatch != nil && *s.everyBatch == on
	s.mu.Unlock()
	if skip {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, s.opt.CallTimeout)
	defer cancel()
	passed := s.opt.Probe(pctx) == nil
	s.mu.Lock()
	defer s.mu.Unlock()
	if passed {
		s.probeFailed = time.Time{}
	} else {
		s.probeFailed, s.probeFailedOn = now, on
	}
	return passed
}

// probeAgain lets the next probe run at once: a call went through, or the
// account check passed (the mappings fixed and reloaded, say).
func (s *Syncer) probeAgain() {
	s.mu.Lock()
	s.probeFailed, s.everyBatch = time.Time{}, nil
	s.mu.Unlock()
}

// endpointCalls is how many calls of one pass of halving, all failing
// alike and none going through, tell the batch endpoint down rather than
// records it refuses; endpointSingles how many calls of one operation
// each, of one level. k records the CRM never takes fail at most k calls
// of a level, and the calls of their sibling halves go through: only
// records it never takes in every part of a batch (eight, or three that
// are the whole of their calls) fail so.
const (
	endpointCalls   = 8
	endpointSingles = 3
)

// endpointTally counts the calls of a pass of halving that failed alike
// while none went through (off once one did).
type endpointTally struct {
	on  failure
	n   int
	off bool
}

// endpointDown reports whether level, the calls of one level of a halving
// (calls: how many were sent), with those before it in the pass (t), says
// that the endpoint the batches go to fails every batch (its API down
// while the probe's reads pass): see endpointCalls. Before, a batch was
// then halved down to single calls, and every operation told stuck, for
// an outage. It is remembered (everyBatch), so that the batches after it
// read as an outage too until a call goes through.
func (s *Syncer) endpointDown(t *endpointTally, level []failedCall, calls int) bool {
	if t.off || len(level) == 0 || len(level) != calls {
		t.off = true
		return false
	}
	if t.n == 0 {
		t.on = failure{level[0].out.Status, level[0].out.Code}
	}
	singles, n := 0, 0
	for _, f := range level {
		if (failure{f.out.Status, f.out.Code}) != t.on {
			t.off = true
			return false
		}
		if s.isolated(f.sent) {
			continue // known as one the CRM never takes: it fails so
		}
		n++
		if records(f.sent) == 1 {
			singles++
		}
	}
	t.n += n
	if t.n < endpointCalls && (singles < endpointSingles || singles < n) {
		return false
	}
	s.mu.Lock()
	s.everyBatch = &t.on
	s.mu.Unlock()
	return true
}

// isolated reports whether every one of ops was isolated before: failed
// alone as a whole while the CRM answered other calls.
func (s *Syncer) isolated(ops []syncd.Op) bool {
	for _, op := range ops {
		if !s.stuck[op.ID].alone {
			return false
		}
	}
	return true
}

// apart splits ops into the calls they go in: each group set aside before
// (the operations of one call the CRM failed as a whole while it answered
// others) in two halves, each a call of its own, and the rest in one. A
// half the CRM takes goes; the one it does not is halved again in the same
// pass (see deliverApart), so the leads claimed with the one it never
// takes are not held up with it (a batch too large for it: each half is
// smaller too). Groups are halved apart: before, every operation set aside
// went into the same two halves, so a batch with two the CRM never takes,
// one in each half, was sent in the same two halves at every try and never
// isolated when the halving of a pass stopped early.
func (s *Syncer) apart(ops []syncd.Op) [][]syncd.Op {
	if len(s.stuck) == 0 {
		return [][]syncd.Op{ops}
	}
	var groups []int
	aside := map[int][]syncd.Op{}
	var rest []syncd.Op
	for _, op := range ops {
		st, ok := s.stuck[op.ID]
		if !ok {
			rest = append(rest, op)
			continue
		}
		if _, seen := aside[st.group]; !seen {
			groups = append(groups, st.group)
		}
		aside[st.group] = append(aside[st.group], op)
	}
	var calls [][]syncd.Op
	for _, g := range groups {
		if c := aside[g]; records(c) > 1 {
			a, b := halves(c)
			calls = append(calls, a, b)
		} else {
			calls = append(calls, c)
		}
	}
	if len(rest) > 0 {
		calls = append(calls, rest)
	}
	return calls
}

// failedCall is a call of deliverApart that failed as a whole: its
// operations as sent (to send again in halves) and as recorded, how many
// of them record counted as retried, and whether the CRM answered beside
// it (another call of its level went through, or the account check
// passed after it).
type failedCall struct {
	sent, ops []syncd.Op
	out       *syncd.CRMError
	retried   int
	answered  bool
}

// splitCalls is the most calls one pass of deliverApart makes beyond the
// first: both halves at each level of halving a batch of n down to one.
func splitCalls(n int) int { return 2 * bits.Len(uint(n)) }

// deliverApart sends each of calls (see apart) in a call of its own. When
// the CRM answers (some calls go through, or, none going, its account
// check passes: see probe) while others fail as a whole in a way their
// batch may cause (batchMayCause), each of those is halved, both halves
// sent in the same pass, and so on down to single operations, so that the
// one the CRM never takes is found in one try. Before, each try halved it
// once, the next try 30 s doubling to 10 minutes later: a batch of 100
// took seven tries, about 70 minutes. The halving stops when its calls
// are spent (splitCalls), a call of the last level was limited or not
// sent (429, 477, no request reaching the CRM: never a batch's doing), a
// call paused the adapter (its calls not yet sent are handed back), or
// the leases of the operations would not outlast one more call. What
// still fails then is set aside, each call's operations a group halved at
// its next try; only an operation whose call failed with it alone is the
// CRM's never taking it (see tellStuck). It returns the outage when the
// CRM answered nothing, or the limit (a 429) when one call was limited or
// not sent: the run cools down then, and sends nothing more into it.
func (s *Syncer) deliverApart(ctx context.Context, kind syncd.RecordKind, calls [][]syncd.Op, sum *Summary) ([]syncd.Op, *syncd.CRMError, error) {
	var ops []syncd.Op
	var failed []failedCall
	answers, left, endpoint := false, splitCalls(s.opt.BatchSize), false
	var tally endpointTally
	for halving := false; len(calls) > 0; halving = true {
		went, level, wentNow, limited, err := s.sendLevel(ctx, kind, calls, halving, sum)
		if err != nil {
			return nil, nil, err
		}
		ops = append(ops, went...)
		paused := !sum.PausedUntil.IsZero()
		if w := worstOf(level); !wentNow && !limited && !paused && w != nil && batchMayCause(w) {
			// None of this level went: the CRM down, or each call
			// holding one it never takes. Its account check tells,
			// unless so many failed alike that the batches' endpoint
			// is down (endpointDown). Before, two halves each holding
			// one, with nothing claimed beside them, stopped the
			// halving at every try, and the leads in them were set
			// aside and told stuck with them.
			endpoint = s.endpointDown(&tally, level, len(calls))
			wentNow = !endpoint && s.probe(ctx, w)
		}
		answers, calls = answers || wentNow, nil
		for i := range level {
			f := &level[i]
			f.answered = wentNow
			if !wentNow || limited || paused || left < 2 || !s.halvable(ctx, *f) {
				failed = append(failed, *f)
				continue
			}
			a, b := halves(f.sent)
			calls, left = append(calls, a, b), left-2
			sum.Retried -= f.retried // sent again now: not retried later
		}
	}
	if endpoint { // an outage of the endpoint: nothing of it set aside
		answers = false
		for _, f := range failed {
			for _, op := range f.ops {
				delete(s.stuck, op.ID)
			}
		}
	}
	var limit *syncd.CRMError
	for _, f := range failed {
		if answers && batchMayCause(f.out) {
			s.setAside(f.ops, f.out, f.answered, sum)
		}
		if unavailable(f.out) && !batchMayCause(f.out) && (limit == nil || f.out.RetryAfter > limit.RetryAfter) {
			limit = f.out
		}
		ops = append(ops, f.ops...)
	}
	switch {
	case limit != nil:
		return ops, limit, nil // the CRM limits or was not reached: cool down, whatever went
	case answers:
		return ops, nil, nil
	}
	return ops, worstOf(failed), nil
}

// sendLevel sends calls, one level of deliverApart's halving (halving:
// not the first), and returns the operations of the calls that went
// (settled) or were handed back, the calls that failed, whether any call
// went now, and whether one was limited or not sent (never a batch's
// doing). An error means the store failed.
func (s *Syncer) sendLevel(ctx context.Context, kind syncd.RecordKind, calls [][]syncd.Op, halving bool, sum *Summary) (
	ops []syncd.Op, level []failedCall, wentNow, limited bool, err error) {
	for i, c := range calls {
		if !sum.PausedUntil.IsZero() {
			// A call before paused the adapter (a rejected token,
			// a spent daily limit): nothing more into a CRM that
			// said to stop. Before, the rest of the pass was sent,
			// each call one more refusal (one more counted against
			// a daily limit).
			back := slices.Concat(calls[i:]...)
			s.handBack(back, sum)
			return append(ops, back...), level, wentNow, limited, nil
		}
		sent := slices.Clone(c)
		n, retried := sum.Calls, sum.Retried
		done, out, err := s.deliverKind(s.halfCtx(ctx, c, halving), kind, c, sum)
		if err != nil {
			return nil, nil, false, false, err
		}
		if out == nil {
			wentNow = wentNow || sum.Calls > n
			s.settle(done) // even when the run cools down for another call's 429
			ops = append(ops, done...)
			continue
		}
		limited = limited || unavailable(out) && !batchMayCause(out)
		level = append(level, failedCall{sent: sent, ops: done, out: out, retried: sum.Retried - retried})
	}
	return ops, level, wentNow, limited, nil
}

// worstOf is the failure of fs with the longest RetryAfter (nil: none).
func worstOf(fs []failedCall) *syncd.CRMError {
	var worst *syncd.CRMError
	for _, f := range fs {
		if worst == nil || f.out.RetryAfter > worst.RetryAfter {
			worst = f.out
		}
	}
	return worst
}

// halfCtx is the context c goes under: sent once (Options.Once) when it
// is a half, of a batch set aside before (apart) or of a call that failed
// in this pass (halving), as any of its resends is one more request into
// a call the CRM has just failed; ctx otherwise (the leads claimed with
// them).
func (s *Syncer) halfCtx(ctx context.Context, c []syncd.Op, halving bool) context.Context {
	if s.opt.Once == nil || len(c) == 0 {
		return ctx
	}
	if _, aside := s.stuck[c[0].ID]; halving || aside {
		return s.opt.Once(ctx)
	}
	return ctx
}

// halvable reports whether f, a call that failed as a whole while others
// of its level went through, is sent again at once in two halves: its
// batch may cause the failure, it holds more than one operation, all still
// pending, the run goes on, and their leases outlast one more call.
func (s *Syncer) halvable(ctx context.Context, f failedCall) bool {
	if !batchMayCause(f.out) || records(f.sent) < 2 || ctx.Err() != nil {
		return false
	}
	end := s.opt.Now().Add(s.opt.CallTimeout)
	for _, op := range f.ops {
		if op.State != syncd.OpPending {
			return false
		}
	}
	for _, op := range f.sent {
		if !op.LeaseUntil.After(end) {
			return false
		}
	}
	return true
}

// oneBatch decides, after d's call failed as a whole for want of the CRM,
// whether the CRM answers other calls: then the trouble is d's batch,
// which is set aside, and d no longer tells an outage.
func (s *Syncer) oneBatch(ctx context.Context, d *delivery, sum *Summary) {
	if d.outage == nil || !batchMayCause(d.outage) || !s.probe(ctx, d.outage) {
		return
	}
	s.setAside(d.ops, d.outage, true, sum)
	d.outage = nil
}

// setAside gives the pending operations of a call the CRM failed as a
// whole, while it answered others (answered: beside this call, not only
// earlier in the run), a later next attempt (back-off per such failure in
// a row, up to CoolMax) and remembers them as stuck, a group halved at its
// next try (see apart); sum lists them. One pending alone in a call so
// failed is one the CRM never takes; several are not yet isolated, and the
// log line says to give none of them up yet: most are leads claimed with
// that one.
func (s *Syncer) setAside(ops []syncd.Op, ce *syncd.CRMError, answered bool, sum *Summary) {
	now := s.opt.Now()
	var ids []string
	var next time.Time
	var held []syncd.Op
	for _, op := range ops {
		if op.State == syncd.OpPending {
			held = append(held, op)
		}
	}
	pending := records(held) // a contact's updates, sent as one, are one
	s.groups++
	// One next attempt for the whole group, its back-off that of its
	// member failed so most often: before, each member drew its own
	// jitter, came due apart and was claimed with whatever else was due,
	// and the group's halving was undone.
	next = now.Add(max(syncd.Backoff(s.opt.RetryBase, s.opt.CoolMax, s.mostTimes(ops), s.opt.Jitter), ce.RetryAfter))
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
		st.group, st.alone = s.groups, st.alone || answered && pending == 1
		op.NextAttemptAt, st.next = next, next
		s.stuck[op.ID] = st
		ids = append(ids, fmt.Sprint(op.ID))
		sum.Aside = append(sum.Aside, op.ID)
		if st.alone {
			sum.Isolated = append(sum.Isolated, op.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	s.stuckWhy, sum.AsideWhy = outageText(ce), outageText(ce)
	ev := s.log.Warn().Int("status", ce.Status).Str("code", ce.Code).Strs("ops", ids).Time("next", next)
	if pending > 1 {
		ev.Str("fix", "none yet: these are halved at their next try until the operation the CRM never takes is alone; the others go then").
			Msg("crm answers other calls but failed this batch as a whole: set aside, not yet isolated; " + behindAside(sum))
		return
	}
	var alone syncd.Op
	for _, op := range ops {
		if op.State == syncd.OpPending {
			alone = op
		}
	}
	ev.Str("fix", s.asideFix(alone)).
		Msg("crm answers other calls but failed this batch as a whole: set aside, " + behindAside(sum))
}

// asideFix is the advice for one operation set aside alone. The CRM may
// have taken it before failing (a create whose answer was lost): syncd
// looks for it before creating it again, so nothing is to be done yet;
// giving it up is for a record found in the CRM or entered by hand, and
// leaves the lead out of the CRM otherwise. Before, the line said "if it
// goes on: syncd outbox give-up N" alone.
//
// The CRM's name, its word for the record and the setting of how long
// its search may miss a new one are the adapter's to say (syncd.Wording):
// the syncer tested its target for the name "pipedrive".
func (s *Syncer) asideFix(op syncd.Op) string {
	record := "contact"
	if op.Kind == syncd.RecordDeal {
		record = "deal"
	}
	crmName, settle := "the CRM", ""
	if w, ok := s.opt.CRM.(syncd.Wording); ok {
		crmName, record = w.Label(), w.Noun(op.Kind)
		if set := w.SettleSetting(); set != "" {
			settle = " (after " + set + ")"
		}
	}
	return fmt.Sprintf("nothing yet: syncd tries it again (next); if %s took it before failing, syncd looks for it%s "+
		"before creating it again and makes no second %s. If it goes on for hours: see syncd outbox show %d, and look for "+
		"the lead's %s in %s; give it up (syncd outbox give-up %d) only once it is there or entered by hand: "+
		"given up, the lead is not sent to %s",
		crmName, settle, record, op.ID, record, crmName, op.ID, crmName)
}

// behindAside says what becomes of the leads behind a batch set aside in
// the run sum counts: they go on, unless a call of the run paused the
// adapter. Before, the line said they went on while paused, nothing
// going until the pause ended.
func behindAside(sum *Summary) string {
	if sum.PausedUntil.IsZero() {
		return "the leads behind it go on"
	}
	return "the adapter is paused (see crm adapter paused): the leads behind it wait until the pause ends"
}

// mostTimes is how many times in a row the member of ops failed so most
// often has failed so before (pending ones only).
func (s *Syncer) mostTimes(ops []syncd.Op) int {
	n := 0
	for _, op := range ops {
		if op.State == syncd.OpPending {
			n = max(n, s.stuck[op.ID].times)
		}
	}
	return n
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
		if st.times < stuckAfter || !st.alone {
			continue // a blip, or not yet isolated: the leads claimed with one
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
