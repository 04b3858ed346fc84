package storetest

import (
	"fmt"
	"maps"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

func testMappingOnce(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	ev := e.event(in, "m1")
	ops := lead(ev, 1)
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", ops); err != nil || n != 2 {
		t.Fatalf("record mapping = %d, %v", n, err)
	}
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", lead(ev, 1)); err != nil || n != 0 {
		t.Fatalf("mapping again = %d, %v; want 0 new", n, err)
	}
	changed := lead(ev, 1)
	changed[0].Properties["email"] = "other@example.com"
	known, err := e.Store.OpsEnqueued(e.ctx, changed)
	if err != nil || fmt.Sprint(known) != "[false true]" {
		t.Fatalf("ops enqueued = %v, %v", known, err)
	}
	if pend, _ := e.Store.PendingEvents(e.ctx, 0, 10); len(pend) != 0 {
		t.Fatalf("mapped event still pending: %+v", pend)
	}
	if _, err := e.Store.RecordMapping(e.ctx, ev+100, syncd.MapIgnored, "", nil); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("unknown event: %v", err)
	}
	un := e.event(in, "m2")
	if _, err := e.Store.RecordMapping(e.ctx, un, syncd.MapUnmappable, "no email", nil); err != nil {
		t.Fatal(err)
	}
	got, _ := e.Store.Event(e.ctx, un)
	if got.MapState != syncd.MapUnmappable || got.MapError != "no email" {
		t.Fatalf("unmappable event = %+v", got)
	}
}

