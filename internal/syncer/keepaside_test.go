package syncer_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestRestartKeepsTheGroupsSetAside: a batch of 100 contacts holds one the
// CRM never takes (a 504 to every call holding it) while its account
// check passes; the syncer set the batch aside, halved it at its next try
// and isolated that one, told stuck. Then the daemon restarted (a new
// syncer on the same database, as `syncd sync` is too). Before, the new
// syncer knew nothing of it: status no longer said ONE BATCH STUCK, and
// when the operation came due it was claimed with the 99 new leads due
// then, the batch failed as a whole and all 100 were set aside again, the
// halving started over. The groups set aside are kept in the store: the
// new syncer tells the one stuck at its first run, and sends it apart
// (once) from the new leads, which go at once.
func TestRestartKeepsTheGroupsSetAside(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r, opts := asideRig(t, &told)
	opts.Stuck = func(ops []int64, _ time.Time, _ string) { told = append(told, ops) }
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	bad := opsOfLead(t, r.db, 37)[0].ID
	ctx := context.Background()
	for minute := 0; minute < 2; minute++ {
		if minute > 0 {
			r.clk.Advance(time.Minute)
		}
		if _, err := r.s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(told) == 0 || !slices.Equal(told[len(told)-1], []int64{bad}) || len(r.srv.State().Contacts) != 99 {
		t.Fatalf("before the restart: told %v, the CRM holds %d contacts; want [%d] told stuck, the 99 others sent", told, len(r.srv.State().Contacts), bad)
	}

	told = nil
	s, err := syncer.New(opts) // the restart
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(told) == 0 || !slices.Equal(told[len(told)-1], []int64{bad}) {
		t.Errorf("the first run after the restart told %v; want [%d] still stuck", told, bad)
	}
	op, err := r.db.GetOp(ctx, bad)
	if err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(op.NextAttemptAt.Sub(r.clk.Now()) + time.Second)
	enqueueLeads(t, r.db, hubspot.Name, 100, 199) // due with it
	before := r.srv.CountRequests("POST", contactsUpsert, 0)
	sum, err := s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.srv.State().Contacts); n != 99+99 {
		t.Errorf("the run when the one stuck came due = %+v; the CRM holds %d contacts, want the 99 new leads' too", sum, n)
	}
	if n := r.srv.CountRequests("POST", contactsUpsert, 0) - before; n != 2 {
		t.Errorf("that run sent %d requests of contacts; want 2: the one stuck, once, and the new leads'", n)
	}
	if op, _ := r.db.GetOp(ctx, bad); op.State != syncd.OpPending || op.Attempts != 0 {
		t.Errorf("lead 37's contact: %s after %d attempts; want pending, none used up", op.State, op.Attempts)
	}
}
