package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// memCRM is a small in-memory CRM: idempotent upserts on email and lead id,
// with a hook that fails chosen records.
type memCRM struct {
	mu       sync.Mutex
	contacts map[string]string // email -> id
	deals    map[string]string // lead id -> contact id
	order    []string          // "contact:key" / "deal:key" in delivery order
	calls    int
	batches  []int
	fail     func(kind syncd.RecordKind, key string) error
}

func newMemCRM() *memCRM {
	return &memCRM{contacts: map[string]string{}, deals: map[string]string{}}
}

func (m *memCRM) Name() string { return "mem" }

func (m *memCRM) UpsertContacts(ctx context.Context, cs []syncd.Contact) []syncd.Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.batches = append(m.batches, len(cs))
	out := make([]syncd.Result, len(cs))
	for i, c := range cs {
		if m.fail != nil {
			if err := m.fail(syncd.RecordContact, c.Key); err != nil {
				out[i].Err = err
				continue
			}
		}
		id, ok := m.contacts[c.Email]
		if !ok {
			id = fmt.Sprint("c", len(m.contacts)+1)
			m.contacts[c.Email] = id
		}
		m.order = append(m.order, "contact:"+c.Key)
		out[i].ID = id
	}
	return out
}

func (m *memCRM) UpsertDeals(ctx context.Context, ds []syncd.Deal) []syncd.Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.batches = append(m.batches, len(ds))
	out := make([]syncd.Result, len(ds))
	for i, d := range ds {
		if m.fail != nil {
			if err := m.fail(syncd.RecordDeal, d.LeadID); err != nil {
				out[i].Err = err
				continue
			}
		}
		m.deals[d.LeadID] = d.ContactID
		m.order = append(m.order, "deal:"+d.LeadID)
		out[i].ID = "d-" + d.LeadID
	}
	return out
}

func TestRunOnceContactsThenDeals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	enqueueLeads(t, db, "mem", 0, 250)
	var progress []int
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) {
		o.Progress = func(n int) { progress = append(progress, n) }
	})
	sum, err := s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(progress) != "[100 100 50 100 100 50]" || !sum.Clean() {
		t.Fatalf("progress %v; clean %v", progress, sum.Clean())
	}
	if sum.Done != 500 || sum.Claimed != 500 || sum.Dead != 0 || sum.Calls != 6 {
		t.Fatalf("summary = %+v; want 500 done in 6 calls", sum)
	}
	if fmt.Sprint(crm.batches) != "[100 100 50 100 100 50]" {
		t.Fatalf("batches = %v", crm.batches)
	}
	for i := range 250 {
		cid := crm.contacts[email(i)]
		if cid == "" || crm.deals[leadID(i)] != cid {
			t.Fatalf("lead %d: contact %q, deal's contact %q", i, cid, crm.deals[leadID(i)])
		}
	}
	ops := allOps(t, db)
	for _, op := range ops {
		if op.State != syncd.OpDone || op.CRMID == "" || op.Attempts != 1 {
			t.Fatalf("op = %+v", op)
		}
	}
	if id, _ := db.Link(ctx, "mem", syncd.RecordDeal, leadID(7)); id != "d-"+leadID(7) {
		t.Fatalf("deal link = %q", id)
	}
	if last, err := db.LastSync(ctx, "mem"); err != nil || !last.Equal(clk.Now()) {
		t.Fatalf("last sync = %v, %v", last, err)
	}
	// Nothing is due any more: a second run makes no call.
	if sum, err := s.RunOnce(ctx); err != nil || sum.Calls != 0 {
		t.Fatalf("second run = %+v, %v", sum, err)
	}
}

