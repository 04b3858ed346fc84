package main_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestEventsSayWhyTheBodyIsGone: `events show` of an erased event and of
// one purged by the retention printed `"payload": null` and nothing else,
// which read as a broken event. It says which it was and when, from what
// the store recorded, and `events list` (table and JSON) says it too; an
// event still held says nothing of the kind. Likewise for a quarantined
// body: `events show -quarantined` printed its heading and nothing else.
// Of an erased event, show and list name the erasure (its audit's
// subject, as that erase printed it), as they do of a quarantined body:
// "syncd export of the person shows the audit" alone sent the operator to
// export a person whom nothing left named.
func TestEventsSayWhyTheBodyIsGone(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	old := postTestdata(t, d, "eaf/email_lead.json").ID
	erased := postTestdata(t, d, "lokalebasen/enquiry_created.json").ID
	held := postTestdata(t, d, "eaf/portal_submission_success.json").ID
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"email":"angela7913@hotmail.com",,}`)); err != nil || a.Status != "quarantined" {
		t.Fatalf("post a body that does not parse: %+v, %v", a, err)
	}
	waitFor(t, "the events to be mapped", func() bool {
		out, _, _ := syncdRun(t, "events", "list", "-config", config)
		return !strings.Contains(out, "pending")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "sync", "-config", config)
	ageEvent(t, filepath.Join(dir, "data", "syncd.db"), old)
	syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if out := syncdOK(t, "purge", "-config", config); !strings.HasPrefix(out, "purged: 1 event body") {
		t.Fatalf("purge: %s", out)
	}

	when := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0[12]:00`
	rfc := `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00`
	for id, want := range map[string]string{
		erased: `"erasure_subject": "[0-9a-f]{64}",[^}]*"payload": null,\s+"payload_gone": "erased by syncd erase at ` + when +
			` \(the erasure audited as subject [0-9a-f]{64}, as that erase printed it; syncd export of the person shows it\)",`,
		old: `"payload": null,\s+"payload_gone": "purged by the retention \(retention.event_days\) at ` + when + `",`,
	} {
		out := syncdOK(t, "events", "show", "-config", config, id)
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("events show %s does not say why its payload is gone (want %s):\n%s", id, want, out)
		}
	}
	if out := syncdOK(t, "events", "show", "-config", config, held); strings.Contains(out, "payload_gone") ||
		strings.Contains(out, `"payload": null`) {
		t.Errorf("events show of an event still held:\n%s", out)
	}

	table := syncdOK(t, "events", "list", "-config", config)
	for id, want := range map[string]string{erased: "erased " + when, old: "purged " + when, held: "held"} {
		if !regexp.MustCompile(`(?m)^` + id + ` .*\s` + want + `\s`).MatchString(table) {
			t.Errorf("events list: event %s's BODY is not %q:\n%s", id, want, table)
		}
	}
	// Under the table, which erasure erased it, as events show says.
	if !regexp.MustCompile(`(?m)^the body of event ` + erased + ` was erased by the erasure audited as subject [0-9a-f]{64} at ` +
		when + ` \(as that erase printed it; syncd export of the person shows it\)$`).MatchString(table) {
		t.Errorf("events list does not say which erasure erased event %s:\n%s", erased, table)
	}
	quarantined := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)
	if len(quarantined) != 1 || !regexp.MustCompile(`^`+rfc+`$`).MatchString(fmt.Sprint(quarantined[0]["erased_at"])) {
		t.Fatalf("events list -quarantined -json: %v; want one, with erased_at", quarantined)
	}
	q := fmt.Sprint(quarantined[0]["id"])
	if out := syncdOK(t, "events", "list", "-quarantined", "-config", config); !regexp.MustCompile(`(?m)^` + q + ` .*\s0\s+erased ` + when + `\s`).MatchString(out) {
		t.Errorf("events list -quarantined: the erased body's BODY is not erased and when:\n%s", out)
	}
	// It printed its heading and two blank lines, exit 0, "gone" on stderr
	// alone: now the heading says the body is no longer held, when and by
	// which erasure (its audit's subject), exit 3.
	out, stderr, code := syncdRun(t, "events", "show", "-quarantined", "-config", config, q)
	said := `its body is NO LONGER HELD: erased by syncd erase at ` + when + ` \(the erasure audited as subject [0-9a-f]{64}, as that erase printed it`
	if code != 3 || !regexp.MustCompile(`quarantined body `+q+` is gone: erased by syncd erase at `+when).MatchString(stderr) ||
		!regexp.MustCompile(`^quarantine `+q+` from lokalebasen at [^\n]*; `+said+`[^\n]*\)\n$`).MatchString(out) {
		t.Errorf("events show -quarantined %s: exit %d, stdout %q, stderr %q; want 3, saying the body is no longer held, when and by which erasure",
			q, code, out, stderr)
	}
	if _, _, code := syncdRun(t, "events", "show", "-quarantined", "-body", "-config", config, q); code != 3 {
		t.Errorf("events show -quarantined -body %s of an erased body: exit %d, want 3", q, code)
	}
	// A repair of the erased body (from a copy the operator kept) would
	// bring the person back: refused, nothing stored.
	fixed := filepath.Join(dir, "fixed.json")
	if err := os.WriteFile(fixed, []byte(`{"email":"angela7913@hotmail.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(syncdJSON(t, "events", "list", "-json", "-config", config))
	_, stderr, code = syncdRun(t, "events", "repair", "-config", config, q, fixed)
	if code == 0 || !strings.Contains(stderr, "was erased by syncd erase at") ||
		len(syncdJSON(t, "events", "list", "-json", "-config", config)) != before {
		t.Errorf("events repair of an erased body: exit %d, %d events (before %d)\n%s", code,
			len(syncdJSON(t, "events", "list", "-json", "-config", config)), before, stderr)
	}
	for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
		id := fmt.Sprint(ev["id"])
		erasedAt, _ := ev["erased_at"].(string)
		purgedAt, _ := ev["purged_at"].(string)
		isTime := regexp.MustCompile(`^` + rfc + `$`)
		if isTime.MatchString(erasedAt) != (id == erased) || isTime.MatchString(purgedAt) != (id == old) {
			t.Errorf("events list -json: event %s: erased_at %v, purged_at %v", id, ev["erased_at"], ev["purged_at"])
		}
	}
}

// ageEvent moves event id and its outbox operations 200 days back, so that
// the retention purge (90 days) takes its body.
func ageEvent(t *testing.T, path, id string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const long = "2025-01-01T00:00:00.000000Z"
	for _, q := range []string{
		`UPDATE events SET received_at = ?1, last_delivery_at = ?1 WHERE id = ?2`,
		`UPDATE outbox SET updated_at = ?1, created_at = ?1, done_at = ?1 WHERE event_id = ?2`,
	} {
		if _, err := db.Exec(q, long, id); err != nil {
			t.Fatal(err)
		}
	}
}
