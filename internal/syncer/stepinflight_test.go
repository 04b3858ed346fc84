package syncer_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// stepCRM is memCRM that, in its first contacts call, waits until the
// syncer has claimed the next batch (its claim runs while a call is in
// flight), then steps the clock forward past the lease: a virtual machine
// resumed, NTP setting right a clock that was behind. It notes every
// contact delivered.
type stepCRM struct {
	*memCRM
	db    *sqlite.DB
	clk   *clock
	step  time.Duration
	t     *testing.T
	mu    sync.Mutex
	calls int
	sent  map[string]int
}

func (c *stepCRM) UpsertContacts(ctx context.Context, cs []syncd.Contact) []syncd.Result {
	c.mu.Lock()
	c.calls++
	first := c.calls == 1
	for _, x := range cs {
		c.sent[x.Key]++
	}
	c.mu.Unlock()
	if first {
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			leased := 0
			for _, op := range allOps(c.t, c.db) {
				if op.Kind == syncd.RecordContact && !op.LeaseUntil.IsZero() {
					leased++
				}
			}
			if leased >= 2*len(cs) {
				break
			}
			if time.Now().After(deadline) {
				c.t.Error("the next batch was never claimed while the first was in flight")
				break
			}
		}
		c.clk.Advance(c.step)
	}
	return c.memCRM.UpsertContacts(ctx, cs)
}

// TestClockStepPastTheLeaseSendsNothingTwice: the wall clock steps forward
// by more than the lease while a batch is in flight and the next is
// claimed. The leases (wall-clock times in the outbox) of the batch
// claimed ahead then look run out while it is in flight, and the claim
// made beside its call took it again: each of its contacts was sent twice,
// in two calls at once (for Pipedrive, which has no uniqueness, two
// creates racing). A batch in flight is left out of the claim made beside
// its call.
func TestClockStepPastTheLeaseSendsNothingTwice(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 6)
	crm := &stepCRM{memCRM: newMemCRM(), db: db, clk: clk, step: 10 * time.Minute, t: t, sent: map[string]int{}}
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) { o.BatchSize = 2 })
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if n := crm.sent[email(i)]; n != 1 {
			t.Errorf("contact %s sent %d times, want once", email(i), n)
		}
	}
	for _, op := range allOps(t, db) {
		if op.State != syncd.OpDone {
			t.Errorf("op %d %s %s: %s, want done", op.ID, op.Kind, op.Key, op.State)
		}
		if op.Attempts != 1 {
			t.Errorf("op %d %s %s: %d attempts counted, want 1", op.ID, op.Kind, op.Key, op.Attempts)
		}
	}
}
