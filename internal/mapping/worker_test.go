package mapping_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeFixture stores a fixture body through the real intake, as the
// receiver would, and returns its event id.
func storeFixture(t *testing.T, in *sqlite.Intake, kind syncd.Kind, source, path string, mutate func([]byte) []byte) int64 {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		body = mutate(body)
	}
	ev, err := mapping.EventFromBody(kind, source, "", body)
	if err != nil {
		t.Fatal(err)
	}
	parse := syncd.ParseStrict
	var payload []byte
	if !bytes.Equal(ev.Payload, body) {
		parse, payload = syncd.ParseLenient, ev.Payload
	}
	rc, err := in.Store(context.Background(), syncd.Incoming{Source: source, Kind: kind, Type: ev.Type, Key: ev.Key,
		Body: body, Payload: payload, Parse: parse, ReceivedAt: time.Now()})
	if err != nil || rc.Outcome != syncd.Accepted {
		t.Fatalf("store: %+v, %v", rc, err)
	}
	return rc.ID
}

func openStore(t *testing.T) (*sqlite.DB, *sqlite.Intake) {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
}

// openStoreAt opens the store at path with opts, its intake running.
func openStoreAt(t *testing.T, path string, opts sqlite.Options) (*sqlite.DB, *sqlite.Intake) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, path, opts)
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; db.Close() })
	return db, in
}

const fixtures = "../../testdata/webhooks"

func TestWorkerMapsPendingEvents(t *testing.T) {
	db, in := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	var nudged atomic.Int64
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.Nop(),
		Interval: time.Hour, OnEnqueued: func(n int) { nudged.Add(int64(n)) }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error)
	go func() { stopped <- w.Run(ctx) }()

	lead := storeFixture(t, in, syncd.KindLokalebasen, "lb", fixtures+"/lokalebasen/enquiry_created.json", nil)
	feed := storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/feed_import.json", nil)
	noContact := storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", func(b []byte) []byte {
		b = bytes.Replace(b, []byte(`"77722226661727188822717"`), []byte(`"1"`), 1)
		b = bytes.Replace(b, []byte(`"support@estateagentfeeds.com"`), []byte(`""`), 1)
		return bytes.Replace(b, []byte(`"+44(0)20 3870 4550"`), []byte(`null`), 1)
	})
	w.Nudge() // the interval is an hour: only the nudge can map them
	waitFor(t, func() bool {
		ev, _ := db.Event(context.Background(), noContact)
		return ev.MapState != syncd.MapPending
	})
	want := map[int64]syncd.MapState{lead: syncd.MapMapped, feed: syncd.MapIgnored, noContact: syncd.MapUnmappable}
	for id, st := range want {
		ev, err := db.Event(context.Background(), id)
		if err != nil || ev.MapState != st {
			t.Errorf("event %d: %s %q, %v; want %s", id, ev.MapState, ev.MapError, err, st)
		}
	}
	if ev, _ := db.Event(context.Background(), noContact); ev.MapError != `rule "eaf-email-lead": contact has no email and no phone` {
		t.Errorf("unmappable reason %q", ev.MapError)
	}
	ops, err := opsOfEvent(context.Background(), db, lead)
	if err != nil || len(ops) != 2 || ops[0].Kind != syncd.RecordContact || ops[1].ContactKey != ops[0].Key ||
		ops[0].MappingFile != "hubspot/lokalebasen.yaml" || len(ops[1].MappingHash) != 64 {
		t.Fatalf("ops = %+v, %v", ops, err)
	}
	// OnEnqueued is called once the pass has committed, so after the
	// states read above: wait for it (read at once, it failed a full run
	// under load with 0).
	deadline := time.Now().Add(5 * time.Second)
	for nudged.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if nudged.Load() != 2 {
		t.Errorf("OnEnqueued saw %d ops, want 2", nudged.Load())
	}

	// SetRules applies to events mapped from then on, not to mapped ones.
	other, err := mapping.Load("../../mappings/pipedrive", "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	w.SetRules(other)
	second := storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", nil)
	w.Nudge()
	waitFor(t, func() bool { ev, _ := db.Event(context.Background(), second); return ev.MapState == syncd.MapMapped })
	if ops, _ := opsOfEvent(context.Background(), db, second); len(ops) != 2 || ops[0].Target != "pipedrive" {
		t.Errorf("after SetRules: %+v", ops)
	}
	if ops, _ := opsOfEvent(context.Background(), db, lead); len(ops) != 2 || ops[0].Target != "hubspot" {
		t.Errorf("earlier event changed: %+v", ops)
	}
	cancel()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestReplay(t *testing.T) {
	ctx := context.Background()
	db, in := openStore(t)
	broken, err := mapping.Parse("hubspot/eaf.yaml", []byte(`rules:
  - name: lead
    source: eaf
    event: email_lead
    contact:
      email: eaf_reference
    deal:
      dealname: eaf_reference
`), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	lead := storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", nil)
	storeFixture(t, in, syncd.KindLokalebasen, "lb", fixtures+"/lokalebasen/enquiry_created.json", nil)
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: broken, Log: zerolog.Nop()})
	if sum, err := w.RunOnce(ctx); err != nil || sum.Events != 2 || sum.ByState[syncd.MapUnmappable] != 1 {
		t.Fatalf("first pass: %+v, %v", sum, err)
	}

	// Dry run: says what would change, writes nothing.
	var changes []mapping.ReplayChange
	onChange := func(ch mapping.ReplayChange) { changes = append(changes, ch) }
	sum, err := mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{Source: "eaf", DryRun: true, OnChange: onChange})
	if err != nil || sum.Events != 1 || sum.Changed != 1 || sum.NewOps != 2 || sum.Enqueued != 0 {
		t.Fatalf("dry run: %+v, %v", sum, err)
	}
	if len(changes) != 1 || changes[0].Event.MapState != syncd.MapUnmappable || changes[0].Result.State != syncd.MapMapped ||
		len(changes[0].Fresh) != 2 || changes[0].Fresh[0].Key != "support@estateagentfeeds.com" ||
		changes[0].Fresh[1].Key != "eaf:eaf:77722226661727188822717" {
		t.Errorf("dry-run changes: %+v", changes)
	}
	if ev, _ := db.Event(ctx, lead); ev.MapState != syncd.MapUnmappable {
		t.Fatalf("dry run changed the event: %s", ev.MapState)
	}
	if ops, _ := opsOfEvent(ctx, db, lead); len(ops) != 0 {
		t.Fatalf("dry run enqueued: %+v", ops)
	}

	// For real, then again: the second replay enqueues nothing.
	sum, err = mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{})
	// the eaf lead was unmappable, the Lokalebasen one ignored (no rule)
	if err != nil || sum.Events != 2 || sum.Changed != 2 || sum.Enqueued != 4 {
		t.Fatalf("replay: %+v, %v", sum, err)
	}
	if ev, _ := db.Event(ctx, lead); ev.MapState != syncd.MapMapped || ev.MapError != "" {
		t.Fatalf("after replay: %s %q", ev.MapState, ev.MapError)
	}
	sum, err = mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{})
	if err != nil || sum.Changed != 0 || sum.Unchanged != 2 || sum.Enqueued != 0 {
		t.Fatalf("second replay: %+v, %v", sum, err)
	}
	sum, err = mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{Since: time.Now().Add(time.Hour)})
	if err != nil || sum.Events != 0 {
		t.Fatalf("replay since the future: %+v, %v", sum, err)
	}
}

