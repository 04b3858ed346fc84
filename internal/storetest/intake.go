package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

const window = 14 * 24 * time.Hour

func testIntakeDuplicates(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	if err := in.Ready(e.ctx); err != nil {
		t.Fatalf("ready: %v", err)
	}
	first := e.event(in, "k1")
	e.advance(time.Minute)
	rec, err := in.Store(e.ctx, incoming("k1"))
	if err != nil || rec.Outcome != syncd.Duplicate || rec.ID != first {
		t.Fatalf("second delivery = %+v, %v; want duplicate of %d", rec, err, first)
	}
	other := incoming("k1")
	other.Source = "lb2" // keys are per source
	if rec, err := in.Store(e.ctx, other); err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("same key, other source = %+v, %v", rec, err)
	}
	ev, err := e.Store.Event(e.ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Deliveries != 2 || !ev.LastDeliveryAt.After(ev.ReceivedAt) || ev.Key != "k1" ||
		ev.MapState != syncd.MapPending || string(ev.Payload) != string(ev.Body) || ev.RemoteAddr != "192.0.2.1" {
		t.Fatalf("event = %+v", ev)
	}
	if !ev.ReceivedAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("received at %v", ev.ReceivedAt)
	}
}

// testIntakeIDsWithoutGaps: retried deliveries use no event id. On
// PostgreSQL each retry took a number of the events' sequence, so a sender
// retrying three times made ids 1, 4, 7: an operator reading events list
// or the ids in the senders' answers saw events missing that never were.
func testIntakeIDsWithoutGaps(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	first := e.event(in, "k1")
	for range 3 {
		e.advance(time.Second)
		if rec, err := in.Store(e.ctx, incoming("k1")); err != nil || rec.Outcome != syncd.Duplicate {
			t.Fatalf("a retry = %+v, %v; want a duplicate", rec, err)
		}
	}
	if next := e.event(in, "k2"); next != first+1 {
		t.Fatalf("the event after %d and three retries of it is %d, want %d", first, next, first+1)
	}
}

func testIntakeWindow(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, time.Hour)
	first := e.event(in, "k1")
	e.advance(2 * time.Hour)
	rec, err := in.Store(e.ctx, incoming("k1"))
	if err != nil || rec.Outcome != syncd.Accepted || rec.ID == first {
		t.Fatalf("after the window = %+v, %v; want a new event", rec, err)
	}
	e.advance(time.Minute)
	again, err := in.Store(e.ctx, incoming("k1"))
	if err != nil || again.Outcome != syncd.Duplicate || again.ID != rec.ID {
		t.Fatalf("within the new window = %+v, %v; want duplicate of %d", again, err, rec.ID)
	}
}

func testIntakeQuarantine(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	bad := syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "abc123", Body: []byte("{not json"),
		Quarantine: true, Reason: "invalid JSON", RemoteAddr: "192.0.2.2"}
	r1, err := in.Store(e.ctx, bad)
	if err != nil || r1.Outcome != syncd.Quarantined {
		t.Fatalf("quarantine = %+v, %v", r1, err)
	}
	r2, err := in.Store(e.ctx, bad)
	if err != nil || r2 != r1 {
		t.Fatalf("again = %+v, %v; want %+v", r2, err, r1)
	}
	qs, err := e.Store.Quarantined(e.ctx, syncd.EventFilter{})
	if err != nil || len(qs) != 1 {
		t.Fatalf("quarantined = %+v, %v", qs, err)
	}
	q := qs[0]
	if q.Deliveries != 2 || string(q.Body) != "{not json" || q.SHA256 != "abc123" || q.Reason != "invalid JSON" ||
		q.Kind != syncd.KindEAF || q.ResolvedEvent != 0 {
		t.Fatalf("quarantined = %+v", q)
	}
	if evs, _ := e.Store.Events(e.ctx, syncd.EventFilter{}); len(evs) != 0 {
		t.Fatalf("a quarantined body made events: %+v", evs)
	}
	if one, err := e.Store.QuarantinedBody(e.ctx, q.ID); err != nil || one.ID != q.ID || one.Deliveries != 2 {
		t.Fatalf("quarantined body %d = %+v, %v", q.ID, one, err)
	}
	if _, err := e.Store.QuarantinedBody(e.ctx, q.ID+10); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("unknown quarantined body: %v", err)
	}
	later, _ := e.Store.Quarantined(e.ctx, syncd.EventFilter{Since: e.now().Add(time.Second)})
	if len(later) != 0 {
		t.Fatalf("since filter: %+v", later)
	}
	testQuarantineListing(t, e, in, q.ID)
}

