package syncer_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestSyncerFollowsGroupsSetAsideElsewhere: a syncer ran (the daemon),
// then another on the same store (another instance leading sync on
// PostgreSQL, or `syncd sync`) set a batch aside and isolated its one the
// CRM never takes, then the first ran again. Before, the first knew only
// what it had read at its own start: it told nothing stuck and, when that
// operation came due with 99 new leads, sent them in one batch, which
// failed as a whole and was set aside again. It follows what the store
// keeps whenever another process changed it.
func TestSyncerFollowsGroupsSetAsideElsewhere(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r, opts := asideRig(t, &told)
	ctx := context.Background()
	if _, err := r.s.RunOnce(ctx); err != nil { // nothing due yet: it reads what is kept
		t.Fatal(err)
	}
	other, err := syncer.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 0, 100)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(37), Action: crmfake.ActError, Status: 504})
	bad := opsOfLead(t, r.db, 37)[0].ID
	for minute := 0; minute < 2; minute++ {
		if minute > 0 {
			r.clk.Advance(time.Minute)
		}
		if _, err := other.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.s.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(told) == 0 || !slices.Equal(told[len(told)-1], []int64{bad}) {
		t.Errorf("the first syncer told %v after the other isolated [%d]; want it told stuck", told, bad)
	}
	op, err := r.db.GetOp(ctx, bad)
	if err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(op.NextAttemptAt.Sub(r.clk.Now()) + time.Second)
	enqueueLeads(t, r.db, hubspot.Name, 100, 199) // due with it
	if sum, err := r.s.RunOnce(ctx); err != nil || len(r.srv.State().Contacts) != 99+99 {
		t.Errorf("the run when the one stuck came due = %+v, %v; the CRM holds %d contacts, want the 99 new leads' too", sum, err, len(r.srv.State().Contacts))
	}
}

// asideRig is a HubSpot rig whose syncer runs as the daemon's (batches of
// 100, the default back-off, a probe that passes, calls into an outage
// sent once) and tells told the operations stuck; opts are its options
// but for Stuck, for another syncer on the same store.
func asideRig(t *testing.T, told *[][]int64) (*rig, syncer.Options) {
	t.Helper()
	var opts syncer.Options
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.Lease = 100, 5*time.Minute
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour                        // the defaults
		o.Probe, o.Once = func(context.Context) error { return nil }, crm.SendOnce // as the daemon
		opts = *o
		o.Stuck = func(ops []int64, _ time.Time, _ string) { *told = append(*told, ops) }
	})
	return r, opts
}
