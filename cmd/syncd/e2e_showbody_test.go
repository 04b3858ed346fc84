package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestShowBodySavesACopyToCorrect: to correct a quarantined lead an
// operator saves its body, edits it and repairs from it. syncd events show
// -quarantined ID > FILE saved the heading with it ("quarantine 1 from eaf
// at ...: invalid JSON ..."), a copy that did not read however it was
// corrected, and no command printed the body alone. -body prints it as
// received, byte for byte; the copy corrected is repaired; status and show
// name the command in their way out; -body of an event is refused, exit 2.
func TestShowBodySavesACopyToCorrect(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	defer d.stop(t, syscall.SIGTERM)
	sent := "{\"eaf_type\":\"email_lead\",\"eaf_id\":\"880111\",\"contact_email\":\"ann@example.com\"\r\n"
	id := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, sent)
	out, _, _ := syncdRun(t, "events", "show", "-quarantined", "-config", config, id)
	mustContain(t, "events show -quarantined", out, "syncd events show -quarantined -body "+id+" > FILE")
	saved, err := syncdCmd("events", "show", "-quarantined", "-body", "-config", config, id).Output()
	if err != nil || string(saved) != sent {
		t.Fatalf("events show -quarantined -body %s = %q, %v; want the body as sent, %q", id, saved, err, sent)
	}
	copied := filepath.Join(dir, "lead.json")
	if err := os.WriteFile(copied, append(bytes.TrimSpace(saved), '}'), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "events", "repair", "-config", config, id, copied)
	if code != 0 {
		t.Fatalf("events repair %s from the copy saved with -body: exit %d\n%s%s", id, code, out, errOut)
	}
	mustContain(t, "events repair from the saved copy", out, "is now event")
	out, errOut, code = syncdRun(t, "events", "show", "-body", "-config", config, "1")
	if code != 2 {
		t.Errorf("events show -body of an event: exit %d, want 2\n%s%s", code, out, errOut)
	}
	mustContain(t, "events show -body of an event", errOut, "-body is for a quarantined body")
}
