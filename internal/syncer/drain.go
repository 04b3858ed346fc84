package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Summary counts what one run did.
type Summary struct {
	Target  string
	Calls   int // CRM calls made
	Claimed int // operations claimed
	Done    int
	Retried int // rescheduled for a later attempt
	Dead    int
	// Released counts operations handed back untouched because the
	// adapter was paused mid-run or the run was cancelled.
	Released int
	// PausedUntil is set when the adapter is paused at the end of the run.
	PausedUntil time.Time
	PauseReason string
	// PauseKind is why the adapter is paused (see syncd.PauseKind).
	PauseKind syncd.PauseKind
	// PauseCode is the code of the CRM's failure that made the pause in
	// this run (syncd.CodeWrongAccount, say); "" for a pause read from the
	// store, made by another run or process.
	PauseCode string
	// CoolingUntil is set when a whole call failed transiently (the CRM
	// looks down): runs before then are skipped. Outage then says how it
	// failed, for a person ("no answer (…: connection refused)", "503
	// Service Unavailable").
	CoolingUntil time.Time
	Outage       string
	// Throttled says the whole call failed for the CRM's rate limit (a
	// 429, or the edge's 403 after repeated 429s, CodeEdgeBlocked): the
	// CRM answered, so it is neither down nor out of reach.
	Throttled bool
	// Aside lists the operations set aside because the CRM failed their
	// call as a whole while it answered others (see Options.Probe), and
	// AsideWhy how it failed, as Outage. Isolated lists those of them
	// whose call failed with them alone: ones the CRM never takes. The
	// others are not yet isolated (mostly leads claimed with such a one)
	// and are halved at their next try.
	Aside    []int64
	AsideWhy string
	Isolated []int64
}

// Clean reports whether the run drained everything due without a failed
// operation: not paused, not cooling down, nothing retried or dead-lettered.
// (A run with an error from the store is not clean either.)
func (s Summary) Clean() bool {
	return s.PausedUntil.IsZero() && s.CoolingUntil.IsZero() && s.Retried == 0 && s.Dead == 0 && s.Released == 0
}

// RunOnce drains everything due now: it claims batches of contacts, then of
// deals (whose contacts are by then done), until nothing due is left or the
// adapter is paused. The results of a batch are recorded in the same
// transaction that claims the next one. When a whole call fails
// transiently the run stops and the syncer cools down (back-off per
// consecutive failed call, reset by a success) instead of sending every
// batch into an outage; the operations keep their order. An error means the
// store failed; CRM failures are recorded on their operations instead.
func (s *Syncer) RunOnce(ctx context.Context) (sum Summary, err error) {
	s.run.Lock()
	defer s.run.Unlock()
	if err := s.loadAside(ctx); err != nil {
		return Summary{Target: s.target}, err
	}
	defer func() {
		s.recordPause(ctx) // the operations it held are written back by now
		s.tellStuck(ctx)
		s.keepAside(ctx)
	}()
	start := s.opt.Now()
	sum = Summary{Target: s.target}
	if paused, err := s.checkPause(ctx, &sum); err != nil || paused {
		return sum, err
	}
	if s.coolUntil.After(s.opt.Now()) {
		sum.CoolingUntil = s.coolUntil
		return sum, nil
	}
	if s.opt.Running != nil {
		s.opt.Running(start)
		defer s.opt.Running(time.Time{})
	}
	if drained, err := s.drainOps(ctx, &sum); err != nil || !drained {
		return sum, err
	}
	if err := s.drainErasures(ctx, &sum); err != nil || !sum.PausedUntil.IsZero() {
		return sum, err
	}
	// Nothing was left to claim, but a lease of another process (a syncd
	// sync run by hand, a daemon killed mid-send) may hold what is due:
	// the store then records no last sync (before, status told of a sync
	// that sent nothing), and what that process holds is neither sent
	// nor forgotten.
	drained, err := s.opt.Store.SetLastSyncDrained(ctx, s.target, s.opt.Now())
	if err != nil {
		return sum, fmt.Errorf("sync %s: %w", s.target, err)
	}
	if drained {
		s.pruneStuck(start)
		s.nothingWaits()
	}
	return sum, nil
}

