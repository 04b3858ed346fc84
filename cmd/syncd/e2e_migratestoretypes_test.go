package main_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
)

// TestMigrateStoreFromAnOlderSQLiteGivesDocumentedTypesAndKeys: syncd
// migrate-store from an SQLite database an older syncd left, holding EAF
// leads it stored as "Email_Lead" and "email_lead " keyed by their body's
// hash, never sent to the CRM. Read-only, it is refused, nothing copied,
// saying to copy it to a disk syncd can write (it cannot be migrated
// there, and the copy must not bring the types and keys as they were).
// Writable, it is migrated first, so PostgreSQL holds the documented type
// and the key intake gives such a lead now (eaf:<eaf_id>), as an upgrade in
// place leaves them; the same body sent to PostgreSQL's instances again is
// then a duplicate, not a second deal. It says it migrated it, and where
// the database as it was is kept, as every other command does: it said
// nothing, and left that copy (every lead) unrecorded as a backup; and
// how many leads it keyed by their delivery id and handed to the mapper.
func TestMigrateStoreFromAnOlderSQLiteGivesDocumentedTypesAndKeys(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	cfg, err := os.ReadFile(writeConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	pg := filepath.Join(dir, "postgres.yaml")
	if err := os.WriteFile(pg, append(cfg, pgStore(t, dir, dsn)...), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	raw := sqlitetest.AtSchema(t, filepath.Join(data, "syncd.db"), 18) // as the syncd before the types' migration left it
	sample, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-24 * time.Hour).Format("2006-01-02T15:04:05.000000Z")
	bodies := map[int]string{}
	for id, typ := range map[int]string{1: "Email_Lead", 2: "email_lead "} {
		body := strings.Replace(string(sample), `"eaf_type": "email_lead"`, `"eaf_type": "`+typ+`"`, 1)
		body = strings.Replace(body, "77722226661727188822717", "7772222666172718882271"+string(rune('0'+id)), 1)
		sum := sha256.Sum256([]byte(body))
		if _, err := raw.Exec(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at,
			map_state, map_error, mapped_at) VALUES (?, 'eaf', 'eaf', ?, ?, ?, 'strict', ?5, ?5, 'ignored', ?6, ?5)`,
			id, typ, "sha256:"+hex.EncodeToString(sum[:]), []byte(body), at, "no rule for eaf "+typ); err != nil {
			t.Fatal(err)
		}
		bodies[id] = body
	}
	raw.Close()

	t.Run("read-only", func(t *testing.T) {
		needTmpfs(t) // the namespaces a read-only bind mount needs
		out, stderr, code := onReadOnlyData(t, data, "migrate-store", "-to", "postgres", "-config", pg)
		if code != 2 || !strings.Contains(stderr, "database schema 18 is older than this binary's") ||
			!strings.Contains(stderr, "copy it to a disk syncd can write") || strings.Contains(out, "copied") {
			t.Errorf("migrate-store from a read-only SQLite database of schema 18: exit %d\n%s%s\n"+
				"want exit 2 (a person copies it), nothing copied, saying to copy it to a disk syncd can write", code, out, stderr)
		}
	})

	out, stderr, code := syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 0 || !strings.Contains(out, "events     2 rows") {
		t.Fatalf("migrate-store from a writable SQLite database of schema 18: exit %d\n%s%s", code, out, stderr)
	}
	// migrated, it says so, as every other command does, and where the database as it was is kept
	bak := filepath.Join(data, "syncd.db.schema-18.bak")
	if !strings.Contains(stderr, "syncd migrate-store: database schema migrated 18 -> ") ||
		!strings.Contains(stderr, "the database as it was (schema 18) is kept in "+bak) {
		t.Errorf("migrate-store migrated the SQLite database of schema 18, and said on stderr:\n%s\n"+
			"want 'database schema migrated 18 -> N' and that %s keeps it as it was", stderr, bak)
	}
	// and what it did to the leads, which PostgreSQL's instances map
	mustContain(t, "migrate-store's stderr", stderr, "; 2 leads keyed by their delivery id (eaf:<eaf_id>)",
		"; 2 leads an older syncd ignored for their type's spelling (Email_Lead for email_lead) are handed to the mapper: "+
			"syncd serve maps them with the rules in use as it starts (deals made where a rule maps them)\n")
	if _, err := os.Stat(bak); err != nil {
		t.Errorf("the copy of the database as it was: %v", err)
	}
	// the copy recorded as a backup before the copy: run again, nothing changed since
	if out, stderr, code := syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg); code != 0 ||
		!strings.Contains(out, "nothing to copy again") {
		t.Errorf("migrate-store run again: exit %d\n%s%s\nwant exit 0, nothing to copy again", code, out, stderr)
	}
	want := map[string]string{"1": "eaf:77722226661727188822711", "2": "eaf:77722226661727188822712"}
	got := map[string]string{}
	for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", pg) {
		id, _ := ev["id"].(float64)
		got[strconv.Itoa(int(id))] = fmt.Sprint(ev["type"], " ", ev["key"])
	}
	for id, key := range want {
		if got[id] != "email_lead "+key {
			t.Errorf("event %s on PostgreSQL after migrate-store: %q, want type email_lead, key %s", id, got[id], key)
		}
	}

	d := start(t, pg)
	again := strings.Replace(bodies[1], `"eaf_type": "Email_Lead"`, `"eaf_type": "email_lead"`, 1)
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(again))
	if err != nil || a.Status != "duplicate" || a.ID != "1" {
		t.Errorf("the lead stored as Email_Lead sent to PostgreSQL's instance again as email_lead: %+v, %v; want a duplicate of event 1", a, err)
	}
}