func TestExplain(t *testing.T) {
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(fixtures + "/lokalebasen/enquiry_created.json")
	e, err := mapping.ExplainBody(rules, syncd.KindLokalebasen, "lb", "", body)
	if err != nil {
		t.Fatal(err)
	}
	res := e.Result
	if res.State != syncd.MapMapped || res.Rule != "lokalebasen-enquiry" || len(res.Ops) != 2 ||
		res.Ops[0].Key != "angela7913@hotmail.com" || res.Ops[0].Properties["phone"] != "+4552250559" ||
		!strings.HasPrefix(res.Ops[1].Key, "lb:sha256:") || res.Ops[1].ContactKey != "angela7913@hotmail.com" ||
		res.Ops[1].Properties["dealname"] != "Lokalebasen EJ-593915GV: Angela Baker" || e.Target != "hubspot" {
		t.Errorf("explanation: %+v", e)
	}
	if _, err := mapping.ExplainBody(rules, syncd.KindEAF, "eaf", "", []byte("{not json")); err == nil {
		t.Error("explain of garbage: no error")
	}
}

// TestReplaySharedContactIsNotNew: two leads from one person share one
// contact operation in the outbox; a replay after both were mapped finds
// nothing new for either.
func TestReplaySharedContactIsNotNew(t *testing.T) {
	ctx := context.Background()
	db, in := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", nil)
	storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", func(b []byte) []byte {
		return bytes.Replace(b, []byte(`"77722226661727188822717"`), []byte(`"2"`), 1) // another lead, same person
	})
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.Nop()})
	if sum, err := w.RunOnce(ctx); err != nil || sum.Events != 2 {
		t.Fatalf("map: %+v %v", sum, err)
	}
	sum, err := mapping.Replay(ctx, db, rules, mapping.ReplayOptions{DryRun: true})
	if err != nil || sum.NewOps != 0 || sum.Changed != 0 || sum.Unchanged != 2 {
		t.Fatalf("replay of two leads sharing a contact: %+v %v", sum, err)
	}
}

