package report_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// The tests fill the store through the paths production takes: events
// and quarantined bodies come in through the intake, mappings are recorded
// as the mapper records them and operations finished as the syncer
// finishes them, with the store's clock set to the time each step happened.

func openDB(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

const tsFormat = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(tsFormat) }

// fixture reads a webhook fixture from testdata/webhooks.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// event is one row for the events table.
type event struct {
	kind, typ, source string
	body              []byte
	at                time.Time
	mapState          string
	mapError          string
}

// insertEvent stores e through the intake (a body that needs the lenient
// parse, trailing commas, gets its standardised JSON in payload) and
// records its mapping state unless it is pending.
func insertEvent(t testing.TB, db *sqlite.DB, e event) int64 {
	t.Helper()
	inc := syncd.Incoming{Source: cmp.Or(e.source, e.kind), Kind: syncd.Kind(e.kind), Type: e.typ,
		Body: e.body, Parse: syncd.ParseStrict, ReceivedAt: e.at}
	if !json.Valid(e.body) {
		std, err := hujson.Standardize(append([]byte(nil), e.body...))
		if err != nil {
			t.Fatal(err)
		}
		inc.Payload, inc.Parse = std, syncd.ParseLenient
	}
	id := store(t, db, e.at, inc)
	if state := syncd.MapState(cmp.Or(e.mapState, "mapped")); state != syncd.MapPending {
		at(db, e.at, func() {
			if _, err := db.RecordMapping(context.Background(), id, state, e.mapError, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	return id
}

// store stores inc through an intake of its own, at time at, and returns
// the event or quarantine id. The key is made unique.
func store(t testing.TB, db *sqlite.DB, when time.Time, inc syncd.Incoming) int64 {
	t.Helper()
	var r syncd.Receipt
	at(db, when, func() {
		ctx, cancel := context.WithCancel(context.Background())
		in := db.NewIntake(sqlite.IntakeOptions{})
		done := make(chan struct{})
		go func() { in.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		n, err := db.CountEvents(ctx, sqlite.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		inc.Key = fmt.Sprintf("k:%s:%d", ts(when), n)
		if r, err = in.Store(ctx, inc); err != nil || r.Outcome == syncd.Duplicate {
			t.Fatalf("store = %+v, %v", r, err)
		}
	})
	return r.ID
}

// at runs fn with the store's clock stopped at when.
func at(db *sqlite.DB, when time.Time, fn func()) {
	now := db.Now
	db.Now = func() time.Time { return when }
	defer func() { db.Now = now }()
	fn()
}

// op is one outbox operation of an event.
type op struct {
	kind, state, crmID, lastError string
	at                            time.Time // when it was enqueued and finished
	props                         string    // the properties sent; "{}" when ""
	mapNote                       string    // the mapping's note of a field it left out (map_error); "" for none
	target                        string    // the CRM adapter; "hubspot" when ""
}

// insertOp enqueues o as the mapper does and records its outcome (state,
// CRM id, error; one attempt) as the syncer does, both at o.at.
func insertOp(t testing.TB, db *sqlite.DB, eventID int64, o op) int64 {
	t.Helper()
	ctx := context.Background()
	var props map[string]string
	if err := json.Unmarshal([]byte(cmp.Or(o.props, "{}")), &props); err != nil {
		t.Fatal(err)
	}
	add := syncd.Op{EventID: eventID, Target: cmp.Or(o.target, "hubspot"), Kind: syncd.RecordKind(o.kind),
		Key: fmt.Sprintf("%s%s%s:%d", o.kind, ts(o.at), o.crmID, eventID), Properties: props,
		MappingFile: "m.yaml", MappingHash: "h"}
	var id int64
	at(db, o.at, func() {
		if n, err := db.RecordMapping(ctx, eventID, syncd.MapMapped, o.mapNote, []syncd.Op{add}); err != nil || n != 1 {
			t.Fatalf("enqueue = %d, %v", n, err)
		}
		last, err := db.ListOps(ctx, sqlite.OpFilter{Newest: true, Limit: 1})
		if err != nil || len(last) != 1 {
			t.Fatalf("enqueued op = %v, %v", last, err)
		}
		done := last[0]
		done.State, done.Attempts, done.NextAttemptAt = syncd.OpState(o.state), 1, o.at
		done.CRMID, done.LastError = o.crmID, o.lastError
		if err := db.FinishOps(ctx, []syncd.Op{done}); err != nil {
			t.Fatal(err)
		}
		id = done.ID
	})
	return id
}

// insertQuarantine stores a body that does not parse through the intake.
func insertQuarantine(t testing.TB, db *sqlite.DB, when time.Time, reason string) int64 {
	t.Helper()
	return store(t, db, when, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Body: []byte(`{"eaf_type": `),
		Quarantine: true, Reason: reason, ReceivedAt: when})
}

// with returns body (standardised first) with the values at dotted paths
// set; a nil value deletes the key.
func with(t testing.TB, body []byte, kv ...any) []byte {
	t.Helper()
	std, err := hujson.Standardize(append([]byte(nil), body...))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(std, &m); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(kv); i += 2 {
		keys := strings.Split(kv[i].(string), ".")
		obj := m
		for _, k := range keys[:len(keys)-1] {
			obj = obj[k].(map[string]any)
		}
		if kv[i+1] == nil {
			delete(obj, keys[len(keys)-1])
		} else {
			obj[keys[len(keys)-1]] = kv[i+1]
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
