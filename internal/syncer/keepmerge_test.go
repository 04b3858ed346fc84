package syncer_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestTwoSyncersSettingAsideAtOnceKeepBoth: two syncers on one store (the
// daemon and a `syncd sync`) each set a batch aside in runs at the same
// time: the second had read the kept groups before the first wrote its
// own. Before, the second's write dropped the first's group: a syncer
// after them knew only one, sent the other's operations in one call again
// and began its halving anew, and status told one stuck, not two. The
// second merges in what the first wrote: the next run halves both groups
// and tells both operations the CRM never takes stuck.
func TestTwoSyncersSettingAsideAtOnceKeepBoth(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r, opts := asideRig(t, &told)
	ctx := context.Background()
	if _, err := r.s.RunOnce(ctx); err != nil { // reads what is kept: nothing
		t.Fatal(err)
	}
	hold := &holdAsideRead{Store: r.db, read: make(chan struct{}), resume: make(chan struct{})}
	other := opts
	other.Store = hold
	second, err := syncer.New(other)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := second.RunOnce(ctx); done <- err }()
	<-hold.read // the second has read the kept groups

	enqueueLeads(t, r.db, hubspot.Name, 0, 10)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(3), Action: crmfake.ActError, Status: 504})
	if _, err := r.s.RunOnce(ctx); err != nil { // sets its batch aside
		t.Fatal(err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 10, 20)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(13), Action: crmfake.ActError, Status: 504})
	close(hold.resume) // the second claims the new batch and sets it aside
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	bothKeptAfterARestart(t, r, opts, &told)
	if n := len(r.srv.State().Contacts); n != 18 {
		t.Errorf("the CRM holds %d contacts; want the 18 of leads claimed with the two", n)
	}
}

// holdAsideRead is a store whose first read of the operations set aside
// closes read and then waits for resume before it answers.
type holdAsideRead struct {
	syncer.Store
	read, resume chan struct{}
	once         sync.Once
}

// StateValue reads name, held once as said.
func (h *holdAsideRead) StateValue(ctx context.Context, name string) (string, bool, error) {
	v, ok, err := h.Store.StateValue(ctx, name)
	if strings.HasPrefix(name, "syncer_aside:") {
		h.once.Do(func() { close(h.read); <-h.resume })
	}
	return v, ok, err
}

// TestASyncerWritingAsideAfterAnotherReadKeepsBoth: the other syncer
// writes the groups it set aside between this syncer's last read of
// them and its write (the hook runs the other's whole run right after
// that read). Before, the write went over the other's: merged only with
// what was read, it dropped the group written since (a race of
// milliseconds). The write now goes only over what it read, and a value
// written since is read and merged first: a later run tells both
// operations the CRM never takes stuck.
func TestASyncerWritingAsideAfterAnotherReadKeepsBoth(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r, opts := asideRig(t, &told)
	ctx := context.Background()
	second, err := syncer.New(opts) // on the store itself
	if err != nil {
		t.Fatal(err)
	}
	var reads int
	hook := &afterAsideRead{Store: r.db, after: func() {
		if reads++; reads != 2 { // the first is at the run's start, the second just before its write
			return
		}
		enqueueLeads(t, r.db, hubspot.Name, 10, 20)
		r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(13), Action: crmfake.ActError, Status: 504})
		if _, err := second.RunOnce(ctx); err != nil { // sets its batch aside and writes it
			t.Error(err)
		}
	}}
	first := opts
	first.Store = hook
	s, err := syncer.New(first)
	if err != nil {
		t.Fatal(err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 0, 10)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(3), Action: crmfake.ActError, Status: 504})
	if _, err := s.RunOnce(ctx); err != nil { // sets its batch aside; the second writes before it does
		t.Fatal(err)
	}
	if reads < 2 {
		t.Fatalf("the set-aside row was read %d time(s) in the run; want one at its start and one before its write", reads)
	}
	bothKeptAfterARestart(t, r, opts, &told)
}

// bothKeptAfterARestart checks, an hour on, that a syncer started anew
// halves both groups set aside (leads 3 and 13) and tells their two
// operations stuck.
func bothKeptAfterARestart(t *testing.T, r *rig, opts syncer.Options, told *[][]int64) {
	t.Helper()
	keptAfterARestart(t, r, opts, told, 3, 13)
}

// keptAfterARestart checks, an hour on, that a syncer started anew halves
// the groups set aside holding leads and tells their contacts' operations
// stuck.
func keptAfterARestart(t *testing.T, r *rig, opts syncer.Options, told *[][]int64, leads ...int) {
	t.Helper()
	var bad []int64
	for _, l := range leads {
		bad = append(bad, opsOfLead(t, r.db, l)[0].ID)
	}
	slices.Sort(bad)
	*told = nil
	opts.Stuck = func(ops []int64, _ time.Time, _ string) { *told = append(*told, ops) }
	after, err := syncer.New(opts) // a restart, say
	if err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(time.Hour)
	if _, err := after.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(*told) == 0 || !slices.Equal((*told)[len(*told)-1], bad) {
		t.Errorf("the run after a restart told %v stuck; want %v: the groups set aside kept and halved", *told, bad)
	}
}

// afterAsideRead is a store that calls after each time it has read the
// operations set aside, before it answers.
type afterAsideRead struct {
	syncer.Store
	after func()
}

// StateValue reads name, then calls after for the operations set aside.
func (h *afterAsideRead) StateValue(ctx context.Context, name string) (string, bool, error) {
	v, ok, err := h.Store.StateValue(ctx, name)
	if strings.HasPrefix(name, "syncer_aside:") {
		h.after()
	}
	return v, ok, err
}