// drainOps claims and sends batches of contacts, then of deals (whose
// contacts are by then done), recording each batch's results in the
// transaction that claims the next, until both kinds in a row have
// nothing due (drained), or the run stops: ctx ended, the adapter paused,
// a whole call failed transiently (the syncer cools down), or the store
// failed (err).
func (s *Syncer) drainOps(ctx context.Context, sum *Summary) (drained bool, err error) {
	kinds := [2]syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal}
	var finished []syncd.Op
	began, told := time.Now(), time.Now()
	// Stay on one kind while it yields; stop when both kinds in a row
	// had nothing due.
	for k, idle := 0, 0; idle < 2; {
		if ctx.Err() != nil || !sum.PausedUntil.IsZero() {
			return false, s.flush(ctx, finished)
		}
		ops, err := s.claim(ctx, finished, kinds[k])
		if err != nil {
			// The CRM took finished: record it however the claim failed
			// (a stop cancels it). Before, a SIGTERM then left them
			// pending and leased for the lease, to be sent again.
			if ferr := s.flush(ctx, finished); ferr != nil && !errors.Is(ferr, ctx.Err()) {
				err = errors.Join(err, ferr)
			}
			return false, fmt.Errorf("sync %s: %w", s.target, err)
		}
		finished = nil
		if len(ops) == 0 {
			idle++
			k = 1 - k
			continue
		}
		idle = 0
		sum.Claimed += len(ops)
		var stop bool
		var outage *syncd.CRMError
		finished, outage, stop, err = s.streak(ctx, kinds[k], ops, sum)
		if err != nil || stop {
			if ferr := s.flush(ctx, finished); err == nil {
				err = ferr
			}
			if outage != nil {
				// Told only once the operations are released: a
				// process cut off from the store (or killed) between
				// the two left them leased for the lease, out of any
				// other instance's reach.
				s.coolDown(outage, sum)
			}
			return false, err
		}
		if time.Since(told) >= s.opt.SummaryEvery {
			s.tellProgress(sum, time.Since(began))
			told = time.Now()
		}
	}
	return true, nil
}

// tellProgress logs at info what a run has done so far, and how long it
// has run (took): a drain of hours after an outage is one run, whose
// "sync run" line came at its end, and the journal said nothing of it
// meanwhile.
func (s *Syncer) tellProgress(sum *Summary, took time.Duration) {
	s.log.Info().Int("calls", sum.Calls).Int("claimed", sum.Claimed).Int("done", sum.Done).Int("retried", sum.Retried).
		Int("dead", sum.Dead).Dur("running_ms", took.Round(time.Millisecond)).Msg("sync run under way")
}

// nothingWaits ends an outage that holds nothing back any more: a run
// found nothing left to send (another process, `syncd sync`, sent what
// waited), so the daemon no longer tells of a CRM failing every call.
func (s *Syncer) nothingWaits() {
	if s.coolSince.IsZero() {
		return
	}
	s.log.Info().Time("failing_since", s.coolSince).Msg("nothing waits for the crm any more: sent by another process")
	s.coolStreak, s.coolSince = 0, time.Time{}
	if s.opt.Outage != nil {
		s.opt.Outage(time.Time{}, time.Time{}, "")
	}
}

// coolDown stops runs for a back-off that grows with each consecutive call
// that failed as a whole.
func (s *Syncer) coolDown(ce *syncd.CRMError, sum *Summary) {
	now := s.opt.Now()
	if s.coolSince.IsZero() {
		s.coolSince = now
	}
	s.coolStreak++
	wait := syncd.Backoff(s.opt.RetryBase, s.opt.CoolMax, s.coolStreak-1, s.opt.Jitter)
	s.coolUntil = now.Add(max(wait, ce.RetryAfter))
	sum.CoolingUntil, sum.Outage = s.coolUntil, outageText(ce)
	sum.Throttled = ce.Status == http.StatusTooManyRequests || ce.Code == syncd.CodeEdgeBlocked
	ev := s.log.Warn().Int("status", ce.Status).Str("code", ce.Code)
	if ce.Code == syncd.CodeNetwork {
		// syncd's own words (no URL, no CRM text): refused, DNS, TLS.
		ev = ev.Str("error", ce.Message)
	}
	if s.opt.ByHand {
		ev.Msg("crm call failed as a whole: this run calls the CRM no more, and what it claimed stays pending")
	} else {
		ev.Int("failed_calls", s.coolStreak).Time("failing_since", s.coolSince).Time("until", s.coolUntil).
			Msg("crm call failed as a whole, cooling down")
	}
	if s.opt.Outage != nil {
		why := sum.Outage
		if ce.RetryAfter > 0 {
			why += ", Retry-After " + ce.RetryAfter.String()
		}
		s.opt.Outage(s.coolSince, s.coolUntil, why)
	}
}