func testClaimOrder(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	if deals := e.claim(e.Store, syncd.RecordDeal, 10); len(deals) != 0 {
		t.Fatalf("deal claimed before its contact: %+v", deals)
	}
	contacts := e.claim(e.Store, syncd.RecordContact, 10)
	if len(contacts) != 1 || contacts[0].Attempts != 1 || !contacts[0].LeaseUntil.Equal(e.now().Add(time.Minute)) {
		t.Fatalf("contacts = %+v", contacts)
	}
	if deals := e.claim(e.Store, syncd.RecordDeal, 10); len(deals) != 0 {
		t.Fatalf("deal claimed while its contact is leased: %+v", deals)
	}
	contacts[0].State, contacts[0].CRMID = syncd.OpDone, "c-1"
	deals, err := e.Store.FinishAndClaimOps(e.ctx, contacts, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(deals) != 1 || deals[0].ContactKey != "lead1@example.com" {
		t.Fatalf("deals after the contact = %+v, %v", deals, err)
	}
}

func testClaimLease(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	first := e.claim(e.Store, syncd.RecordContact, 10)
	if len(first) != 1 {
		t.Fatalf("claimed %+v", first)
	}
	e.advance(30 * time.Second)
	if again := e.claim(e.Store, syncd.RecordContact, 10); len(again) != 0 {
		t.Fatalf("claimed during the lease: %+v", again)
	}
	e.advance(31 * time.Second)
	again := e.claim(e.Store, syncd.RecordContact, 10)
	if len(again) != 1 || again[0].ID != first[0].ID || again[0].Attempts != 2 {
		t.Fatalf("after the lease: %+v", again)
	}
	// The first claimant finishing late does not undo the second's work.
	again[0].State, again[0].CRMID = syncd.OpDone, "c-2"
	if err := e.Store.FinishOps(e.ctx, again); err != nil {
		t.Fatal(err)
	}
	first[0].State, first[0].LastError = syncd.OpDead, "late"
	if err := e.Store.FinishOps(e.ctx, first); err != nil {
		t.Fatal(err)
	}
	op, _ := e.Store.GetOp(e.ctx, first[0].ID)
	if op.State != syncd.OpDone || op.CRMID != "c-2" || !op.LeaseUntil.IsZero() {
		t.Fatalf("op = %+v", op)
	}
}

// testClaimSameRecord: a deal's later update waits for the earlier one to
// finish; a contact's comes with it (testClaimContactRun says more).
func testClaimSameRecord(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	ev := e.mapped(in, 1)
	newer := lead(ev, 1)
	newer[0].Properties["firstname"] = "Renamed"
	newer[1].Properties["dealname"] = "Renamed"
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", newer); err != nil || n != 2 {
		t.Fatalf("newer ops: %d, %v", n, err)
	}
	got := e.claim(e.Store, syncd.RecordContact, 1)
	if len(got) != 2 || got[0].Properties["firstname"] != "" || got[1].Properties["firstname"] != "Renamed" {
		t.Fatalf("claimed %+v; want both of the contact's ops, in order", got)
	}
	got[0].State, got[1].State = syncd.OpDone, syncd.OpDone
	deals, err := e.Store.FinishAndClaimOps(e.ctx, got, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(deals) != 1 || deals[0].Properties["dealname"] != "Deal 1" {
		t.Fatalf("deals = %+v, %v; want the older only", deals, err)
	}
	deals[0].State = syncd.OpDone
	next, err := e.Store.FinishAndClaimOps(e.ctx, deals, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(next) != 1 || next[0].Properties["dealname"] != "Renamed" {
		t.Fatalf("then = %+v, %v", next, err)
	}
}

// testClaimTwoInstancesDisjoint: instances claiming at once never hold the
// same operation, and together they claim every one.
func testClaimDisjoint(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	const leads = 60
	for i := range leads {
		e.mapped(in, i)
	}
	stores := []Store{e.Store, e.instance().Store, e.instance().Store}
	seen := map[int64]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ops, err := s.FinishAndClaimOps(e.ctx, nil, "hubspot", syncd.RecordContact, 7, time.Minute)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(ops) == 0 {
					return
				}
				mu.Lock()
				for _, op := range ops {
					seen[op.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != leads {
		t.Fatalf("claimed %d distinct ops, want %d", len(seen), leads)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("op %d claimed %d times", id, n)
		}
	}
}

func testFinish(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.mapped(in, 2)
	ops := e.claim(e.Store, syncd.RecordContact, 10)
	if len(ops) != 2 {
		t.Fatalf("claimed %+v", ops)
	}
	next := e.now().Add(time.Hour)
	ops[0].State, ops[0].CRMID = syncd.OpDone, "c-1"
	ops[1].LastError, ops[1].NextAttemptAt = "crm 503", next
	if err := e.Store.FinishOps(e.ctx, ops); err != nil {
		t.Fatal(err)
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, "lead1@example.com"); id != "c-1" {
		t.Fatalf("link = %q", id)
	}
	retried, _ := e.Store.GetOp(e.ctx, ops[1].ID)
	if retried.State != syncd.OpPending || retried.LastError != "crm 503" || !retried.NextAttemptAt.Equal(next) ||
		!retried.LeaseUntil.IsZero() {
		t.Fatalf("retried op = %+v", retried)
	}
	if again := e.claim(e.Store, syncd.RecordContact, 10); len(again) != 0 {
		t.Fatalf("claimed before its next attempt: %+v", again)
	}
	e.advance(time.Hour)
	again := e.claim(e.Store, syncd.RecordContact, 10)
	if len(again) != 1 {
		t.Fatalf("claimed at its next attempt: %+v", again)
	}
	again[0].State, again[0].LastError = syncd.OpDead, "VALIDATION_ERROR"
	if err := e.Store.FinishOps(e.ctx, again); err != nil {
		t.Fatal(err)
	}
	dead, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpDead})
	if len(dead) != 1 || dead[0].LastError != "VALIDATION_ERROR" {
		t.Fatalf("dead = %+v", dead)
	}
	bad := again
	bad[0].State = "weird"
	if err := e.Store.FinishOps(e.ctx, bad); err == nil {
		t.Fatal("unknown state accepted")
	}
}

func testRetryDead(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].LastError = syncd.OpDead, "VALIDATION_ERROR"
	d, err := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 1, time.Minute)
	if err != nil || len(d) != 1 {
		t.Fatalf("deal after a dead contact: %+v, %v", d, err)
	}
	d[0].State, d[0].LastError, d[0].DeadCause = syncd.OpDead, "contact not in CRM", syncd.DeadNoContact
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RetryDeadOp(e.ctx, d[0].ID+c[0].ID+100); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("retry unknown: %v", err)
	}
	if dead, _ := e.Store.GetOp(e.ctx, d[0].ID); dead.DeadCause != syncd.DeadNoContact {
		t.Fatalf("dead cause not kept: %+v", dead)
	}
	with, err := e.Store.RetryDeadOp(e.ctx, c[0].ID)
	if err != nil || fmt.Sprint(with) != fmt.Sprint([]int64{d[0].ID}) {
		t.Fatalf("retry contact %d: revived with it %v, %v; want its deal %d", c[0].ID, with, err, d[0].ID)
	}
	for _, id := range []int64{c[0].ID, d[0].ID} {
		op, _ := e.Store.GetOp(e.ctx, id)
		if op.State != syncd.OpPending || op.Attempts != 0 || op.DeadCause != "" {
			t.Fatalf("op %d after retry = %+v", id, op)
		}
	}
	if n, _, _, err := e.Store.RetryAllDeadOps(e.ctx, ""); err != nil || n != 0 {
		t.Fatalf("retry all = %d, %v", n, err)
	}
	if _, err := e.Store.GetOp(e.ctx, 99999); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("get unknown: %v", err)
	}
}

