package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDismissedBodyRepairedSaysWhereItsBodyWent: a body dismissed by
// mistake is repaired from a copy, as commands.md says it can be. Its
// record then said "the body is gone, but the database does not say why"
// (events show -quarantined on stderr, body_gone in -json) and BODY
// "gone" in the listing, a value the page does not give: the repair had
// written over when it was dismissed. It says the body was dropped when it
// was dismissed, before its repair, and the listing says dismissed.
func TestDismissedBodyRepairedSaysWhereItsBodyWent(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"880301",}x`)); err != nil || a.Status != "quarantined" {
		t.Fatalf("broken body: %+v, %v", a, err)
	}
	q := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])
	if out, stderr, code := syncdRun(t, "events", "dismiss", "-config", config, q); code != 0 {
		t.Fatalf("dismiss: exit %d\n%s%s", code, out, stderr)
	}
	fixed := filepath.Join(dir, "fixed.json")
	if err := os.WriteFile(fixed, []byte(`{"eaf_type":"email_lead","eaf_id":"880301","contact_email":"ann@example.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "events", "repair", "-config", config, q, fixed); code != 0 {
		t.Fatalf("repair: exit %d\n%s%s", code, out, stderr)
	}
	const want = "dropped when it was dismissed (syncd events dismiss), before it was repaired from a copy as event "
	out, stderr, _ := syncdRun(t, "events", "show", "-quarantined", "-config", config, q)
	if all := out + stderr; !strings.Contains(all, want) || strings.Contains(all, "does not say why") {
		t.Errorf("events show -quarantined %s:\n%s\nwant %q", q, all, want)
	}
	js := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]
	if g := fmt.Sprint(js["body_gone"]); !strings.Contains(g, want) {
		t.Errorf("body_gone %q, want %q", g, want)
	}
	out, stderr, _ = syncdRun(t, "events", "list", "-quarantined", "-config", config)
	if !strings.Contains(out, " dismissed ") || strings.Contains(out, " gone ") {
		t.Errorf("events list -quarantined, want BODY dismissed:\n%s%s", out, stderr)
	}
}