// outageText says how a whole call failed, without the CRM's own message
// (it may quote the records).
func outageText(ce *syncd.CRMError) string {
	if ce.Status == 0 && ce.Code == syncd.CodeNetwork {
		return "no answer (" + ce.Message + ")"
	}
	if ce.Status == 0 {
		return "no answer"
	}
	if ce.Code == syncd.CodeEdgeBlocked { // the rate limit's, told as such (RateLimited)
		return fmt.Sprintf("%d %s: %d %s from the CRM's edge after repeated 429s", http.StatusTooManyRequests,
			http.StatusText(http.StatusTooManyRequests), ce.Status, http.StatusText(ce.Status))
	}
	text := http.StatusText(ce.Status)
	if text == "" {
		text = edgeText[ce.Status]
	}
	return strings.TrimSpace(fmt.Sprintf("%d %s", ce.Status, text))
}

// RateLimited says whether why, how a whole call failed (Options
// Outage's, a stored one), is the CRM refusing for its rate limit (429):
// it answers, but the token's or the plan's limit is spent; not an outage.
func RateLimited(why string) bool {
	return strings.HasPrefix(why, strconv.Itoa(http.StatusTooManyRequests)+" ")
}

// answering ends a run of calls that failed as a whole, if any: a call went
// through, which is said once; paused says its answer paused the adapter
// (a token revoked meanwhile), so that nothing waiting is sent.
func (s *Syncer) answering(paused bool) {
	s.probeAgain()
	if s.coolSince.IsZero() {
		return
	}
	msg := "crm answering again: sending what waited"
	if paused {
		msg = "crm answering again, but its answer paused the adapter (crm adapter paused): nothing is sent until the pause ends"
	}
	s.log.Info().Time("failing_since", s.coolSince).Msg(msg)
	s.coolStreak, s.coolSince = 0, time.Time{}
	if s.opt.Outage != nil {
		s.opt.Outage(time.Time{}, time.Time{}, "")
	}
}

// claim records finished and leases up to a batch of kind's due
// operations (FinishAndClaimOps), to its end even when ctx ends
// meanwhile: a claim cut short by a stop may have committed while its
// caller was told the context's error (PostgreSQL's driver gives up on
// the answer at once), which left the operations it leased waiting out
// their lease after a clean stop, and erase refusing their person. The
// callers check ctx before a claim and hand back what it leased.
func (s *Syncer) claim(ctx context.Context, finished []syncd.Op, kind syncd.RecordKind) ([]syncd.Op, error) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return s.opt.Store.FinishAndClaimOps(cctx, finished, s.target, kind, s.opt.BatchSize, s.opt.Lease)
}

// flush records results when the run stops early, even when ctx has ended:
// the CRM has acted on them. It returns ctx's error, if any.
func (s *Syncer) flush(ctx context.Context, finished []syncd.Op) error {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.opt.Store.FinishOps(fctx, finished); err != nil {
		return fmt.Errorf("sync %s: %w", s.target, err)
	}
	return ctx.Err()
}

// checkPause reads the persisted pause: a running pause skips the run, an
// expired one is lifted.
func (s *Syncer) checkPause(ctx context.Context, sum *Summary) (bool, error) {
	p, err := s.opt.Store.AdapterPause(ctx, s.target)
	if err != nil {
		return false, fmt.Errorf("sync %s: %w", s.target, err)
	}
	until := p.Until
	if until.After(s.opt.Now()) {
		sum.PausedUntil, sum.PauseReason, sum.PauseKind = until, p.Reason, p.Kind
		s.mu.Lock()
		s.seenPause = until
		s.mu.Unlock()
		return true, nil
	}
	if until.IsZero() {
		if s.liftedElsewhere() {
			// The operator lifted it once the account was fixed (a
			// scope added to the token, a property made): the check
			// runs now, so that what the daemon shows of it follows
			// (it said FAILING for up to 15 minutes after the fix).
			// Whatever it finds, the resume stands.
			_ = s.Recheck(ctx)
		}
		return false, nil
	}
	if paused, err := s.recheck(ctx, sum); err != nil || paused {
		return paused, err
	}
	s.log.Info().Time("paused_until", until).Msg("adapter pause over, resuming")
	if err := s.opt.Store.SetAdapterPause(ctx, s.target, syncd.Pause{}); err != nil {
		return false, fmt.Errorf("sync %s: %w", s.target, err)
	}
	s.mu.Lock()
	s.seenPause = time.Time{}
	s.mu.Unlock()
	return false, nil
}

