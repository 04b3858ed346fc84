package main_test

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
)

// TestShowQuarantinedAsJSON: events list -quarantined -json gave a script
// each body's record, but events show -quarantined had no -json: a script
// reading one body had to cut the heading off the text. -json gives the
// list's fields, the body as received (a string: it did not read as JSON)
// and what it waits for; -json without -quarantined, or with -body, is
// refused, exit 2.
func TestShowQuarantinedAsJSON(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	sent := "{\"eaf_type\":\"email_lead\",\"eaf_id\":\"880112\",\"contact_email\":\"ann@example.com\"\r\n"
	id := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, sent)
	out, errOut, code := syncdRun(t, "events", "show", "-quarantined", "-json", "-config", config, id)
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("events show -quarantined -json %s: exit %d, %v\n%s%s", id, code, err, out, errOut)
	}
	listed, _, _ := syncdRun(t, "events", "list", "-quarantined", "-json", "-config", config)
	var row map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(listed, "\n", 2)[0]), &row); err != nil {
		t.Fatalf("events list -quarantined -json: %v\n%s", err, listed)
	}
	for k, v := range row {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("show -json %s = %v, list -json says %v", k, g, v)
		}
	}
	if got["body"] != sent {
		t.Errorf("show -json body = %q, want the body as sent %q", got["body"], sent)
	}
	if w, _ := got["waits"].(string); !strings.Contains(w, "syncd events repair "+id) {
		t.Errorf("show -json waits = %q, want the way out", w)
	}
	for _, args := range [][]string{{"-json", "1"}, {"-quarantined", "-body", "-json", id}} {
		out, errOut, code := syncdRun(t, append([]string{"events", "show", "-config", config}, args...)...)
		if code != 2 || !strings.Contains(errOut, "-json is for a quarantined body's record") {
			t.Errorf("events show %v: exit %d, want 2\n%s%s", args, code, out, errOut)
		}
	}
}