func TestRetryBackoffThenDead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	// A 500 (which the record may cause) to this record alone; a 503 of
	// a whole call is the CRM's, and uses up no attempt.
	unavailable := &syncd.CRMError{Status: 500, Message: "internal error", Class: syncd.ErrRetry, RetryAfter: 20 * time.Second}
	crm.fail = func(kind syncd.RecordKind, key string) error {
		if key == email(1) {
			return unavailable
		}
		return nil
	}
	enqueueLeads(t, db, "mem", 0, 3)
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) { o.MaxAttempts = 3 })
	sum, err := s.RunOnce(ctx)
	if err != nil || sum.Retried != 1 || sum.Done != 4 {
		t.Fatalf("run 1 = %+v, %v", sum, err)
	}
	ops := opsOfLead(t, db, 1)
	c := ops[0]
	// Retry-After (20s) beats the back-off of attempt 1 (0.5-1s).
	if c.State != syncd.OpPending || c.Attempts != 1 || c.NextAttemptAt.Before(clk.Now().Add(20*time.Second)) ||
		!strings.Contains(c.LastError, "500") {
		t.Fatalf("retried contact = %+v", c)
	}
	if ops[1].State != syncd.OpPending || ops[1].Attempts != 0 {
		t.Fatalf("deal of a retried contact = %+v; want untouched", ops[1])
	}
	// Not due yet: no call.
	if sum, _ := s.RunOnce(ctx); sum.Calls != 0 {
		t.Fatalf("early run = %+v", sum)
	}
	// Attempts 2 and 3 are calls of that one contact alone: failures of
	// the whole call, which also cool the syncer down; the third attempt is
	// the last. A later run dead-letters the deal of the dead contact.
	for range 3 {
		clk.Advance(3 * time.Minute)
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ops = opsOfLead(t, db, 1)
	if ops[0].State != syncd.OpDead || ops[0].Attempts != 3 || !strings.HasPrefix(ops[0].LastError, "gave up after 3 attempts: crm 500") {
		t.Fatalf("contact after 3 attempts = %+v", ops[0])
	}
	if ops[1].State != syncd.OpDead || ops[1].DeadCause != syncd.DeadNoContact {
		t.Fatalf("deal of the dead contact = %+v", ops[1])
	}
	// The CRM recovers; retrying the dead contact revives its deal too.
	crm.fail = nil
	if _, err := db.RetryDeadOp(ctx, ops[0].ID); err != nil {
		t.Fatal(err)
	}
	if sum, err := s.RunOnce(ctx); err != nil || sum.Done != 2 {
		t.Fatalf("after retry = %+v, %v", sum, err)
	}
	if crm.deals[leadID(1)] != crm.contacts[email(1)] || crm.deals[leadID(1)] == "" {
		t.Fatalf("lead 1 not delivered: %v", crm.deals)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	crm.fail = func(kind syncd.RecordKind, key string) error {
		if key == email(0) {
			return errors.New("connection reset")
		}
		return nil
	}
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) {
		o.MaxAttempts, o.RetryBase, o.RetryMax = 20, 10*time.Second, 2*time.Minute
		o.Jitter = func(time.Duration) time.Duration { return 0 } // lower bound of the jitter
	})
	// Each round a new lead shares the batch with the failing contact, so
	// the call as a whole succeeds and the failure is the record's own.
	var waits []time.Duration
	enqueueLeads(t, db, "mem", 0, 1)
	for round := range 6 {
		enqueueLeads(t, db, "mem", round+1, round+2)
		start := clk.Now()
		if sum, err := s.RunOnce(ctx); err != nil || !sum.CoolingUntil.IsZero() {
			t.Fatalf("round %d = %+v, %v", round, sum, err)
		}
		op, _ := db.GetOp(ctx, 1)
		if op.Attempts != round+1 {
			t.Fatalf("round %d: attempts %d", round, op.Attempts)
		}
		waits = append(waits, op.NextAttemptAt.Sub(start))
		clk.Advance(op.NextAttemptAt.Sub(start))
	}
	want := "[5s 10s 20s 40s 1m0s 1m0s]" // half of 10s, 20s, 40s, 80s, then capped at 2m
	if fmt.Sprint(waits) != want {
		t.Fatalf("waits = %v, want %s", waits, want)
	}
}

func TestOutageCoolsDownAndKeepsOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	down := &syncd.CRMError{Status: 503, Message: "service unavailable", Class: syncd.ErrRetry}
	crm.fail = func(syncd.RecordKind, string) error { return down }
	enqueueLeads(t, db, "mem", 0, 250)
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) {
		o.MaxAttempts, o.RetryBase, o.RetryMax = 50, 10*time.Second, time.Minute
		o.Jitter = func(time.Duration) time.Duration { return 0 }
	})
	// A cron tick every 5 s for 10 minutes of outage: one call per run
	// that is let through, with the cool-down growing to its cap.
	var cools []time.Duration
	for range 120 {
		sum, err := s.RunOnce(ctx)
		if err != nil || sum.Dead != 0 {
			t.Fatalf("run during outage = %+v, %v", sum, err)
		}
		if sum.Calls > 1 {
			t.Fatalf("%d calls into an outage in one run", sum.Calls)
		}
		if sum.Calls == 1 {
			cools = append(cools, sum.CoolingUntil.Sub(clk.Now()))
		}
		clk.Advance(5 * time.Second)
	}
	if got := fmt.Sprint(cools[:5]); got != "[5s 10s 20s 30s 30s]" {
		t.Fatalf("cool-downs = %v", cools)
	}
	// Only the oldest batch was tried; nothing else has lost its place,
	// and the outage used up none of its attempts.
	if op, _ := db.GetOp(ctx, 1); op.Attempts != 0 || !strings.Contains(op.LastError, "503") {
		t.Fatalf("oldest op = %+v after %d calls", op, len(cools))
	}
	// The batch claimed ahead while each call was in flight was handed
	// back with its attempt uncounted and no lease.
	if op, _ := db.GetOp(ctx, 201); op.Kind != syncd.RecordContact || op.Attempts != 0 || !op.LeaseUntil.IsZero() {
		t.Fatalf("op claimed ahead = %+v", op)
	}
	crm.fail = nil
	clk.Advance(time.Minute)
	sum, err := s.RunOnce(ctx)
	if err != nil || sum.Done != 500 {
		t.Fatalf("after recovery = %+v, %v", sum, err)
	}
	// Delivered in order: every contact in lead order, then every deal.
	for i := range 250 {
		if crm.order[i] != "contact:"+email(i) || crm.order[250+i] != "deal:"+leadID(i) {
			t.Fatalf("delivery %d = %q / %q", i, crm.order[i], crm.order[250+i])
		}
	}
}

func TestPermanentDeadLettersOnlyThatOp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	crm.fail = func(kind syncd.RecordKind, key string) error {
		if kind == syncd.RecordDeal && key == leadID(2) {
			return &syncd.CRMError{Status: 400, Code: "INVALID_OPTION", Message: "stage is not valid", Class: syncd.ErrPermanent}
		}
		return nil
	}
	enqueueLeads(t, db, "mem", 0, 5)
	s := newSyncer(t, db, crm, clk, nil)
	sum, err := s.RunOnce(ctx)
	if err != nil || sum.Dead != 1 || sum.Done != 9 {
		t.Fatalf("summary = %+v, %v", sum, err)
	}
	dead, _ := db.ListOps(ctx, sqlite.OpFilter{State: syncd.OpDead})
	if len(dead) != 1 || dead[0].Key != leadID(2) || dead[0].LastError != "crm 400 INVALID_OPTION: stage is not valid" {
		t.Fatalf("dead = %+v", dead)
	}
}

func TestAuthPausesAdapter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	crm.fail = func(syncd.RecordKind, string) error {
		return &syncd.CRMError{Status: 401, Code: "INVALID_AUTHENTICATION", Message: "expired", Class: syncd.ErrAuth}
	}
	enqueueLeads(t, db, "mem", 0, 150)
	s := newSyncer(t, db, crm, clk, func(o *syncer.Options) { o.AuthPause = 10 * time.Minute })
	sum, err := s.RunOnce(ctx)
	// Released: the 100 of the call, and the 50 claimed while it was in flight.
	if err != nil || sum.Calls != 1 || sum.Dead != 0 || sum.Released != 150 || sum.PausedUntil.IsZero() || sum.Clean() {
		t.Fatalf("summary = %+v, %v; want one call, nothing dead, paused", sum, err)
	}
	p, err := db.AdapterPause(ctx, "mem")
	if err != nil || !p.Until.Equal(clk.Now().Add(10*time.Minute)) || !strings.Contains(p.Reason, "401") || p.Kind != syncd.PauseToken {
		t.Fatalf("AdapterPause = %+v %v", p, err)
	}
	until := p.Until
	// The pause is persisted: a new syncer (a restart) stays paused too.
	s2 := newSyncer(t, db, crm, clk, nil)
	if sum, err := s2.RunOnce(ctx); err != nil || sum.Calls != 0 || !sum.PausedUntil.Equal(until) {
		t.Fatalf("restarted run = %+v, %v", sum, err)
	}
	for _, op := range allOps(t, db) {
		if op.State != syncd.OpPending || op.Attempts != 0 {
			t.Fatalf("op after auth failure = %+v; want pending, attempt not counted", op)
		}
	}
	// The token is fixed and the operator resumes: everything goes out.
	crm.fail = nil
	if err := s.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	sum, err = s.RunOnce(ctx)
	if err != nil || sum.Done != 300 || !sum.PausedUntil.IsZero() {
		t.Fatalf("after pause = %+v, %v", sum, err)
	}
	if p, _ := db.AdapterPause(ctx, "mem"); !p.Until.IsZero() {
		t.Fatalf("persisted pause not lifted: %+v", p)
	}
}

