package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// opTestEvent stores a bare event (outbox rows reference events) through
// the intake, as a delivery is stored, and returns its id.
func opTestEvent(t testing.TB, db *sqlite.DB) int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := db.NewIntake(sqlite.IntakeOptions{})
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	n, err := db.CountEvents(ctx, sqlite.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := in.Store(ctx, syncd.Incoming{Source: "test", Kind: syncd.KindEAF, Type: "portal_submission",
		Key: fmt.Sprintf("test:%d", n), Body: []byte("{}"), Parse: syncd.ParseStrict,
		ReceivedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || r.Outcome != syncd.Accepted {
		t.Fatalf("store event = %+v, %v", r, err)
	}
	return r.ID
}

// opTestLead returns the contact and deal ops of one lead.
func opTestLead(eventID int64, target string, i int) []syncd.Op {
	email := fmt.Sprintf("lead%d@example.com", i)
	return []syncd.Op{
		{EventID: eventID, Target: target, Kind: syncd.RecordContact, Key: email,
			Properties:  map[string]string{"email": email, "firstname": fmt.Sprint("Lead ", i)},
			MappingFile: "eaf.yaml", MappingHash: "h1"},
		{EventID: eventID, Target: target, Kind: syncd.RecordDeal, Key: fmt.Sprintf("lead-%d", i), ContactKey: email,
			Properties:  map[string]string{"dealname": fmt.Sprint("Deal ", i), "syncd_lead_id": fmt.Sprintf("lead-%d", i)},
			MappingFile: "eaf.yaml", MappingHash: "h1"},
	}
}

func TestEnqueueOpsOnceAndOpsForEvent(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ev := opTestEvent(t, db)
	ops := opTestLead(ev, "hubspot", 1)
	n, err := opTestEnqueue(ctx, db, ops)
	if err != nil || n != 2 {
		t.Fatalf("EnqueueOps = %d, %v; want 2", n, err)
	}
	// The same records again are skipped; changed properties are a new op.
	n, err = opTestEnqueue(ctx, db, ops)
	if err != nil || n != 0 {
		t.Fatalf("EnqueueOps again = %d, %v; want 0", n, err)
	}
	changed := opTestLead(ev, "hubspot", 1)[:1]
	changed[0].Properties["firstname"] = "Renamed"
	if n, err = opTestEnqueue(ctx, db, changed); err != nil || n != 1 {
		t.Fatalf("EnqueueOps changed = %d, %v; want 1", n, err)
	}
	got, err := opTestOfEvent(ctx, db, ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("OpsForEvent: %d ops, want 3", len(got))
	}
	d := got[1]
	if d.Kind != syncd.RecordDeal || d.Key != "lead-1" || d.ContactKey != "lead1@example.com" ||
		d.State != syncd.OpPending || d.Properties["syncd_lead_id"] != "lead-1" || d.NextAttemptAt.IsZero() ||
		d.MappingFile != "eaf.yaml" || d.Target != "hubspot" || d.EventID != ev {
		t.Fatalf("deal op = %+v", d)
	}
	if got[2].Properties["firstname"] != "Renamed" {
		t.Fatalf("changed op = %+v", got[2])
	}
	if other, err := opTestOfEvent(ctx, db, ev+1000); err != nil || len(other) != 0 {
		t.Fatalf("OpsForEvent(unknown) = %v, %v", other, err)
	}
}

// opTestClock is a settable clock for db.Now.
type opTestClock struct{ t time.Time }

func (c *opTestClock) Now() time.Time          { return c.t }
func (c *opTestClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func opTestDB(t *testing.T) (*sqlite.DB, *opTestClock) {
	db := openTest(t)
	clk := &opTestClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = clk.Now
	return db, clk
}

func opIDs(ops []syncd.Op) []int64 {
	ids := make([]int64, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	return ids
}

func TestClaimLeaseExpiry(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	ev := opTestEvent(t, db)
	var ops []syncd.Op
	for i := range 5 {
		ops = append(ops, opTestLead(ev, "hubspot", i)[0])
	}
	ops = append(ops, opTestLead(ev, "pipedrive", 9)[0])
	if _, err := opTestEnqueue(ctx, db, ops); err != nil {
		t.Fatal(err)
	}
	got, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 3, time.Minute)
	if err != nil || len(got) != 3 {
		t.Fatalf("claim = %v, %v; want 3", opIDs(got), err)
	}
	for _, op := range got {
		if op.Attempts != 1 || !op.LeaseUntil.Equal(clk.Now().Add(time.Minute)) || op.Target != "hubspot" {
			t.Fatalf("claimed op = %+v", op)
		}
	}
	rest, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(rest) != 2 {
		t.Fatalf("second claim = %v, %v; want the 2 unleased", opIDs(rest), err)
	}
	if none, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute); len(none) != 0 {
		t.Fatalf("claimed leased ops %v", opIDs(none))
	}
	// The process "dies": nothing is finished. Once the lease has run out
	// the ops are claimable again, and the crash counted as an attempt.
	clk.Advance(time.Minute)
	again, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(again) != 5 {
		t.Fatalf("after lease = %v, %v; want 5", opIDs(again), err)
	}
	if again[0].Attempts != 2 || again[0].ID > again[1].ID {
		t.Fatalf("reclaimed = %+v", again[0])
	}
	pd, err := db.FinishAndClaimOps(ctx, nil, "pipedrive", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(pd) != 1 {
		t.Fatalf("pipedrive claim = %v, %v", opIDs(pd), err)
	}
}

func TestClaimContactBeforeDeal(t *testing.T) {
	ctx := context.Background()
	db, _ := opTestDB(t)
	ev := opTestEvent(t, db)
	lead := opTestLead(ev, "hubspot", 1)
	if _, err := opTestEnqueue(ctx, db, lead); err != nil {
		t.Fatal(err)
	}
	if deals, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute); len(deals) != 0 {
		t.Fatalf("deal claimed before its contact: %v", opIDs(deals))
	}
	contacts, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(contacts) != 1 {
		t.Fatalf("contacts = %v, %v", opIDs(contacts), err)
	}
	// Still leased, still pending: the deal waits.
	if deals, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute); len(deals) != 0 {
		t.Fatalf("deal claimed while its contact is in flight: %v", opIDs(deals))
	}
	if err := opTestComplete(ctx, db, contacts[0].ID, "c-51"); err != nil {
		t.Fatal(err)
	}
	if id, err := db.Link(ctx, "hubspot", syncd.RecordContact, "lead1@example.com"); err != nil || id != "c-51" {
		t.Fatalf("contact link = %q, %v", id, err)
	}
	deals, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(deals) != 1 || deals[0].Key != "lead-1" {
		t.Fatalf("deals = %v, %v", deals, err)
	}
	// Later updates of the same contact come together, in order.
	upd := opTestLead(ev, "hubspot", 1)[:1]
	upd[0].Properties["firstname"] = "Second"
	upd2 := opTestLead(ev, "hubspot", 1)[:1]
	upd2[0].Properties["firstname"] = "Third"
	if _, err := opTestEnqueue(ctx, db, append(upd, upd2...)); err != nil {
		t.Fatal(err)
	}
	c, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(c) != 2 || c[0].Properties["firstname"] != "Second" || c[1].Properties["firstname"] != "Third" {
		t.Fatalf("claim of two updates = %+v, %v; want both, the older first", c, err)
	}
}

func TestRetryDeadAndRevive(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	ev := opTestEvent(t, db)
	if _, err := opTestEnqueue(ctx, db, append(opTestLead(ev, "hubspot", 1), opTestLead(ev, "hubspot", 2)...)); err != nil {
		t.Fatal(err)
	}
	c, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if len(c) != 2 {
		t.Fatalf("claimed %d contacts", len(c))
	}
	next := clk.Now().Add(5 * time.Minute)
	c[0].LastError, c[0].NextAttemptAt = "crm 503: unavailable", next
	c[1].State, c[1].LastError = syncd.OpDead, "crm 400 VALIDATION_ERROR: bad email"
	if err := db.FinishOps(ctx, c); err != nil {
		t.Fatal(err)
	}
	// A dead letter is not finished again: a late result leaves it as it is.
	twice := c[1]
	twice.LastError = "twice"
	if err := db.FinishOps(ctx, []syncd.Op{twice}); err != nil {
		t.Fatal(err)
	}
	if op, err := db.GetOp(ctx, c[1].ID); err != nil || op.State != syncd.OpDead || op.LastError != c[1].LastError {
		t.Fatalf("dead op finished again = %+v, %v", op, err)
	}
	// The retried op is not due before next, and then it is.
	if got, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute); len(got) != 0 {
		t.Fatalf("claimed before next attempt: %v", opIDs(got))
	}
	clk.Advance(5 * time.Minute)
	got, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if len(got) != 1 || got[0].ID != c[0].ID || got[0].Attempts != 2 || got[0].LastError != "crm 503: unavailable" {
		t.Fatalf("after back-off = %+v", got)
	}
	// The deal of the dead contact is claimable (nothing pending for its
	// contact); the syncer dead-letters it for lack of a contact id.
	d, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if len(d) != 1 || d[0].ContactKey != "lead2@example.com" {
		t.Fatalf("deals = %+v", d)
	}
	d[0].State, d[0].LastError, d[0].DeadCause = syncd.OpDead, "contact not in CRM: contact op is dead", syncd.DeadNoContact
	if err := db.FinishOps(ctx, d); err != nil {
		t.Fatal(err)
	}
	dead, err := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpDead})
	if err != nil || len(dead) != 2 {
		t.Fatalf("dead = %v, %v", opIDs(dead), err)
	}
	depth, err := db.OutboxDepths(ctx)
	if err != nil || len(depth) != 1 || depth[0].Pending != 2 || depth[0].Dead != 2 || depth[0].Done != 0 ||
		depth[0].OldestPending.IsZero() {
		t.Fatalf("depths = %+v, %v", depth, err)
	}
	// Retrying the dead contact revives its deal too, due now, attempts reset.
	if _, err := db.RetryDeadOp(ctx, c[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RetryDeadOp(ctx, c[1].ID); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("retry of a pending op: %v", err)
	}
	if dead, _ := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpDead}); len(dead) != 0 {
		t.Fatalf("still dead: %+v", dead)
	}
	op, err := db.GetOp(ctx, d[0].ID)
	if err != nil || op.State != syncd.OpPending || op.Attempts != 0 || !op.NextAttemptAt.Equal(clk.Now()) {
		t.Fatalf("revived deal = %+v, %v", op, err)
	}
	if _, err := db.GetOp(ctx, 99999); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("GetOp(unknown) = %v", err)
	}
}