// testQuarantineListing checks what `events list -quarantined` asks for:
// one source's bodies, newest first, a page at a time, and their count.
func testQuarantineListing(t *testing.T, e *env, in Intake, first int64) {
	ids := []int64{first}
	for i, src := range []string{"lb", "eaf", "lb", "eaf"} {
		r, err := in.Store(e.ctx, syncd.Incoming{Source: src, Kind: syncd.KindEAF, Key: fmt.Sprint("q", i),
			Body: []byte(fmt.Sprint("{bad ", i)), Quarantine: true, Reason: "invalid JSON"})
		if err != nil {
			t.Fatal(err)
		}
		if src == "eaf" {
			ids = append(ids, r.ID)
		}
	}
	f := syncd.EventFilter{Source: "eaf", Newest: true, Limit: 2}
	page, err := e.Store.Quarantined(e.ctx, f)
	if err != nil || len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[1] {
		t.Fatalf("newest 2 eaf bodies = %+v, %v; want %d, %d", page, err, ids[2], ids[1])
	}
	f.BeforeID = page[1].ID
	rest, err := e.Store.Quarantined(e.ctx, f)
	if err != nil || len(rest) != 1 || rest[0].ID != ids[0] {
		t.Fatalf("the page after = %+v, %v; want %d", rest, err, ids[0])
	}
	if n, err := e.Store.CountQuarantined(e.ctx, syncd.EventFilter{Source: "eaf", Limit: 1}); n != 3 || err != nil {
		t.Fatalf("eaf bodies counted %d, %v; want 3", n, err)
	}
}