// testRetryDeadDeal: retrying a deal that died because its contact's
// operation is dead revives that contact operation too, else the deal would
// die again at once; a contact the CRM has (a CRM id known) is left alone.
func testRetryDeadDeal(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].LastError = syncd.OpDead, "VALIDATION_ERROR"
	d, err := e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 1, time.Minute)
	if err != nil || len(d) != 1 {
		t.Fatalf("deal after a dead contact: %+v, %v", d, err)
	}
	d[0].State, d[0].LastError, d[0].DeadCause = syncd.OpDead, "contact not in CRM", syncd.DeadNoContact
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	with, err := e.Store.RetryDeadOp(e.ctx, d[0].ID)
	if err != nil || fmt.Sprint(with) != fmt.Sprint([]int64{c[0].ID}) {
		t.Fatalf("retry deal %d: revived with it %v, %v; want its contact %d", d[0].ID, with, err, c[0].ID)
	}
	for _, id := range []int64{c[0].ID, d[0].ID} {
		if op, _ := e.Store.GetOp(e.ctx, id); op.State != syncd.OpPending || op.Attempts != 0 || op.DeadCause != "" {
			t.Fatalf("op %d after retrying the deal = %+v", id, op)
		}
	}
	c = e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].LastError = syncd.OpDead, "VALIDATION_ERROR"
	d, _ = e.Store.FinishAndClaimOps(e.ctx, c, "hubspot", syncd.RecordDeal, 1, time.Minute)
	d[0].State, d[0].LastError = syncd.OpDead, "VALIDATION_ERROR"
	if err := e.Store.FinishOps(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetLink(e.ctx, "hubspot", syncd.RecordContact, c[0].Key, "c-1"); err != nil {
		t.Fatal(err)
	}
	if with, err := e.Store.RetryDeadOp(e.ctx, d[0].ID); err != nil || len(with) != 0 {
		t.Fatalf("retry deal of a contact the CRM has: revived with it %v, %v", with, err)
	}
	if op, _ := e.Store.GetOp(e.ctx, c[0].ID); op.State != syncd.OpDead {
		t.Fatalf("contact the CRM has revived: %+v", op)
	}
}

// testDepthsLeased: the depths count the pending operations a lease holds
// (being sent, or held by a process that stopped mid-send) and say when
// the last such lease ends; an ended lease holds nothing. Before, nothing
// but outbox show told an operation held so from one due and not sent.
func testDepthsLeased(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.mapped(in, 2)
	e.claim(e.Store, syncd.RecordContact, 1)
	e.advance(10 * time.Second)
	e.claim(e.Store, syncd.RecordContact, 1)
	ds, err := e.Store.OutboxDepths(e.ctx)
	if err != nil || len(ds) != 1 || ds[0].Pending != 4 || ds[0].Leased != 2 || !ds[0].LeaseUntil.Equal(e.now().Add(time.Minute)) {
		t.Fatalf("depths while two contacts are leased = %+v, %v; want 2 leased until %v", ds, err, e.now().Add(time.Minute))
	}
	e.advance(55 * time.Second) // the first lease over
	if ds, err = e.Store.OutboxDepths(e.ctx); err != nil || len(ds) != 1 || ds[0].Leased != 1 || !ds[0].LeaseUntil.Equal(e.now().Add(5*time.Second)) {
		t.Fatalf("depths once the first lease ended = %+v, %v; want 1 leased", ds, err)
	}
	e.advance(5 * time.Second)
	if ds, err = e.Store.OutboxDepths(e.ctx); err != nil || len(ds) != 1 || ds[0].Leased != 0 || !ds[0].LeaseUntil.IsZero() {
		t.Fatalf("depths once every lease ended = %+v, %v; want none leased", ds, err)
	}
}