func TestRetryAllDeadAndList(t *testing.T) {
	ctx := context.Background()
	db, _ := opTestDB(t)
	ev := opTestEvent(t, db)
	var ops []syncd.Op
	for i := range 4 {
		ops = append(ops, opTestLead(ev, "hubspot", i)[0], opTestLead(ev, "pipedrive", i)[0])
	}
	if _, err := opTestEnqueue(ctx, db, ops); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"hubspot", "pipedrive"} {
		c, _ := db.FinishAndClaimOps(ctx, nil, target, syncd.RecordContact, 10, time.Minute)
		for i := range c {
			c[i].State, c[i].LastError = syncd.OpDead, "gave up"
		}
		if err := db.FinishOps(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	page, err := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpDead, Target: "pipedrive", Limit: 3})
	if err != nil || len(page) != 3 || page[0].Target != "pipedrive" {
		t.Fatalf("page 1 = %v, %v", opIDs(page), err)
	}
	page2, _ := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpDead, Target: "pipedrive", AfterID: page[2].ID})
	if len(page2) != 1 || page2[0].ID <= page[2].ID {
		t.Fatalf("page 2 = %v", opIDs(page2))
	}
	n, _, _, err := db.RetryAllDeadOps(ctx, "hubspot")
	if err != nil || n != 4 {
		t.Fatalf("RetryAllDeadOps(hubspot) = %d, %v", n, err)
	}
	if n, _, _, err = db.RetryAllDeadOps(ctx, ""); err != nil || n != 4 {
		t.Fatalf("RetryAllDeadOps() = %d, %v", n, err)
	}
	if pending, _ := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpPending}); len(pending) != 8 {
		t.Fatalf("pending = %d", len(pending))
	}
}