// testIntakeTwoInstances posts the same deliveries through two instances
// at once: each key is stored once, every delivery answered with its id.
func testIntakeTwoInstances(t *testing.T, e *env) {
	a := e.runIntake(e.Handle, window)
	b := e.runIntake(e.instance(), window)
	const keys, each = 40, 3
	ids := make([][]int64, keys)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for k := range keys {
		for j := range each * 2 {
			in := a
			if j%2 == 1 {
				in = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec, err := in.Store(e.ctx, incoming(fmt.Sprint("key-", k)))
				if err != nil {
					t.Errorf("store: %v", err)
					return
				}
				mu.Lock()
				ids[k] = append(ids[k], rec.ID)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	evs, err := e.Store.Events(e.ctx, syncd.EventFilter{})
	if err != nil || len(evs) != keys {
		t.Fatalf("%d events, %v; want %d", len(evs), err, keys)
	}
	for k, got := range ids {
		for _, id := range got {
			if id != got[0] {
				t.Fatalf("key %d answered with ids %v", k, got)
			}
		}
	}
	total := 0
	for _, ev := range evs {
		total += ev.Deliveries
	}
	if total != keys*each*2 {
		t.Fatalf("deliveries counted %d, want %d", total, keys*each*2)
	}
}

// testIntakeStop: deliveries queued when the writer stops are committed
// and answered; later ones are refused as unavailable.
func testIntakeStop(t *testing.T, e *env) {
	in := e.NewIntake(window)
	ctx, cancel := context.WithCancel(e.ctx)
	recs := make(chan error, 10)
	for i := range 10 {
		go func() {
			_, err := in.Store(e.ctx, incoming(fmt.Sprint("s", i)))
			recs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	in.Run(ctx) // stopped already: it drains what is queued and returns
	queued := 0
	for range 10 {
		select {
		case err := <-recs:
			if err != nil {
				t.Fatalf("queued delivery: %v", err)
			}
			queued++
		case <-time.After(5 * time.Second):
			t.Fatalf("%d of 10 answered", queued)
		}
	}
	if _, err := in.Store(e.ctx, incoming("late")); syncd.ErrorCode(err) != syncd.EUnavailable {
		t.Fatalf("after stop: %v, want unavailable", err)
	}
	if evs, _ := e.Store.Events(e.ctx, syncd.EventFilter{}); len(evs) != 10 {
		t.Fatalf("%d events stored, want 10", len(evs))
	}
}

// testIntakeCallerGivesUp: a delivery whose sender hung up before the
// writer answered gets the context's error, not a receipt: the sender
// retries.
func testIntakeCallerGivesUp(t *testing.T, e *env) {
	in := e.NewIntake(window) // its writer not running: no answer comes
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	if rec, err := in.Store(ctx, incoming("gone")); !errors.Is(err, context.Canceled) {
		t.Fatalf("store after the sender hung up = %+v, %v; want the context's error", rec, err)
	}
}

func testEventsFilter(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	a := e.event(in, "a")
	e.advance(time.Hour)
	b := e.event(in, "b")
	eaf := incoming("c")
	eaf.Source, eaf.Kind, eaf.Payload, eaf.Parse = "eaf", syncd.KindEAF, []byte(`{"x":1}`), syncd.ParseLenient
	eaf.Body = []byte(`{"x":1,}`)
	rec, _ := in.Store(e.ctx, eaf)
	check := func(f syncd.EventFilter, want ...int64) {
		t.Helper()
		evs, err := e.Store.Events(e.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, ev := range evs {
			got = append(got, ev.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Events(%+v) = %v, want %v", f, got, want)
		}
	}
	check(syncd.EventFilter{}, a, b, rec.ID)
	check(syncd.EventFilter{Source: "lb"}, a, b)
	check(syncd.EventFilter{Kind: syncd.KindEAF}, rec.ID)
	check(syncd.EventFilter{Since: e.now()}, b, rec.ID)
	check(syncd.EventFilter{Until: e.now()}, a)
	check(syncd.EventFilter{AfterID: a, Limit: 1}, b)
	check(syncd.EventFilter{Newest: true, Limit: 2}, rec.ID, b)
	check(syncd.EventFilter{Newest: true, BeforeID: rec.ID, Limit: 1}, b)
	if n, err := e.Store.CountEvents(e.ctx, syncd.EventFilter{BeforeID: rec.ID}); err != nil || n != 2 {
		t.Fatalf("count events before %d = %d, %v; want 2", rec.ID, n, err)
	}
	if n, err := e.Store.CountEvents(e.ctx, syncd.EventFilter{Source: "lb", Limit: 1}); err != nil || n != 2 {
		t.Fatalf("count lb events = %d, %v; want 2 (the limit ignored)", n, err)
	}
	ev, _ := e.Store.Event(e.ctx, rec.ID)
	if string(ev.Payload) != `{"x":1}` || string(ev.Body) != `{"x":1,}` || ev.Parse != syncd.ParseLenient {
		t.Fatalf("lenient event = %+v", ev)
	}
	if _, err := e.Store.Event(e.ctx, rec.ID+100); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("unknown event: %v", err)
	}
	if pend, _ := e.Store.PendingEvents(e.ctx, a, 10); len(pend) != 2 {
		t.Fatalf("pending after %d: %+v", a, pend)
	}
	if rep, _ := e.Store.ReplayEvents(e.ctx, e.now(), "lb", 0, 10); len(rep) != 1 || rep[0].ID != b {
		t.Fatalf("replay events: %+v", rep)
	}
}

func testRepair(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	bad := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "sha", Body: []byte("{bad"),
		Quarantine: true, Reason: "invalid JSON"}
	q, _ := in.Store(e.ctx, bad)
	e.advance(time.Hour)
	fixed := incoming("fixed")
	fixed.Source, fixed.Kind = "", ""
	rec, err := e.Store.RepairQuarantined(e.ctx, q.ID, fixed, window)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("repair = %+v, %v", rec, err)
	}
	ev, _ := e.Store.Event(e.ctx, rec.ID)
	if ev.Source != "lb" || !ev.ReceivedAt.Equal(e.now().Add(-time.Hour)) || ev.MapState != syncd.MapPending {
		t.Fatalf("repaired event = %+v", ev)
	}
	qs, _ := e.Store.Quarantined(e.ctx, syncd.EventFilter{})
	if len(qs) != 1 || qs[0].ResolvedEvent != rec.ID {
		t.Fatalf("quarantine after repair = %+v", qs)
	}
	if _, err := e.Store.RepairQuarantined(e.ctx, q.ID, fixed, window); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("second repair: %v", err)
	}
	if _, err := e.Store.RepairQuarantined(e.ctx, q.ID+50, fixed, window); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("unknown repair: %v", err)
	}
	if dup, err := in.Store(e.ctx, incoming("fixed")); err != nil || dup.ID != rec.ID {
		t.Fatalf("the repaired body delivered again = %+v, %v; want duplicate of %d", dup, err, rec.ID)
	}
}
