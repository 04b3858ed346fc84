package main_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestStoredLeadsOfATypeInAnotherCaseAreMapped: an EAF lead whose
// eaf_type was written "Email_Lead" or "email_lead " was stored by an
// older syncd as a type of its own (keyed by its body's hash), which no
// rule maps: ignored, "no rule for eaf Email_Lead", never sent to the CRM.
// Intake now reads such a type as the documented one, but the leads stored
// before were still left: syncd replay mapped none of them. The mapper now
// reads a stored type as intake does, so a replay sends them; a type spelt
// otherwise ("email-lead") is still none of the sender's.
func TestStoredLeadsOfATypeInAnotherCaseAreMapped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	file := writeConfig(t, dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sample, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	for id, typ := range map[int]string{1: "Email_Lead", 2: "email_lead ", 3: "email-lead"} {
		body := strings.Replace(string(sample), `"eaf_type": "email_lead"`, `"eaf_type": "`+typ+`"`, 1)
		body = strings.Replace(body, "77722226661727188822717", "7772222666172718882271"+string(rune('0'+id)), 1)
		sum := sha256.Sum256([]byte(body))
		if _, err := raw.Exec(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at,
			map_state, map_error, mapped_at) VALUES (?, 'eaf', 'eaf', ?, ?, ?, 'strict', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z',
			'ignored', ?, '2026-12-01T10:00:01Z')`, id, typ, "sha256:"+hex.EncodeToString(sum[:]), []byte(body), "no rule for eaf "+typ); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	out, stderr, code := syncdRun(t, "replay", "-config", file)
	if code != 0 || !strings.Contains(out, "replay: 3 events, 2 changed, 1 unchanged; enqueued 3 new operations") ||
		!strings.Contains(out, "event 1 (eaf Email_Lead, -): ignored -> mapped") ||
		!strings.Contains(out, "event 2 (eaf email_lead , -): ignored -> mapped") {
		t.Fatalf("syncd replay of leads stored as Email_Lead, 'email_lead ' and email-lead: exit %d\n%s%s\n"+
			"want the first two mapped (their one contact, and a deal each), the third left", code, out, stderr)
	}
	deals := map[any]bool{}
	for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", file) {
		if op["kind"] == "deal" {
			deals[op["event_id"]] = true
		}
	}
	if len(deals) != 2 || !deals[float64(1)] || !deals[float64(2)] {
		t.Errorf("deals in the outbox of events %v, want of events 1 and 2", deals)
	}
}