// liftedElsewhere follows a pause lifted by another process before its
// end (`syncd sync -resume`, or a new sync leader whose check passed): it
// says so, and forgets why the pause was made and any cool-down, as
// Resume does, and reports whether it did. Before, the daemon said nothing
// and went on as if paused.
func (s *Syncer) liftedElsewhere() bool {
	s.mu.Lock()
	seen := s.seenPause
	s.seenPause = time.Time{}
	if !seen.After(s.opt.Now()) {
		s.mu.Unlock()
		return false
	}
	s.pauseClass, s.pauseProperty = syncd.ErrRetry, ""
	s.mu.Unlock()
	s.coolUntil, s.coolStreak = time.Time{}, 0
	s.log.Info().Time("paused_until", seen).
		Msg("adapter pause lifted by another process (syncd sync -resume): resuming")
	return true
}

// deliver sends one claimed batch to the CRM and returns the operations
// with their outcomes set, and the error when the whole call failed
// transiently. Operations set aside before (see stuck.go) go in a call of
// their own.
func (s *Syncer) deliver(ctx context.Context, kind syncd.RecordKind, ops []syncd.Op, sum *Summary) ([]syncd.Op, *syncd.CRMError, error) {
	if calls := s.apart(ops); len(calls) > 1 {
		return s.deliverApart(ctx, kind, calls, sum)
	}
	if !s.opt.ByHand || records(ops) < 2 {
		// One operation set aside, claimed alone, goes once as any
		// half (halfCtx): before, the client resent it three times
		// at each of its tries.
		return s.deliverKind(s.halfCtx(ctx, ops, false), kind, ops, sum)
	}
	sent, retried := slices.Clone(ops), sum.Retried
	done, out, err := s.deliverKind(ctx, kind, ops, sum)
	if err != nil || out == nil || !s.halvable(ctx, failedCall{sent: sent, ops: done, out: out}) || !s.probe(ctx, out) {
		return done, out, err
	}
	// The CRM answers its account check's reads: this batch, not the CRM, is
	// the trouble. Sent again now, in halves (Options.ByHand), each
	// once, as a set-aside group's halves go.
	sum.Retried = retried
	if s.opt.Once != nil {
		ctx = s.opt.Once(ctx)
	}
	a, b := halves(sent)
	return s.deliverApart(ctx, kind, [][]syncd.Op{a, b}, sum)
}

// deliverKind sends ops in one call (deals: those whose contact has a CRM
// id), as deliver.
func (s *Syncer) deliverKind(ctx context.Context, kind syncd.RecordKind, ops []syncd.Op, sum *Summary) ([]syncd.Op, *syncd.CRMError, error) {
	if kind == syncd.RecordContact {
		return s.deliverContacts(ctx, ops, sum)
	}
	return s.deliverDeals(ctx, ops, sum)
}

func (s *Syncer) deliverContacts(ctx context.Context, ops []syncd.Op, sum *Summary) ([]syncd.Op, *syncd.CRMError, error) {
	contacts := make([]syncd.Contact, len(ops))
	for i, op := range ops {
		contacts[i] = contactOf(op)
	}
	cctx, cancel := context.WithTimeout(ctx, s.opt.CallTimeout)
	defer cancel()
	sum.Calls++
	results := s.opt.CRM.UpsertContacts(cctx, contacts)
	return ops, s.record(ctx, ops, results, sum), nil
}