func TestLinksAndState(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	var links syncd.Links = db
	if id, err := links.Link(ctx, "pipedrive", syncd.RecordDeal, "lead-1"); err != nil || id != "" {
		t.Fatalf("unset link = %q, %v", id, err)
	}
	for _, id := range []string{"7", "8"} {
		if err := links.SetLink(ctx, "pipedrive", syncd.RecordDeal, "lead-1", id); err != nil {
			t.Fatal(err)
		}
	}
	if id, _ := links.Link(ctx, "pipedrive", syncd.RecordDeal, "lead-1"); id != "8" {
		t.Fatalf("link = %q, want the latest", id)
	}
	if id, _ := links.Link(ctx, "hubspot", syncd.RecordDeal, "lead-1"); id != "" {
		t.Fatalf("link leaked across targets: %q", id)
	}
	until := clk.Now().Add(time.Hour)
	if err := db.SetAdapterPause(ctx, "hubspot", syncd.Pause{Until: until, Kind: syncd.PauseToken, Reason: "crm 401: expired token"}); err != nil {
		t.Fatal(err)
	}
	p, err := db.AdapterPause(ctx, "hubspot")
	if err != nil || !p.Until.Equal(until) || p.Reason != "crm 401: expired token" || p.Kind != syncd.PauseToken {
		t.Fatalf("pause = %+v %v", p, err)
	}
	if p, _ := db.AdapterPause(ctx, "pipedrive"); !p.Until.IsZero() {
		t.Fatalf("pipedrive paused: %+v", p)
	}
	if err := db.SetAdapterPause(ctx, "hubspot", syncd.Pause{}); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.AdapterPause(ctx, "hubspot"); !p.Until.IsZero() {
		t.Fatalf("pause not lifted: %+v", p)
	}
	if err := db.SetLastSync(ctx, "hubspot", clk.Now()); err != nil {
		t.Fatal(err)
	}
	if last, err := db.LastSync(ctx, "hubspot"); err != nil || !last.Equal(clk.Now()) {
		t.Fatalf("last sync = %v, %v", last, err)
	}
}