// testLastSyncLeased: a run that found nothing left to claim records no
// last sync while a lease (another process's) holds a pending operation of
// its target: not all that was due went. Another target's lease does not
// count; once the lease ends, the run is recorded.
func testLastSyncLeased(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.claim(e.Store, syncd.RecordContact, 1) // leased for a minute
	if ok, err := e.Store.SetLastSyncDrained(e.ctx, "hubspot", e.now()); err != nil || ok {
		t.Fatalf("set last sync while a lease holds an operation = %v, %v; want not recorded", ok, err)
	}
	if last, err := e.Store.LastSync(e.ctx, "hubspot"); err != nil || !last.IsZero() {
		t.Fatalf("last sync = %v, %v; want none", last, err)
	}
	if ok, err := e.Store.SetLastSyncDrained(e.ctx, "pipedrive", e.now()); err != nil || !ok {
		t.Fatalf("another target's last sync = %v, %v; want recorded", ok, err)
	}
	e.advance(time.Minute) // the lease over
	if ok, err := e.Store.SetLastSyncDrained(e.ctx, "hubspot", e.now()); err != nil || !ok {
		t.Fatalf("set last sync once the lease ended = %v, %v; want recorded", ok, err)
	}
	if last, err := e.Store.LastSync(e.ctx, "hubspot"); err != nil || !last.Equal(e.now()) {
		t.Fatalf("last sync = %v, %v; want %v", last, err, e.now())
	}
}

func testDepths(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	e.advance(time.Minute)
	e.mapped(in, 2)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State = syncd.OpDone
	e.Store.FinishOps(e.ctx, c)
	ds, err := e.Store.OutboxDepths(e.ctx)
	if err != nil || len(ds) != 1 {
		t.Fatalf("depths = %+v, %v", ds, err)
	}
	d := ds[0]
	if d.Target != "hubspot" || d.Pending != 3 || d.Done != 1 || d.Dead != 0 ||
		!d.OldestPending.Equal(e.now().Add(-time.Minute)) {
		t.Fatalf("depth = %+v", d)
	}
	all, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{})
	pending, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpPending, Kind: syncd.RecordDeal})
	page, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{AfterID: all[0].ID, Limit: 2})
	if len(all) != 4 || len(pending) != 2 || len(page) != 2 || page[0].ID != all[1].ID {
		t.Fatalf("list: all %d, pending deals %d, page %+v", len(all), len(pending), page)
	}
	newest, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{Newest: true, Limit: 1})
	unlimited, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{Limit: -1})
	if len(newest) != 1 || newest[0].ID != all[3].ID || len(unlimited) != 4 {
		t.Fatalf("list newest %+v, unlimited %d", newest, len(unlimited))
	}
	if n, err := e.Store.CountOps(e.ctx, syncd.OpFilter{State: syncd.OpPending, Limit: 1}); err != nil || n != 3 {
		t.Fatalf("count pending = %d, %v; want 3", n, err)
	}
	older, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{Newest: true, BeforeID: all[3].ID, Limit: 2})
	if len(older) != 2 || older[0].ID != all[2].ID || older[1].ID != all[1].ID {
		t.Fatalf("the page before %d = %+v", all[3].ID, older)
	}
	if n, err := e.Store.CountOps(e.ctx, syncd.OpFilter{BeforeID: all[1].ID}); err != nil || n != 1 {
		t.Fatalf("count before %d = %d, %v; want 1", all[1].ID, n, err)
	}
	if n, err := e.Store.CountOps(e.ctx, syncd.OpFilter{State: syncd.OpDone}); err != nil || n != 1 {
		t.Fatalf("count done = %d, %v; want 1", n, err)
	}
	if n, err := e.Store.CountOps(e.ctx, syncd.OpFilter{}); err != nil || n != 4 {
		t.Fatalf("count all = %d, %v; want 4", n, err)
	}

	// A dead letter, and a second target (an account moved to another CRM).
	deal := e.claim(e.Store, syncd.RecordContact, 1)
	deal[0].State, deal[0].LastError = syncd.OpDead, "rejected"
	if err := e.Store.FinishOps(e.ctx, deal); err != nil {
		t.Fatal(err)
	}
	ev := e.event(in, "lead-key-pd")
	ops := lead(ev, 3)
	for i := range ops {
		ops[i].Target = "pipedrive"
	}
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", ops); err != nil || n != 2 {
		t.Fatalf("record mapping: %d, %v", n, err)
	}
	ds, err = e.Store.OutboxDepths(e.ctx)
	if err != nil || len(ds) != 2 {
		t.Fatalf("depths with two targets = %+v, %v", ds, err)
	}
	if d := ds[0]; d.Target != "hubspot" || d.Pending != 2 || d.Done != 1 || d.Dead != 1 {
		t.Errorf("hubspot depth = %+v", d)
	}
	if d := ds[1]; d.Target != "pipedrive" || d.Pending != 2 || d.Done != 0 || d.Dead != 0 || !d.OldestPending.Equal(e.now()) {
		t.Errorf("pipedrive depth = %+v", d)
	}
}