func (s *Syncer) deliverDeals(ctx context.Context, ops []syncd.Op, sum *Summary) ([]syncd.Op, *syncd.CRMError, error) {
	keys := make([]string, 0, len(ops))
	for _, op := range ops {
		if op.ContactKey != "" {
			keys = append(keys, op.ContactKey)
		}
	}
	links, err := s.opt.Store.LinksFor(ctx, s.target, syncd.RecordContact, keys)
	if err != nil {
		return nil, nil, fmt.Errorf("sync %s: %w", s.target, err)
	}
	var orphans []syncd.Op
	send, deals := make([]syncd.Op, 0, len(ops)), make([]syncd.Deal, 0, len(ops))
	for _, op := range ops {
		id := links[op.ContactKey]
		if op.ContactKey != "" && id == "" {
			// Nothing is pending for the contact, yet it has no CRM id:
			// its operation is dead. Retrying it revives this deal.
			op.State, op.DeadCause = syncd.OpDead, syncd.DeadNoContact
			op.LastError = "contact not in CRM: its contact operation is dead"
			sum.Dead++
			s.log.Warn().Int64("op", op.ID).Str("kind", string(op.Kind)).Str("fix", deadFix(op.ID)).
				Msg("deal's contact operation is dead: dead letter")
			orphans = append(orphans, op)
			continue
		}
		send = append(send, op)
		deals = append(deals, syncd.Deal{LeadID: op.Key, ContactKey: op.ContactKey, ContactID: id, Properties: op.Properties})
	}
	if len(deals) == 0 {
		return orphans, nil, nil
	}
	cctx, cancel := context.WithTimeout(ctx, s.opt.CallTimeout)
	defer cancel()
	sum.Calls++
	results := s.opt.CRM.UpsertDeals(cctx, deals)
	outage := s.record(ctx, send, results, sum)
	if len(orphans) == 0 {
		return send, outage, nil // no copy of the batch when every deal went
	}
	return append(orphans, send...), outage, nil
}

// contactOf turns a contact operation into the record the CRM gets: its
// key is the email or the phone as KeyKind says. An operation enqueued
// without KeyKind takes its email and phone from its own properties, from
// which the mapper made the key.
func contactOf(op syncd.Op) syncd.Contact {
	c := syncd.Contact{Key: op.Key, Properties: op.Properties, Phone: op.Properties["phone"]}
	switch op.KeyKind {
	case syncd.KeyEmail:
		c.Email = op.Key
	case syncd.KeyPhone:
		c.Phone = op.Key
	default:
		c.Email = op.Properties["email"]
	}
	return c
}

// record turns the CRM's results into the operations' new states. When
// every record of the call failed transiently, the CRM rather than the
// records is the trouble (an outage, a network fault): record says so, and
// the operations keep their place in line, due again at once, while the
// syncer cools down as a whole (see RunOnce). The attempt counts only when
// the records could have caused the failure (a 500, say): a call the CRM
// did not take (no answer, 429, 502, 503, 504) uses up no attempt, or a
// night of outage dead-lettered the leads waiting for it.
func (s *Syncer) record(ctx context.Context, ops []syncd.Op, results []syncd.Result, sum *Summary) (outage *syncd.CRMError) {
	if len(results) != len(ops) {
		err := &syncd.CRMError{Message: fmt.Sprintf("adapter answered %d results for %d records", len(results), len(ops))}
		results = make([]syncd.Result, len(ops))
		for i := range results {
			results[i].Err = err
		}
	}
	now := s.opt.Now()
	lead := leads(ops) // a contact's updates, sent as one, finish as one
	if outage = transient(results); outage == nil || ctx.Err() != nil {
		decideTogether(ops, lead, sum, func(i int) { s.outcome(ctx, &ops[i], results[i], now, sum) })
		return nil
	}
	notTaken := unavailable(outage)
	decideTogether(ops, lead, sum, func(i int) {
		op := &ops[i]
		if notTaken {
			op.Attempts = max(op.Attempts-1, 0)
		}
		if op.Attempts >= s.opt.MaxAttempts {
			op.State, op.LastError = syncd.OpDead, fmt.Sprintf("gave up after %d attempts: %s", op.Attempts, results[i].Err)
			sum.Dead++
			s.log.Warn().Int64("op", op.ID).Str("kind", string(op.Kind)).Int("attempt", op.Attempts).
				Str("fix", deadFix(op.ID)).Msg("too many attempts: dead letter")
			return
		}
		op.LastError, op.NextAttemptAt = results[i].Err.Error(), now
		sum.Retried++
	})
	return outage
}

// transient returns the error with the longest RetryAfter when every result
// failed with ErrRetry (any error that is not a *CRMError counts), else nil.
func transient(results []syncd.Result) *syncd.CRMError {
	var worst *syncd.CRMError
	for _, r := range results {
		if r.Err == nil {
			return nil
		}
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) {
			ce = &syncd.CRMError{Message: r.Err.Error(), Class: syncd.ErrRetry}
		}
		if ce.Class != syncd.ErrRetry {
			return nil
		}
		if worst == nil || ce.RetryAfter > worst.RetryAfter {
			worst = ce
		}
	}
	return worst
}

