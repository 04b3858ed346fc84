package syncer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// blockingCRM answers nothing until its call's context ends.
type blockingCRM struct{ started chan struct{} }

func (b *blockingCRM) Name() string { return "mem" }

func (b *blockingCRM) UpsertContacts(ctx context.Context, cs []syncd.Contact) []syncd.Result {
	b.started <- struct{}{}
	<-ctx.Done()
	out := make([]syncd.Result, len(cs))
	for i := range out {
		out[i].Err = ctx.Err()
	}
	return out
}

func (b *blockingCRM) UpsertDeals(ctx context.Context, ds []syncd.Deal) []syncd.Result {
	return b.UpsertContacts(ctx, make([]syncd.Contact, len(ds)))
}

func TestShutdownMidCallReleasesOps(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 5)
	crm := &blockingCRM{started: make(chan struct{}, 1)}
	s := newSyncer(t, db, crm, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-crm.started; cancel() }()
	if _, err := s.RunOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunOnce = %v, want context.Canceled", err)
	}
	for _, op := range allOps(t, db) {
		if op.State != syncd.OpPending || op.Attempts != 0 || !op.LeaseUntil.IsZero() {
			t.Fatalf("op after shutdown = %+v; want pending, unleased, attempt not counted", op)
		}
	}
}

func TestCrashedRunIsRetriedAfterLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 5)
	// A process claimed the contacts and died mid-call: nothing recorded.
	if got, err := db.FinishAndClaimOps(ctx, nil, "mem", syncd.RecordContact, 100, 5*time.Minute); err != nil || len(got) != 5 {
		t.Fatalf("claim = %d, %v", len(got), err)
	}
	crm := newMemCRM()
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) { o.Lease = 5 * time.Minute })
	if sum, err := s.RunOnce(ctx); err != nil || sum.Calls != 0 {
		t.Fatalf("run while leased = %+v, %v", sum, err)
	}
	clk.Advance(5 * time.Minute)
	sum, err := s.RunOnce(ctx)
	if err != nil || sum.Done != 10 {
		t.Fatalf("run after the lease = %+v, %v", sum, err)
	}
	if op, _ := db.GetOp(ctx, 1); op.Attempts != 2 {
		t.Fatalf("attempts = %d; the crashed call counts", op.Attempts)
	}
}

