package mapping_test

import (
	"bytes"
	"context"
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
	ctx, cancel := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
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
	var out strings.Builder
	sum, err := mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{Source: "eaf", DryRun: true}, &out)
	if err != nil || sum.Events != 1 || sum.Changed != 1 || sum.NewOps != 2 || sum.Enqueued != 0 {
		t.Fatalf("dry run: %+v, %v", sum, err)
	}
	for _, want := range []string{"unmappable -> mapped", "+ contact support@estateagentfeeds.com", "+ deal eaf:eaf:77722226661727188822717"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out.String())
		}
	}
	if ev, _ := db.Event(ctx, lead); ev.MapState != syncd.MapUnmappable {
		t.Fatalf("dry run changed the event: %s", ev.MapState)
	}
	if ops, _ := opsOfEvent(ctx, db, lead); len(ops) != 0 {
		t.Fatalf("dry run enqueued: %+v", ops)
	}

	// For real, then again: the second replay enqueues nothing.
	out.Reset()
	sum, err = mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{}, &out)
	// the eaf lead was unmappable, the Lokalebasen one ignored (no rule)
	if err != nil || sum.Events != 2 || sum.Changed != 2 || sum.Enqueued != 4 {
		t.Fatalf("replay: %+v, %v\n%s", sum, err, out.String())
	}
	if ev, _ := db.Event(ctx, lead); ev.MapState != syncd.MapMapped || ev.MapError != "" {
		t.Fatalf("after replay: %s %q", ev.MapState, ev.MapError)
	}
	out.Reset()
	sum, err = mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{}, &out)
	if err != nil || sum.Changed != 0 || sum.Unchanged != 2 || sum.Enqueued != 0 {
		t.Fatalf("second replay: %+v, %v\n%s", sum, err, out.String())
	}
	sum, err = mapping.Replay(ctx, db, fixed, mapping.ReplayOptions{Since: time.Now().Add(time.Hour)}, &out)
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
	var out strings.Builder
	if err := mapping.ExplainBody(rules, syncd.KindLokalebasen, "lb", "", body, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"state: mapped", "rule: lokalebasen-enquiry", "contact angela7913@hotmail.com [hubspot/lokalebasen.yaml",
		"  phone: +4552250559", "deal lb:sha256:", "(contact angela7913@hotmail.com)", "  dealname: Lokalebasen EJ-593915GV: Angela Baker"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if err := mapping.ExplainBody(rules, syncd.KindEAF, "eaf", "", []byte("{not json"), &out); err == nil {
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
	var out strings.Builder
	sum, err := mapping.Replay(ctx, db, rules, mapping.ReplayOptions{DryRun: true}, &out)
	if err != nil || sum.NewOps != 0 || sum.Changed != 0 || sum.Unchanged != 2 {
		t.Fatalf("replay of two leads sharing a contact: %+v %v\n%s", sum, err, out.String())
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
	var out strings.Builder
	if err := mapping.ExplainBody(rules, syncd.KindEAF, "eaf", "", body, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "state: unrecognised") || !strings.Contains(s, "looks like a lokalebasen body") || strings.Contains(s, "contact ") {
		t.Errorf("misrouted body:\n%s", s)
	}
	out.Reset()
	if err := mapping.ExplainBody(rules, syncd.KindLokalebasen, "lb", "", []byte(`{"event_type":"location_rented"}`), &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "new event type location_rented") {
		t.Errorf("new type:\n%s", s)
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