// unavailable reports whether a call failed as a whole in a way its
// records cannot have caused: no answer came (refused, a name not
// resolved, TLS, a timeout, a dropped connection) or the CRM said it was
// unavailable or limiting (429, 502, 503, 504, HubSpot's 477 migration,
// and the 521, 523 and 524 of Cloudflare in front of HubSpot, which
// HubSpot's error guide lists with 502-504 as answers to pause on).
func unavailable(ce *syncd.CRMError) bool {
	switch ce.Status {
	case 0:
		return ce.Code == syncd.CodeNetwork
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, 477:
		return true
	}
	_, edge := edgeText[ce.Status]
	return edge
}

// edgeText names the statuses of Cloudflare in front of HubSpot, which Go
// does not know (docs/crm-contracts.md).
var edgeText = map[int]string{521: "Web Server Is Down", 523: "Origin Is Unreachable", 524: "A Timeout Occurred"}

// outcome decides what becomes of one operation given its result.
func (s *Syncer) outcome(ctx context.Context, op *syncd.Op, r syncd.Result, now time.Time, sum *Summary) {
	if r.Err == nil {
		op.State, op.CRMID, op.LastError, op.DeadCause = syncd.OpDone, r.ID, "", ""
		if r.Gone { // recorded, so that the report does not say the CRM has it
			op.DeadCause = syncd.DoneDeletedInCRM
		}
		sum.Done++
		return
	}
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) {
		ce = &syncd.CRMError{Message: r.Err.Error(), Class: syncd.ErrRetry}
	}
	switch {
	case ctx.Err() != nil:
		// Cancelled by shutdown: the attempt does not count.
		s.release(op, now, "interrupted: "+r.Err.Error(), sum)
		return
	case !sum.PausedUntil.IsZero():
		s.release(op, now, r.Err.Error(), sum)
		return
	case ce.Class == syncd.ErrAuth:
		s.pause(authPause(now.Add(s.opt.AuthPause), ce), ce, sum)
		s.release(op, now, r.Err.Error(), sum)
		return
	case ce.Class == syncd.ErrDailyLimit:
		wait := ce.RetryAfter
		if wait <= 0 {
			wait = s.opt.DailyPause
		}
		kind := syncd.PauseDailyLimit
		if ce.Code == syncd.CodeDailyBudget {
			kind = syncd.PauseDailyBudget // Pipedrive's: its day turns at a time it does not name
		}
		s.pause(syncd.Pause{Until: now.Add(wait), Kind: kind, Reason: reasonDaily + ce.Error()}, ce, sum)
		s.release(op, now, r.Err.Error(), sum)
		return
	case ce.Class == syncd.ErrConfig:
		s.configFailure(ctx, op, r, ce, now, sum)
		return
	case ce.Class == syncd.ErrContactGone && op.Attempts < s.opt.MaxAttempts:
		s.contactGone(ctx, op, ce, now, sum)
	case ce.Class == syncd.ErrPermanent:
		op.State, op.LastError = syncd.OpDead, r.Err.Error()
		sum.Dead++
		s.warn(op, ce).Str("fix", rejectedFix(op.ID, ce)).Msg("crm rejected the record: dead letter")
	case ce.Class == syncd.ErrWait:
		// Waiting is not failing: it does not count towards MaxAttempts.
		// An unconfirmed create waits (and alarms, see UnconfirmedCreates)
		// rather than dying while the CRM may hold its record. It is due
		// when the wait the adapter gives ends (a create settled), not
		// after the back-off its earlier failures earned; without one,
		// after the back-off of a first failure.
		op.Attempts = max(op.Attempts-1, 0)
		wait := ce.RetryAfter
		if wait <= 0 {
			wait = s.backoff(1, 0)
		}
		op.LastError, op.NextAttemptAt = r.Err.Error(), now.Add(wait)
		sum.Retried++
		s.warn(op, ce).Time("next", op.NextAttemptAt).Msg("crm record waits")
	case op.Attempts >= s.opt.MaxAttempts:
		op.State, op.LastError = syncd.OpDead, fmt.Sprintf("gave up after %d attempts: %s", op.Attempts, r.Err)
		sum.Dead++
		s.warn(op, ce).Str("fix", deadFix(op.ID)).Msg("too many attempts: dead letter")
	default:
		op.LastError, op.NextAttemptAt = r.Err.Error(), now.Add(s.backoff(op.Attempts, ce.RetryAfter))
		sum.Retried++
		s.warn(op, ce).Time("next", op.NextAttemptAt).Msg("crm call failed, will retry")
	}
	s.log.Debug().Int64("op", op.ID).Str("message", ce.Message).Msg("crm message")
}