func TestFinishOpsSkipsOpsFinishedElsewhere(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	ev := opTestEvent(t, db)
	if _, err := opTestEnqueue(ctx, db, append(opTestLead(ev, "hubspot", 1)[:1], opTestLead(ev, "hubspot", 2)[:1]...)); err != nil {
		t.Fatal(err)
	}
	slow, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	// The lease runs out; another run claims and completes the first op.
	clk.Advance(time.Minute)
	fast, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 1, time.Minute)
	if len(fast) != 1 || opTestComplete(ctx, db, fast[0].ID, "c-fast") != nil {
		t.Fatalf("fast run claimed %v", opIDs(fast))
	}
	for i := range slow {
		slow[i].State, slow[i].CRMID = syncd.OpDone, fmt.Sprint("c-slow-", i)
	}
	if err := db.FinishOps(ctx, slow); err != nil {
		t.Fatal(err)
	}
	a, _ := db.GetOp(ctx, slow[0].ID)
	b, _ := db.GetOp(ctx, slow[1].ID)
	if a.CRMID != "c-fast" || b.State != syncd.OpDone || b.CRMID != "c-slow-1" {
		t.Fatalf("ops = %+v / %+v", a, b)
	}
}

func TestDealWaitsForContactEnqueuedAfterIt(t *testing.T) {
	ctx := context.Background()
	db, _ := opTestDB(t)
	ev := opTestEvent(t, db)
	lead := opTestLead(ev, "hubspot", 1)
	if _, err := opTestEnqueue(ctx, db, []syncd.Op{lead[1], lead[0]}); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute); len(d) != 0 {
		t.Fatalf("deal claimed while its (younger) contact op is pending: %v", opIDs(d))
	}
}
