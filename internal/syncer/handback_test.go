package syncer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// linksFailOnce is a store whose first read of the deals' contact links
// fails: the daemon stopped (its context cancelled) just before it, or the
// disk failed.
type linksFailOnce struct {
	*sqlite.DB
	failed bool
}

func (l *linksFailOnce) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	if !l.failed {
		l.failed = true
		return nil, errors.New("context canceled")
	}
	return l.DB.LinksFor(ctx, target, kind, keys)
}

// TestDealsNotSentAreHandedBack: a run that stops before it sent a batch
// of deals (their contacts' links could not be read) hands that batch, and
// the one claimed ahead, back at once. Before, both stayed leased for the
// lease (5 minutes): after a stop at that moment the restarted daemon left
// them waiting, and syncd erase refused the person ("being delivered to
// the CRM now") with no daemon running.
func TestDealsNotSentAreHandedBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	enqueueLeads(t, db, "mem", 0, 250) // deals in three batches of 100
	crm := newMemCRM()
	st := &linksFailOnce{DB: db}
	s, err := syncer.New(syncer.Options{Store: st, CRM: crm, Now: clk.Now, Lease: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunOnce(ctx); err == nil {
		t.Fatal("RunOnce = nil, want the store's error")
	}
	for _, op := range allOps(t, db) {
		if op.Kind == syncd.RecordDeal && op.Attempts != 0 {
			t.Fatalf("deal op %d holds %d attempts after a run that never sent it", op.ID, op.Attempts)
		}
	}
	clk.Advance(time.Second) // far less than the lease
	if sum, err := s.RunOnce(ctx); err != nil || len(crm.deals) != 250 {
		t.Fatalf("next run = %+v, %v: %d deals in the CRM, want 250 (none left leased)", sum, err, len(crm.deals))
	}
}