func testState(t *testing.T, e *env) {
	until := e.now().Add(time.Hour)
	if p, err := e.Store.AdapterPause(e.ctx, "hubspot"); err != nil || !p.Until.IsZero() {
		t.Fatalf("pause before = %+v, %v", p, err)
	}
	set := syncd.Pause{Until: until, Kind: syncd.PauseToken, Reason: "token rejected"}
	if err := e.Store.SetAdapterPause(e.ctx, "hubspot", set); err != nil {
		t.Fatal(err)
	}
	other := e.instance().Store // every instance sees the pause
	if p, err := other.AdapterPause(e.ctx, "hubspot"); err != nil || !p.Until.Equal(until) || p.Kind != set.Kind || p.Reason != set.Reason {
		t.Fatalf("pause = %+v %v, want %+v", p, err, set)
	}
	e.Store.SetAdapterPause(e.ctx, "hubspot", syncd.Pause{})
	if p, _ := other.AdapterPause(e.ctx, "hubspot"); !p.Until.IsZero() {
		t.Fatalf("pause not lifted: %+v", p)
	}
	testLegacyPauses(t, e, until)
	if ok, err := e.Store.SetLastSyncDrained(e.ctx, "hubspot", until); err != nil || !ok {
		t.Fatalf("set last sync = %v, %v", ok, err)
	}
	if last, err := other.LastSync(e.ctx, "hubspot"); err != nil || !last.Equal(until) {
		t.Fatalf("last sync = %v, %v", last, err)
	}
	since := e.now().Add(-time.Hour)
	if err := e.Store.SetCRMFailing(e.ctx, "hubspot", since, until, "503 Service Unavailable"); err != nil {
		t.Fatal(err)
	}
	if s, u, why, err := other.CRMFailing(e.ctx, "hubspot"); err != nil || !s.Equal(since) || !u.Equal(until) || why != "503 Service Unavailable" {
		t.Fatalf("crm failing = %v until %v (%q), %v; want %v until %v (503)", s, u, why, err, since, until)
	}
	testCRMFailingKeepsTheFirst(t, e, other, since)
	if err := e.Store.SetCRMFailing(e.ctx, "hubspot", time.Time{}, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	if s, u, _, err := other.CRMFailing(e.ctx, "hubspot"); err != nil || !s.IsZero() || !u.IsZero() {
		t.Fatalf("crm failing after it answered = %v until %v, %v", s, u, err)
	}
	later := since.Add(30 * time.Minute) // a new outage begins anew
	if err := e.Store.SetCRMFailing(e.ctx, "hubspot", later, until, "no answer"); err != nil {
		t.Fatal(err)
	}
	if s, _, _, err := other.CRMFailing(e.ctx, "hubspot"); err != nil || !s.Equal(later) {
		t.Fatalf("crm failing anew after it answered = %v, %v; want %v", s, err, later)
	}
	if err := e.Store.SetCRMFailing(e.ctx, "hubspot", time.Time{}, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.Ping(e.ctx); err != nil {
		t.Fatal(err)
	}
}

// testCRMFailingKeepsTheFirst: a syncer that finds the CRM failing anew
// (each `syncd sync` run, another sync leader) records a later since than
// the one recorded; until a call goes through (the record cleared), the
// first is kept, with the new until and how the last call failed. Before, each run wrote its own, and
// status said the CRM had failed for minutes when it had for hours.
func testCRMFailingKeepsTheFirst(t *testing.T, e *env, other Store, since time.Time) {
	t.Helper()
	until := e.now().Add(2 * time.Hour)
	if err := e.Store.SetCRMFailing(e.ctx, "hubspot", since.Add(50*time.Minute), until, "429 Too Many Requests"); err != nil {
		t.Fatal(err)
	}
	if s, u, why, err := other.CRMFailing(e.ctx, "hubspot"); err != nil || !s.Equal(since) || !u.Equal(until) || why != "429 Too Many Requests" {
		t.Fatalf("crm failing found anew later = %v until %v (%q), %v; want the first, %v, until %v (429)", s, u, why, err, since, until)
	}
}

func testLinks(t *testing.T, e *env) {
	if id, err := e.Store.Link(e.ctx, "pipedrive", syncd.RecordDeal, "lead-1"); err != nil || id != "" {
		t.Fatalf("no link = %q, %v", id, err)
	}
	keys := make([]string, 0, 1200) // past SQLite's parameter chunk
	for i := range 1200 {
		k := fmt.Sprint("lead-", i)
		keys = append(keys, k)
		if i%100 == 0 {
			if err := e.Store.SetLink(e.ctx, "pipedrive", syncd.RecordDeal, k, fmt.Sprint(i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.Store.SetLink(e.ctx, "pipedrive", syncd.RecordDeal, "lead-0", "zero")
	got, err := e.Store.LinksFor(e.ctx, "pipedrive", syncd.RecordDeal, keys)
	if err != nil || len(got) != 12 || got["lead-0"] != "zero" || got["lead-1100"] != "1100" {
		t.Fatalf("links = %v, %v", got, err)
	}
	e.Store.SetLink(e.ctx, "pipedrive", syncd.RecordDeal, "lead-100", "")
	if id, _ := e.Store.Link(e.ctx, "pipedrive", syncd.RecordDeal, "lead-100"); id != "" {
		t.Fatalf("an empty id did not forget the link: %q", id)
	}
	if other, _ := e.Store.LinksFor(e.ctx, "hubspot", syncd.RecordDeal, keys); len(other) != 0 {
		t.Fatalf("links of another target: %v", other)
	}
	testLinksOfABatch(t, e)
}

// testLinksOfABatch: the links of a batch as the CRM adapters ask for them
// (syncd.BatchLinks): keys given twice, keys without a link, none at all,
// and the same keys linked for another kind or target, which are not
// returned.
func testLinksOfABatch(t *testing.T, e *env) {
	var b syncd.BatchLinks = e.Store // both stores read a batch's links at once
	set := func(target string, kind syncd.RecordKind, key, id string) {
		if err := b.SetLink(e.ctx, target, kind, key, id); err != nil {
			t.Fatal(err)
		}
	}
	set("hubspot", syncd.RecordContact, "a@example.com", "101")
	set("hubspot", syncd.RecordContact, "b@example.com", "102")
	set("hubspot", syncd.RecordDeal, "c@example.com", "deal-c")
	set("pipedrive", syncd.RecordContact, "c@example.com", "pd-c")
	keys := []string{"b@example.com", "none@example.com", "a@example.com", "b@example.com", "c@example.com", "", "O'Brien@example.com"}
	got, err := b.LinksFor(e.ctx, "hubspot", syncd.RecordContact, keys)
	want := map[string]string{"a@example.com": "101", "b@example.com": "102"}
	if err != nil || !maps.Equal(got, want) {
		t.Fatalf("links of a batch = %v, %v; want %v", got, err, want)
	}
	for _, none := range [][]string{nil, {}} {
		if got, err := b.LinksFor(e.ctx, "hubspot", syncd.RecordContact, none); err != nil || got == nil || len(got) != 0 {
			t.Fatalf("links of no keys (%#v) = %#v, %v; want an empty map", none, got, err)
		}
	}
}

// testRequeueContact: a contact the CRM lost is written again, its link
// forgotten, unless an operation on it is already pending.
func testRequeueContact(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	if c[0].KeyKind != syncd.KeyEmail {
		t.Fatalf("key kind not kept: %+v", c[0])
	}
	c[0].State, c[0].CRMID = syncd.OpDone, "c-1"
	e.Store.FinishOps(e.ctx, c)
	if ok, err := e.Store.RequeueContact(e.ctx, "hubspot", "lead1@example.com"); err != nil || !ok {
		t.Fatalf("requeue = %v, %v", ok, err)
	}
	op, _ := e.Store.GetOp(e.ctx, c[0].ID)
	if op.State != syncd.OpPending || op.CRMID != "" || op.LastError == "" {
		t.Fatalf("requeued op = %+v", op)
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, "lead1@example.com"); id != "" {
		t.Fatalf("link kept: %q", id)
	}
	if ok, _ := e.Store.RequeueContact(e.ctx, "hubspot", "lead1@example.com"); ok {
		t.Fatal("requeued while an operation on the contact is pending")
	}
	if ok, _ := e.Store.RequeueContact(e.ctx, "hubspot", "nobody@example.com"); ok {
		t.Fatal("requeued a contact never delivered")
	}
}

// testIntents: when a create was last sent, seen by every instance.
func testIntents(t *testing.T, e *env) {
	at := e.now()
	if got, err := e.Store.Intent(e.ctx, "pipedrive", syncd.RecordDeal, "lead-1"); err != nil || !got.IsZero() {
		t.Fatalf("no intent = %v, %v", got, err)
	}
	if err := e.Store.SetIntent(e.ctx, "pipedrive", syncd.RecordDeal, "lead-1", at); err != nil {
		t.Fatal(err)
	}
	other := e.instance().Store
	if got, _ := other.Intent(e.ctx, "pipedrive", syncd.RecordDeal, "lead-1"); !got.Equal(at) {
		t.Fatalf("intent = %v, want %v", got, at)
	}
	other.SetIntent(e.ctx, "pipedrive", syncd.RecordDeal, "lead-1", time.Time{})
	if got, _ := e.Store.Intent(e.ctx, "pipedrive", syncd.RecordDeal, "lead-1"); !got.IsZero() {
		t.Fatalf("intent not cleared: %v", got)
	}
}

// testLegacyPauses: a pause row a syncd before session 38 wrote kept no
// kind, only the reason, whose first words said it: each still reads as
// its kind (a row the upgrade carries over, or a store an older instance
// of a cluster writes to).
func testLegacyPauses(t *testing.T, e *env, until time.Time) {
	for _, c := range []struct {
		reason string
		kind   syncd.PauseKind
	}{
		{"authentication rejected: crm 401 INVALID_AUTHENTICATION: token expired", syncd.PauseToken},
		{"permission refused: crm 403 MISSING_SCOPES: crm.objects.deals.write", syncd.PausePermission},
		{"wrong CRM account: the token belongs to company 7, not to the pinned company 4242", syncd.PauseAccount},
		{"CRM address wrong: https://example.com answers, but not as Pipedrive's API", syncd.PauseAddress},
		{"daily limit reached: crm 429 DAILY_LIMIT: daily limit", syncd.PauseDailyLimit},
		{"daily limit reached: crm 429 DAILY_BUDGET: token budget spent", syncd.PauseDailyBudget},
		{"CRM configuration: property syncd_lead_id: missing; run `syncd crm check` (resumes by itself once the check passes)", syncd.PauseConfig},
		{"CRM configuration: HubSpot requires dealstage; `syncd crm check` cannot see which properties HubSpot requires: syncd tries a lead again as the pause ends (every 15 minutes) and resumes once the CRM takes it", syncd.PauseConfigUnseen},
		{"CRM check failing: deals lack syncd_lead_id; run `syncd crm check`", syncd.PauseCheck},
		{"token rejected", ""},
	} {
		v := `{"until":"` + syncd.FormatTime(until) + `","reason":` + strconv.Quote(c.reason) + `}`
		if err := e.Store.SetStateValue(e.ctx, "adapter_pause:hubspot", v); err != nil {
			t.Fatal(err)
		}
		if p, err := e.Store.AdapterPause(e.ctx, "hubspot"); err != nil || p.Kind != c.kind || p.Reason != c.reason || p.Until.IsZero() {
			t.Errorf("a pause row without its kind, reason %q, reads as %+v, %v; want kind %q", c.reason, p, err, c.kind)
		}
	}
	e.Store.SetAdapterPause(e.ctx, "hubspot", syncd.Pause{})
}