func TestDailyLimitPausesUntilRetryAfter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	crm.fail = func(kind syncd.RecordKind, key string) error {
		if kind == syncd.RecordDeal {
			return &syncd.CRMError{Status: 429, Code: "DAILY", Message: "daily limit", Class: syncd.ErrDailyLimit, RetryAfter: 3 * time.Hour}
		}
		return nil
	}
	enqueueLeads(t, db, "mem", 0, 10)
	s := newSyncer(t, db, crm, clk, nil)
	sum, err := s.RunOnce(ctx)
	if err != nil || sum.Done != 10 || sum.Released != 10 || !sum.PausedUntil.Equal(clk.Now().Add(3*time.Hour)) {
		t.Fatalf("summary = %+v, %v", sum, err)
	}
	if h := syncer.ResumeHint(sum.PauseKind); !strings.Contains(h, "resumes by itself") || strings.Contains(h, "-resume") {
		t.Errorf("a daily limit's pause is told %q", h)
	}
	crm.fail = nil
	clk.Advance(2 * time.Hour)
	if sum, _ := s.RunOnce(ctx); sum.Calls != 0 {
		t.Fatalf("ran while paused: %+v", sum)
	}
	clk.Advance(time.Hour)
	if sum, err := s.RunOnce(ctx); err != nil || sum.Done != 10 {
		t.Fatalf("after reset = %+v, %v", sum, err)
	}
}

func TestRunNudgeAndStop(t *testing.T) {
	t.Parallel()
	db := openDB(t, nil)
	crm := newMemCRM()
	s := newSyncer(t, db, crm, nil, func(o *syncer.Options) { o.Schedule = "@every 1h"; o.NudgeDelay = 20 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	// The start-up run finds nothing; new ops and a nudge bring a prompt run.
	enqueueLeads(t, db, "mem", 0, 20)
	s.Nudge()
	s.Nudge()
	deadline := time.Now().Add(10 * time.Second)
	for countStates(allOps(t, db))[syncd.OpDone] != 40 {
		if time.Now().After(deadline) {
			t.Fatalf("not delivered after a nudge: %v", countStates(allOps(t, db)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	db := openDB(t, nil)
	for name, o := range map[string]syncer.Options{
		"no crm":   {Store: db},
		"schedule": {Store: db, CRM: newMemCRM(), Schedule: "every minute"},
		"lease":    {Store: db, CRM: newMemCRM(), Lease: time.Minute, CallTimeout: 2 * time.Minute},
	} {
		if _, err := syncer.New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
}

// TestRunLogsWhatARunDid reads the info line a run with work logs, as an
// operator reads it in the journal: its counts, and a pause only when there
// is one.
func TestRunLogsWhatARunDid(t *testing.T) {
	t.Parallel()
	db := openDB(t, nil)
	var logs bytes.Buffer // read once Run has returned
	s := newSyncer(t, db, newMemCRM(), nil, func(o *syncer.Options) {
		o.Schedule, o.NudgeDelay = "@every 1h", 10*time.Millisecond
		o.Log = zerolog.New(zerolog.SyncWriter(&logs)).Level(zerolog.InfoLevel)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	enqueueLeads(t, db, "mem", 0, 2)
	s.Nudge()
	for deadline := time.Now().Add(10 * time.Second); countStates(allOps(t, db))[syncd.OpDone] != 4; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not delivered: %v", countStates(allOps(t, db)))
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	var runs []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["message"] == "sync run" {
			runs = append(runs, m)
		}
	}
	if len(runs) == 0 {
		t.Fatalf("no sync run logged at info: %s", logs.String())
	}
	claimed := 0.0
	for _, m := range runs {
		claimed += m["claimed"].(float64)
		if _, ok := m["paused_until"]; ok {
			t.Errorf("a run without a pause logs paused_until: %v", m)
		}
	}
	if claimed != 4 {
		t.Errorf("runs logged %v claimed, want 4: %v", claimed, runs)
	}
}