// TestExplainSaysWhatIntakeWouldNotMap: `syncd map` on a body posted to the
// wrong kind of source says it is unrecognised (and maps nothing), and on
// an event type its sender does not document, that it is a new type.
func TestExplainSaysWhatIntakeWouldNotMap(t *testing.T) {
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(fixtures + "/lokalebasen/enquiry_created.json")
	e, err := mapping.ExplainBody(rules, syncd.KindEAF, "eaf", "", body)
	if err != nil {
		t.Fatal(err)
	}
	if e.Result.State != syncd.MapUnrecognised || !strings.Contains(e.Result.Reason, "looks like a lokalebasen body") || len(e.Result.Ops) != 0 {
		t.Errorf("misrouted body: %+v", e.Result)
	}
	e, err = mapping.ExplainBody(rules, syncd.KindLokalebasen, "lb", "", []byte(`{"event_type":"location_rented"}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.NewType == "" || e.Result.State != syncd.MapIgnored {
		t.Errorf("new type: %+v", e)
	}
}

// opsOfEvent returns the outbox ops made from one event, in id order, read
// through ListOps as `syncd outbox list` does.
func opsOfEvent(ctx context.Context, db *sqlite.DB, eventID int64) ([]syncd.Op, error) {
	all, err := db.ListOps(ctx, sqlite.OpFilter{Limit: -1})
	var ops []syncd.Op
	for _, op := range all {
		if op.EventID == eventID {
			ops = append(ops, op)
		}
	}
	return ops, err
}

// TestReplayLeavesALeadDealtWith: a lead unmappable until the mapping was
// fixed, recorded as dealt with by a person (syncd events done: entered in
// the CRM by hand), was mapped by the replay after the fix like any other
// and sent to the CRM, where it then was twice. The replay leaves it, and
// says which it left.
func TestReplayLeavesALeadDealtWith(t *testing.T) {
	ctx := context.Background()
	db, in := openStore(t)
	broken, err := mapping.Parse("hubspot/eaf.yaml", []byte(`rules:
  - name: lead
    source: eaf
    event: email_lead
    contact:
      email: eaf_reference
`), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	byHand := storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", nil)
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: broken, Log: zerolog.Nop()})
	if sum, err := w.RunOnce(ctx); err != nil || sum.ByState[syncd.MapUnmappable] != 1 {
		t.Fatalf("first pass: %+v, %v", sum, err)
	}
	if _, err := db.DealtWith(ctx, byHand); err != nil {
		t.Fatal(err)
	}
	sum, err := mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{})
	if ev, _ := db.Event(ctx, byHand); err != nil || ev.MapState != syncd.MapUnmappable {
		t.Fatalf("replay: %+v, %v; the lead dealt with by hand is %s, want left unmappable", sum, err, ev.MapState)
	}
	if ops, _ := opsOfEvent(ctx, db, byHand); len(ops) != 0 {
		t.Fatalf("replay enqueued the lead dealt with by hand: %+v", ops)
	}
	if len(sum.DealtWith) != 1 || sum.DealtWith[0] != byHand || sum.Unchanged != 1 || sum.Changed != 0 {
		t.Fatalf("replay: %+v; want lead %d left as dealt with, unchanged", sum, byHand)
	}
}

// gatherCount counts the transactions a worker records mappings in, and
// the looks for pending events it has finished.
type gatherCount struct {
	*sqlite.DB
	calls, looked atomic.Int64
}

func (g *gatherCount) PendingEvents(ctx context.Context, after int64, limit int) ([]syncd.Event, error) {
	defer g.looked.Add(1)
	return g.DB.PendingEvents(ctx, after, limit)
}

func (g *gatherCount) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	g.calls.Add(1)
	return g.DB.RecordMappings(ctx, ms)
}

// TestWorkerGathersNudgesIntoOnePass: under steady intake each commit
// nudges the worker, which mapped the few events of each in its own
// transaction. With Gather it waits after a nudge, and the events stored
// meanwhile are recorded in one.
func TestWorkerGathersNudgesIntoOnePass(t *testing.T) {
	db, in := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	store := &gatherCount{DB: db}
	w := mapping.NewWorker(mapping.WorkerOptions{Store: store, Rules: rules, Log: zerolog.Nop(),
		Interval: time.Hour, Gather: 2 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	waitFor(t, func() bool { return store.looked.Load() > 0 }) // the pass at start, which finds nothing
	var ids []int64
	for i := range 3 {
		ids = append(ids, storeFixture(t, in, syncd.KindLokalebasen, "lb", fixtures+"/lokalebasen/enquiry_created.json", func(b []byte) []byte {
			return bytes.Replace(b, []byte("angela7913@hotmail.com"), []byte(fmt.Sprintf("gather%d@example.com", i)), 1)
		}))
		w.Nudge()
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(t, func() bool {
		ev, _ := db.Event(context.Background(), ids[2])
		return ev.MapState == syncd.MapMapped
	})
	if n := store.calls.Load(); n != 1 {
		t.Errorf("3 events stored and nudged 100 ms apart recorded in %d transactions, want 1", n)
	}
}