// authPause is the adapter's pause until until for ce, a failure to
// authenticate: the token refused, the account not the one syncd is
// pinned to, the address not the CRM's API, or the token taken but
// lacking a permission.
func authPause(until time.Time, ce *syncd.CRMError) syncd.Pause {
	switch {
	case ce.Code == syncd.CodeWrongAccount:
		return syncd.Pause{Until: until, Kind: syncd.PauseAccount, Reason: reasonAccount + ce.Message}
	case ce.Code == syncd.CodeNotTheAPI:
		return syncd.Pause{Until: until, Kind: syncd.PauseAddress, Reason: reasonAddress + ce.Message}
	case ce.Status == http.StatusForbidden:
		return syncd.Pause{Until: until, Kind: syncd.PausePermission, Reason: reasonPermission + ce.Error()}
	}
	return syncd.Pause{Until: until, Kind: syncd.PauseToken, Reason: reasonAuth + ce.Error()}
}

// contactGone handles a deal whose contact the CRM no longer has: the
// contact is written again (its newest operation made pending) and the
// deal waits for it, due at once; the claim holds it back meanwhile.
func (s *Syncer) contactGone(ctx context.Context, op *syncd.Op, ce *syncd.CRMError, now time.Time, sum *Summary) {
	op.LastError, op.NextAttemptAt = ce.Error(), now
	sum.Retried++
	revived, err := s.opt.Store.RequeueContact(context.WithoutCancel(ctx), s.target, op.ContactKey)
	if err != nil {
		s.log.Error().Err(err).Int64("op", op.ID).Msg("requeue deleted contact")
		op.NextAttemptAt = now.Add(s.backoff(op.Attempts, 0))
		return
	}
	// The adapter's own words (never the CRM's): how the contact is gone,
	// e.g. a Pipedrive person merged into another or deleted, which its
	// answer does not tell apart.
	s.warn(op, ce).Bool("contact_requeued", revived).Msg("deal's contact gone from the CRM: " + ce.Message)
}

// deadFix is what the line of a dead-lettered operation tells the operator:
// how to send it again, and how to clear one dealt with by hand in the
// CRM (status counts it as needing attention until then).
func deadFix(op int64) string {
	return fmt.Sprintf("see syncd outbox show %d; once fixed, syncd outbox retry %d, or once dealt with by hand in the CRM, "+
		"syncd outbox give-up %d", op, op, op)
}

// rejectedFix is what the line of an operation the CRM rejected tells the
// operator. A value the CRM refused (ce.Property) is the lead's own: a
// retry would send it again as it is. Only an option missing from a
// dropdown can be added in the CRM: the fix told every refusal (an email
// the CRM holds invalid, text for a number) to "make the CRM take it (an
// option added to a dropdown)". A deal's stage or pipeline, or an owner,
// is no dropdown anyone adds to (accountFix).
func rejectedFix(op int64, ce *syncd.CRMError) string {
	if ce.Property == "" {
		return deadFix(op)
	}
	if fix := accountFix(op, ce); fix != "" {
		return fix
	}
	take := ""
	if strings.Contains(ce.Code, "OPTION") { // HubSpot's INVALID_OPTION, Pipedrive's option refused
		take = fmt.Sprintf("or add it to that dropdown's options in the CRM and syncd outbox retry %d, ", op)
	}
	return fmt.Sprintf("this lead's %s is a value the CRM does not take (%s): see syncd outbox show %d; enter the lead in the CRM by hand "+
		"(the value corrected) and syncd outbox give-up %d, %sor if a mapping made the value, fix the mapping and run syncd replay",
		ce.Property, ce.Code, op, op, take)
}