func TestRunOnSchedule(t *testing.T) {
	t.Parallel()
	db := openDB(t, nil)
	crm := newMemCRM()
	s := newSyncer(t, db, crm, nil, func(o *syncer.Options) { o.Schedule = "@every 1s"; o.NudgeDelay = -1 })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	// Ops queued after the start-up run (it records a last sync), with no
	// nudge: the schedule picks them up.
	for last, _ := db.LastSync(ctx, "mem"); last.IsZero(); last, _ = db.LastSync(ctx, "mem") {
		time.Sleep(5 * time.Millisecond)
	}
	enqueueLeads(t, db, "mem", 0, 3)
	deadline := time.Now().Add(5 * time.Second)
	for countStates(allOps(t, db))[syncd.OpDone] != 6 {
		if time.Now().After(deadline) {
			t.Fatalf("not delivered on schedule: %v", countStates(allOps(t, db)))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// flakyStore fails one FinishAndClaimOps call, as a full disk would.
type flakyStore struct {
	*sqlite.DB
	calls, failAt int
}

func (f *flakyStore) FinishAndClaimOps(ctx context.Context, finished []syncd.Op, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) ([]syncd.Op, error) {
	f.calls++
	if f.calls == f.failAt {
		return nil, errors.New("disk I/O error")
	}
	return f.DB.FinishAndClaimOps(ctx, finished, target, kind, limit, lease)
}

func TestStoreFailureMidRunKeepsResults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 300)
	crm := newMemCRM()
	st := &flakyStore{DB: db, failAt: 3} // claims: first, ahead of call 1, ahead of call 2
	s, err := syncer.New(syncer.Options{Store: st, CRM: crm, Now: clk.Now, Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunOnce(ctx); err == nil || !strings.Contains(err.Error(), "disk I/O error") {
		t.Fatalf("RunOnce = %v, want the store's error", err)
	}
	// The results of both calls made were recorded all the same.
	if n := countStates(allOps(t, db))[syncd.OpDone]; n != 200 {
		t.Fatalf("%d ops done after the failure, want the 200 the CRM took", n)
	}
	clk.Advance(time.Minute) // leases of anything claimed ahead run out
	if sum, err := s.RunOnce(ctx); err != nil || sum.Done != 400 {
		t.Fatalf("next run = %+v, %v", sum, err)
	}
	if len(crm.contacts) != 300 || len(crm.deals) != 300 {
		t.Fatalf("CRM has %d contacts, %d deals", len(crm.contacts), len(crm.deals))
	}
}

// TestRunBesideAnothersLeaseRecordsNoLastSync: another process (a syncd
// sync run by hand, a daemon killed mid-send) holds every due contact
// under its lease. The daemon's run claimed nothing, sent nothing, yet
// recorded itself as the last sync, which status then showed ("last
// sync: 0s ago") with the leads still waiting. Now such a run leaves the
// last sync as it was, and the first run that drains them records it.
func TestRunBesideAnothersLeaseRecordsNoLastSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 3)
	if got, err := db.FinishAndClaimOps(ctx, nil, "mem", syncd.RecordContact, 100, 5*time.Minute); err != nil || len(got) != 3 {
		t.Fatalf("claim = %d, %v", len(got), err)
	}
	s := newSyncer(t, db, newMemCRM(), clk, func(o *syncer.Options) { o.Lease = 5 * time.Minute })
	if sum, err := s.RunOnce(ctx); err != nil || sum.Claimed != 0 {
		t.Fatalf("run beside the lease = %+v, %v", sum, err)
	}
	if last, err := db.LastSync(ctx, "mem"); err != nil || !last.IsZero() {
		t.Fatalf("last sync after a run that claimed nothing, all due leased = %v, %v; want none", last, err)
	}
	clk.Advance(5 * time.Minute)
	if sum, err := s.RunOnce(ctx); err != nil || sum.Done != 6 {
		t.Fatalf("run after the lease = %+v, %v", sum, err)
	}
	if last, err := db.LastSync(ctx, "mem"); err != nil || !last.Equal(clk.Now()) {
		t.Fatalf("last sync after the run that drained them = %v, %v; want %v", last, err, clk.Now())
	}
}

// stopAtFinish is a store whose claim recording finished operations
// meets the daemon's stop (SIGTERM) while it commits: the commit goes
// through, as it may on PostgreSQL, whose driver gives up waiting for
// the answer of a statement once its context is cancelled, but the caller
// is told the context's error.
type stopAtFinish struct {
	*sqlite.DB
	cancel context.CancelFunc
}

func (s stopAtFinish) FinishAndClaimOps(ctx context.Context, finished []syncd.Op, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) ([]syncd.Op, error) {
	if len(finished) == 0 {
		return s.DB.FinishAndClaimOps(ctx, finished, target, kind, limit, lease)
	}
	s.cancel()
	ops, err := s.DB.FinishAndClaimOps(context.WithoutCancel(ctx), finished, target, kind, limit, lease)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return ops, nil
}

// TestStopWhileRecordingFinishedOpsKeepsThem: a lead's contact sent, the
// daemon stopped (SIGTERM) while the claim that records it and leases the
// lead's deal committed. The run, told the cancelled context's error,
// returned without the deal the claim had leased: after a clean stop it
// stayed pending and leased for the lease (5 minutes), and `syncd erase`
// refused the person ("being delivered to the CRM now"). Two full runs
// on PostgreSQL showed it, and a daemon stopped right after a lead
// (cmd/syncd) left it one time in ten. A claim now runs to its end
// whatever the stop, and what it leased is handed back.
func TestStopWhileRecordingFinishedOpsKeepsThem(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	crm := newMemCRM()
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) { o.Store, o.BatchSize = stopAtFinish{db, cancel}, 1 })
	if _, err := s.RunOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunOnce = %v, want context.Canceled", err)
	}
	sent := map[string]bool{}
	for _, o := range crm.order {
		sent[o] = true
	}
	for _, op := range allOps(t, db) {
		switch {
		case !op.LeaseUntil.IsZero():
			t.Errorf("operation %d (%s) leased after the stop, until %v: nothing sends it before then", op.ID, op.Kind, op.LeaseUntil)
		case sent[string(op.Kind)+":"+op.Key] && op.State != syncd.OpDone:
			t.Errorf("operation %d (%s), which the CRM took: %s, want done", op.ID, op.Kind, op.State)
		case !sent[string(op.Kind)+":"+op.Key] && (op.State != syncd.OpPending || op.Attempts != 0):
			t.Errorf("operation %d (%s), never sent: %s after %d attempts, want pending after none", op.ID, op.Kind, op.State, op.Attempts)
		}
	}
	if len(sent) == 0 {
		t.Fatal("nothing sent before the stop: the test shows nothing")
	}
}
