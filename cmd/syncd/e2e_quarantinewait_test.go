package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusSaysQuarantinedBodiesWaitUntilRepairedOrDismissed: a body that
// did not parse waits for a person (syncd events repair), but status said
// nothing of it and exited 0, so a monitoring script never learnt that a
// lead was stuck; and a body that is no lead (a port scanner's garbage, a
// test ping) could not be set aside. Status now names the bodies waiting,
// exit 5, until each is repaired or dismissed (syncd events dismiss ID:
// kept for the record, its body dropped).
func TestStatusSaysQuarantinedBodiesWaitUntilRepairedOrDismissed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 {
		t.Fatalf("status before any delivery: exit %d, want 0\n%s", code, out)
	}
	junk := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, "GET / HTTP/1.1\r\nHost: scanner\r\n\r\n")
	lead := mustQuarantine(t, d.url+"/hooks/lokalebasen/"+e2eLBToken, `{"event": "enquiry_created", "name": "Kim`)

	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	if code != 5 {
		t.Errorf("status with two quarantined bodies waiting: exit %d, want 5", code)
	}
	mustContain(t, "status", out, "quarantine    2 bodies WAIT for a person", "ids "+lead+", "+junk,
		"syncd events repair "+lead+" FILE", "syncd events dismiss "+junk)

	out, errOut, code := syncdRun(t, "events", "dismiss", "-config", config, junk)
	if code != 0 {
		t.Fatalf("events dismiss %s: exit %d\n%s%s", junk, code, out, errOut)
	}
	mustContain(t, "events dismiss", out, "quarantined body "+junk+" dismissed")
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Errorf("status with the lead still waiting: exit %d, want 5\n%s", code, out)
	}
	mustContain(t, "status", out, "1 body WAITS for a person (id "+lead+")")

	// The lead repaired from a corrected copy, nothing waits.
	fixed := filepath.Join(dir, "fixed.json")
	body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixed, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := syncdRun(t, "events", "repair", "-config", config, lead, fixed); code != 0 {
		t.Fatalf("events repair: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 0 || strings.Contains(out, "quarantine ") {
		t.Errorf("status once the junk is dismissed and the lead repaired: exit %d, want 0 and no quarantine line\n%s", code, out)
	}

	out, _, _ = syncdRun(t, "events", "list", "-quarantined", "-config", config)
	t.Logf("events list -quarantined:\n%s", out)
	mustContain(t, "events list -quarantined", out, "dismissed")
	out, errOut, code = syncdRun(t, "events", "show", "-quarantined", "-config", config, junk)
	if code != 0 {
		t.Errorf("events show -quarantined of a dismissed body: exit %d, want 0\n%s", code, errOut)
	}
	mustContain(t, "events show -quarantined", out+errOut, "dismissed by syncd events dismiss at")
	if strings.Contains(out, "scanner") {
		t.Errorf("the dismissed body is still held:\n%s", out)
	}
	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, junk)
	if code != 0 {
		t.Errorf("events dismiss again: exit %d, want 0\n%s%s", code, out, errOut)
	}
	mustContain(t, "events dismiss again", out, "dismissed already at")
	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, lead)
	if code != 2 {
		t.Errorf("events dismiss of a repaired body: exit %d, want 2\n%s%s", code, out, errOut)
	}
	mustContain(t, "events dismiss of a repaired body", errOut, "repaired as event")
}

// mustQuarantine posts body, which does not parse, to url and returns
// the quarantine id the sender is told.
func mustQuarantine(t *testing.T, url, body string) string {
	t.Helper()
	id, err := quarantine(url, body)
	if err != nil {
		t.Fatalf("POST %s: %v, want 200 quarantined", url, err)
	}
	return id
}