// accountFix is rejectedFix for a value that names one of the account's
// own things, "" for another property: a deal's stage or pipeline
// (HubSpot's dealstage and pipeline ids, Pipedrive's stage and pipeline
// by name or id) or an owner (HubSpot's hubspot_owner_id, Pipedrive's
// owner_id or user_id). Such a value reaches a dead letter when a rule
// computes it from the payload, which syncd crm check cannot judge, so
// the check passes. Before, HubSpot's refusal of one (INVALID_OPTION)
// was told to "add it to that dropdown's options in the CRM": a stage's
// fix is the mapping's value, or the pipeline written beside it; an
// owner's, an active owner's id, or the owner's user reactivated.
func accountFix(op int64, ce *syncd.CRMError) string {
	var what, fix string
	switch ce.Property {
	case "dealstage", "stage", "stage_id":
		what = "deal stage"
		fix = "fix the mapping that makes it (a stage of the pipeline the deal is written to, or that stage's pipeline " +
			"written beside it as pipeline) and run syncd replay"
	case "pipeline", "pipeline_id":
		what = "deal pipeline"
		fix = "fix the mapping that makes it (one of the account's deal pipelines, with a stage of that pipeline) and run syncd replay"
	case "hubspot_owner_id", "owner_id", "user_id":
		what = "owner"
		fix = fmt.Sprintf("if it is an owner whose user was deactivated, reactivate the user in the CRM and syncd outbox retry %d; "+
			"else fix the mapping that makes it (an active owner's id) and run syncd replay", op)
	default:
		return ""
	}
	return fmt.Sprintf("this lead's %s (%s) is none the CRM account takes (%s), and a rule makes it from the lead, which syncd crm check "+
		"cannot judge: see syncd outbox show %d; %s; or enter the lead in the CRM by hand and syncd outbox give-up %d",
		what, ce.Property, ce.Code, op, fix, op)
}

// warn starts a log line about a failed operation, without personal data:
// the property the CRM refused a value of, never the value.
func (s *Syncer) warn(op *syncd.Op, ce *syncd.CRMError) *zerolog.Event {
	ev := s.log.Warn().Int64("op", op.ID).Str("kind", string(op.Kind)).Int("attempt", op.Attempts).
		Int("status", ce.Status).Str("code", ce.Code).Str("class", ce.Class.String())
	if ce.Property != "" {
		ev = ev.Str("property", ce.Property)
	}
	return ev
}

// release hands an operation back for the next run without counting the
// attempt.
func (s *Syncer) release(op *syncd.Op, now time.Time, reason string, sum *Summary) {
	op.Attempts = max(op.Attempts-1, 0)
	op.LastError, op.NextAttemptAt = reason, now
	sum.Released++
}

// pause pauses the whole adapter: the run stops claiming and hands back
// what it holds. The pause is recorded, and its alarm raised, by
// recordPause once the run has written those operations back.
func (s *Syncer) pause(p syncd.Pause, ce *syncd.CRMError, sum *Summary) {
	sum.PausedUntil, sum.PauseReason, sum.PauseKind, sum.PauseCode = p.Until, p.Reason, p.Kind, ce.Code
	s.mu.Lock()
	s.pauseClass, s.pauseProperty = ce.Class, ce.Property // why, for recheck
	s.seenPause = p.Until
	s.madePause = &madePause{Pause: p, ce: ce}
	s.mu.Unlock()
}

// madePause is a pause a run made, not yet recorded (see recordPause).
type madePause struct {
	syncd.Pause
	ce *syncd.CRMError
}

// recordPause persists the pause the run made, if any, and raises the
// alarm: an error saying how it ends, or a warning for a pause that ends
// by itself. RunOnce calls it once the operations the run held are
// written back. Before, the pause was recorded (and logged) first: a
// `syncd sync -resume` run then, on seeing it, found the operation being
// sent still held by this run's lease and exited 6. Killed between the
// two, the process leaves those operations released and no pause: the
// next run sends them, and pauses again if the CRM refuses still (one
// request more); nothing is lost or sent twice.
func (s *Syncer) recordPause(ctx context.Context) {
	s.mu.Lock()
	p := s.madePause
	s.madePause = nil
	s.mu.Unlock()
	if p == nil {
		return
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.opt.Store.SetAdapterPause(pctx, s.target, p.Pause); err != nil {
		s.log.Error().Err(err).Msg("persist adapter pause")
	}
	ev := s.log.Error() // a person must act, but for a spent daily limit
	if p.Kind.EndsByItself() {
		ev = s.log.Warn()
	}
	ce := p.ce
	ev = ev.Time("paused_until", p.Until).Int("status", ce.Status).Str("code", ce.Code).
		Str("class", ce.Class.String())
	if ce.Class == syncd.ErrConfig {
		ev = ev.Str("property", ce.Property)
	}
	ev.Str("fix", ResumeHint(p.Kind)).Msg("crm adapter paused")
}

// backoff is the wait before attempt n+1: syncd's exponential back-off
// from RetryBase, capped at RetryMax; never shorter than what the CRM asked
// for.
func (s *Syncer) backoff(n int, retryAfter time.Duration) time.Duration {
	return max(syncd.Backoff(s.opt.RetryBase, s.opt.RetryMax, n-1, s.opt.Jitter), retryAfter)
}
