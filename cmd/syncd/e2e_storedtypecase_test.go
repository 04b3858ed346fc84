package main_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
)

// TestStoredLeadsOfATypeInAnotherCaseAreMapped: an EAF lead whose
// eaf_type was written "Email_Lead" or "email_lead " was stored by an
// older syncd as a type of its own (keyed by its body's hash), which no
// rule maps: ignored, "no rule for eaf Email_Lead", never sent to the CRM.
// Intake now reads such a type as the documented one, but the leads stored
// before were still left: syncd replay mapped none of them. The upgrade's
// migration (0019) now stores their type as the documented one, so a
// replay sends them; a type spelt otherwise ("email-lead") is still none
// of the sender's. Their keys stay the body's hash they were stored with:
// the lead id of their deal, which a syncd that mapped them before the
// upgrade gave the CRM, so a replay after it makes no second deal.
func TestStoredLeadsOfATypeInAnotherCaseAreMapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeConfig(t, dir)
	path := filepath.Join(dir, "data", "syncd.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	raw := sqlitetest.AtSchema(t, path, 18) // as the syncd before the types' migration left it
	sample, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[int]string{}
	for id, typ := range map[int]string{1: "Email_Lead", 2: "email_lead ", 3: "email-lead"} {
		body := strings.Replace(string(sample), `"eaf_type": "email_lead"`, `"eaf_type": "`+typ+`"`, 1)
		body = strings.Replace(body, "77722226661727188822717", "7772222666172718882271"+string(rune('0'+id)), 1)
		sum := sha256.Sum256([]byte(body))
		keys[id] = "sha256:" + hex.EncodeToString(sum[:])
		if _, err := raw.Exec(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at,
			map_state, map_error, mapped_at) VALUES (?, 'eaf', 'eaf', ?, ?, ?, 'strict', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z',
			'ignored', ?, '2026-12-01T10:00:01Z')`, id, typ, keys[id], []byte(body), "no rule for eaf "+typ); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	out, stderr, code := syncdRun(t, "replay", "-config", file)
	if code != 0 || !strings.Contains(out, "replay: 3 events, 2 changed, 1 unchanged; enqueued 3 new operations") ||
		!strings.Contains(out, "event 1 (eaf email_lead, -): ignored -> mapped") ||
		!strings.Contains(out, "event 2 (eaf email_lead, -): ignored -> mapped") {
		t.Fatalf("syncd replay of leads stored as Email_Lead, 'email_lead ' and email-lead: exit %d\n%s%s\n"+
			"want the first two mapped as email_lead (their one contact, and a deal each), the third left", code, out, stderr)
	}
	deals := func() map[any]any {
		t.Helper()
		deals := map[any]any{}
		for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", file) {
			if op["kind"] == "deal" {
				deals[op["event_id"]] = op["key"]
			}
		}
		return deals
	}
	// a deal's key is its lead id: the source and the key the event was stored with
	if got := deals(); len(got) != 2 || got[float64(1)] != "eaf:"+keys[1] || got[float64(2)] != "eaf:"+keys[2] {
		t.Errorf("deals in the outbox by event: %v, want events 1 and 2's, keyed eaf:%s and eaf:%s", got, keys[1], keys[2])
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, want := range map[int]string{1: "email_lead", 2: "email_lead", 3: "email-lead"} {
		var typ, key string
		if err := db.QueryRow(`SELECT type, idem_key FROM events WHERE id = ?`, id).Scan(&typ, &key); err != nil {
			t.Fatal(err)
		}
		if typ != want || key != keys[id] {
			t.Errorf("event %d after the upgrade: type %q, key %s; want %q, key %s as stored", id, typ, key, want, keys[id])
		}
	}
	db.Close()

	out, stderr, code = syncdRun(t, "replay", "-config", file)
	if code != 0 || !strings.Contains(out, "replay: 3 events, 0 changed, 3 unchanged; enqueued 0 new operations") {
		t.Errorf("syncd replay again: exit %d\n%s%s\nwant nothing changed, no operation enqueued", code, out, stderr)
	}
	if got := deals(); len(got) != 2 {
		t.Errorf("deals in the outbox after a second replay: %v, want the two made before", got)
	}
}
