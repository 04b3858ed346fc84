package main_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
)

// TestStoredLeadsOfATypeInAnotherCaseAreMapped: an EAF lead whose
// eaf_type was written "Email_Lead" or "email_lead " was stored by an
// older syncd as a type of its own (keyed by its body's hash), which no
// rule maps: ignored, "no rule for eaf Email_Lead", never sent to the CRM.
// The upgrade's migration (0019) stores their type as the documented one;
// a type spelt otherwise ("email-lead") is still none of the sender's.
// Never sent to the CRM, they take the key intake gives them now (0020),
// eaf:<eaf_id>, so that the sender sending one of them again (spelt as
// documented, keyed so) is a duplicate of it, not a second lead and a
// second deal, which it was while they kept their body's hash. And they
// are pending again (0021): the daemon maps them as it starts, where they
// stayed ignored until someone ran syncd replay, as the docs said to.
func TestStoredLeadsOfATypeInAnotherCaseAreMapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeConfig(t, dir)
	path := filepath.Join(dir, "data", "syncd.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	keys, bodies := leadsOfTypesInAnotherCase(t, path)

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
	// the upgrade hands the first two back to the mapper: the daemon maps
	// them, no replay run
	d := start(t, file)
	waitFor(t, "the daemon to map the leads an older syncd ignored for their type's case", func() bool { return len(deals()) >= 2 })
	// and says how many, where it says it migrated the schema
	mustContain(t, "serve's log", d.log(), `"schema":"18 -> `, "database schema migrated: an older syncd no longer opens it",
		"; 2 leads keyed by their delivery id (eaf:<eaf_id>), which an older syncd keyed by their body's hash: "+
			"the sender sending one again is the same lead, not a second deal; 2 leads an older syncd ignored for their "+
			"type's spelling (Email_Lead for email_lead) are handed to the mapper, which maps them now with the rules "+
			"in use (deals made where a rule maps them)")
	// the sender sends the first again, its eaf_type spelt as documented
	again := strings.Replace(bodies[1], `"eaf_type": "Email_Lead"`, `"eaf_type": "email_lead"`, 1)
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(again))
	if err != nil || a.Code != 200 || a.Status != "duplicate" || a.ID != "1" {
		t.Errorf("the lead stored as Email_Lead sent again as email_lead after the upgrade: %+v, %v; want a duplicate of event 1", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("serve stopped: %v\n%s", err, d.log())
	}
	// never sent, the first two take the key intake gives them now: their eaf_id
	want := map[int]string{1: "eaf:77722226661727188822711", 2: "eaf:77722226661727188822712", 3: keys[3]}
	// a deal's key is its lead id: the source and the event's key
	if got := deals(); len(got) != 2 || got[float64(1)] != "eaf:"+want[1] || got[float64(2)] != "eaf:"+want[2] {
		t.Errorf("deals in the outbox by event: %v, want events 1 and 2's, keyed eaf:%s and eaf:%s", got, want[1], want[2])
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, wantType := range map[int]string{1: "email_lead", 2: "email_lead", 3: "email-lead"} {
		var typ, key string
		if err := db.QueryRow(`SELECT type, idem_key FROM events WHERE id = ?`, id).Scan(&typ, &key); err != nil {
			t.Fatal(err)
		}
		if typ != wantType || key != want[id] {
			t.Errorf("event %d after the upgrade: type %q, key %s; want %q, key %s", id, typ, key, wantType, want[id])
		}
	}
	db.Close()

	out, stderr, code := syncdRun(t, "replay", "-config", file)
	if code != 0 || !strings.Contains(out, "replay: 3 events, 0 changed, 3 unchanged; enqueued 0 new operations") {
		t.Errorf("syncd replay after the daemon mapped them: exit %d\n%s%s\nwant nothing changed, no operation enqueued", code, out, stderr)
	}
	if got := deals(); len(got) != 2 {
		t.Errorf("deals in the outbox after a replay: %v, want the two made before", got)
	}
}

// leadsOfTypesInAnotherCase makes at path the database of schema 18 (as
// the syncd before the types' migration left it) holding three EAF leads
// that syncd stored with their eaf_type as the sender wrote it, ignored
// (no rule for it) and keyed by their body's hash: events 1 "Email_Lead"
// and 2 "email_lead " (a documented type in another case, or with a space
// after it) and 3 "email-lead" (spelt otherwise). It returns each one's
// key and body by event id.
func leadsOfTypesInAnotherCase(t *testing.T, path string) (keys, bodies map[int]string) {
	t.Helper()
	raw := sqlitetest.AtSchema(t, path, 18)
	defer raw.Close()
	sample, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	keys, bodies = map[int]string{}, map[int]string{}
	// received yesterday, within the duplicate window, in the form syncd stores times
	at := time.Now().UTC().Add(-24 * time.Hour).Format("2006-01-02T15:04:05.000000Z")
	for id, typ := range map[int]string{1: "Email_Lead", 2: "email_lead ", 3: "email-lead"} {
		body := strings.Replace(string(sample), `"eaf_type": "email_lead"`, `"eaf_type": "`+typ+`"`, 1)
		body = strings.Replace(body, "77722226661727188822717", "7772222666172718882271"+string(rune('0'+id)), 1)
		sum := sha256.Sum256([]byte(body))
		keys[id], bodies[id] = "sha256:"+hex.EncodeToString(sum[:]), body
		if _, err := raw.Exec(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at,
			map_state, map_error, mapped_at) VALUES (?, 'eaf', 'eaf', ?, ?, ?, 'strict', ?5, ?5, 'ignored', ?6, ?5)`,
			id, typ, keys[id], []byte(body), at, "no rule for eaf "+typ); err != nil {
			t.Fatal(err)
		}
	}
	return keys, bodies
}

// TestCommandSaysHowManyLeadsTheUpgradeHandsToTheMapper: a command run
// first on the database an older syncd left migrates it, and says so on
// stderr; the leads that syncd ignored for their type's case are pending
// again, for syncd serve to map as it starts, and it says how many (it
// said nothing of them), and how many it keyed by their delivery id.
func TestCommandSaysHowManyLeadsTheUpgradeHandsToTheMapper(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeConfig(t, dir)
	path := filepath.Join(dir, "data", "syncd.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	leadsOfTypesInAnotherCase(t, path)
	out, stderr, code := syncdRun(t, "events", "list", "-config", file)
	if code != 0 {
		t.Fatalf("syncd events list on the database of schema 18: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "events list's stderr", stderr, "database schema migrated 18 -> ",
		"; 2 leads keyed by their delivery id (eaf:<eaf_id>), which an older syncd keyed by their body's hash: "+
			"the sender sending one again is the same lead, not a second deal; 2 leads an older syncd ignored for their "+
			"type's spelling (Email_Lead for email_lead) are handed to the mapper: syncd serve maps them with the "+
			"rules in use as it starts (deals made where a rule maps them)\n")
	// said once, at the upgrade
	if _, stderr, _ := syncdRun(t, "events", "list", "-config", file); strings.Contains(stderr, "leads") {
		t.Errorf("events list run again said:\n%s\nwant nothing of the leads the upgrade handed to the mapper", stderr)
	}
}
