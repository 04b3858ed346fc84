package report_test

import (
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// The tests insert rows with plain SQL, as the intake, mapper and syncer
// would leave them, so that they depend on the schema only.

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

// insertEvent stores e as the intake would: a body that needs the lenient
// parse (trailing commas) gets its standardised JSON in payload.
func insertEvent(t testing.TB, db *sqlite.DB, e event) int64 {
	t.Helper()
	var payload any
	parse := "strict"
	if !json.Valid(e.body) {
		std, err := hujson.Standardize(append([]byte(nil), e.body...))
		if err != nil {
			t.Fatal(err)
		}
		payload, parse = string(std), "lenient"
	}
	if e.mapState == "" {
		e.mapState = "mapped"
	}
	if e.source == "" {
		e.source = e.kind
	}
	res, err := db.W.Exec(`INSERT INTO events (source, kind, type, idem_key, body, payload, parse, received_at,
		last_delivery_at, map_state, map_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.source, e.kind, e.typ, "k:"+ts(e.at)+string(e.body[:8]), e.body, payload, parse, ts(e.at), ts(e.at),
		e.mapState, e.mapError)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

// op is one outbox row of an event.
type op struct {
	kind, state, crmID, lastError string
	at                            time.Time // updated_at
	props                         string    // the properties sent; "{}" when ""
}

func insertOp(t testing.TB, db *sqlite.DB, eventID int64, o op) int64 {
	t.Helper()
	res, err := db.W.Exec(`INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file,
		mapping_hash, state, attempts, next_attempt_at, last_error, crm_id, created_at, updated_at)
		VALUES (?, 'hubspot', ?, ?, ?, ?, 'm.yaml', 'h', ?, 1, ?, ?, ?, ?, ?)`,
		eventID, o.kind, o.kind+ts(o.at)+o.crmID, cmp.Or(o.props, "{}"), o.state+o.lastError, o.state, ts(o.at), o.lastError, o.crmID,
		ts(o.at), ts(o.at))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func insertQuarantine(t testing.TB, db *sqlite.DB, at time.Time, reason string) int64 {
	t.Helper()
	res, err := db.W.Exec(`INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at)
		VALUES ('eaf', 'eaf', ?, 'sha', ?, ?, ?)`, []byte(`{"eaf_type": `), reason, ts(at), ts(at))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
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
