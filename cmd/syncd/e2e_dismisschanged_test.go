package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestDismissLeavesAChangedDelivery: Estate Agent Feeds sends a lead, then
// the same eaf_id again with a changed message, kept in the quarantine,
// and a port scanner's garbage arrives. `syncd events dismiss ID` of the
// changed delivery, and `dismiss -all`, dismissed it and dropped its body,
// the sender's correction gone, although status and the README point to
// `syncd events repair ID` for it. Dismiss refuses it by its id, exit 2,
// naming repair and -changed; -all dismisses the garbage and leaves it,
// saying how many it left and how to end their wait; with -changed, it is
// dismissed as asked. events show -quarantined says what it is and its way
// out, as status does. -all of one body says "its body dropped" (it said
// "their bodies dropped").
func TestDismissLeavesAChangedDelivery(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","eaf_id":"880079","contact_email":"ann@example.com","contact_message_flat":%q}`
	postChangedDelivery(t, url, lead)
	changed := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])
	junk := mustQuarantine(t, url, "GET / HTTP/1.1\r\nHost: scanner\r\n\r\n")

	out, errOut, code := syncdRun(t, "events", "dismiss", "-config", config, changed)
	if code != 2 {
		t.Errorf("events dismiss %s (a changed delivery): exit %d, want 2\n%s%s", changed, code, out, errOut)
	}
	mustContain(t, "events dismiss of the changed delivery", errOut, "a CHANGED delivery", "not dismissed",
		"syncd events repair "+changed+" (no copy needed)", "syncd events dismiss -changed "+changed)

	// What the operator reads next: the body, what it is and its way out
	// (show gave the reason alone, and "(1 deliveries)").
	out, errOut, code = syncdRun(t, "events", "show", "-quarantined", "-config", config, changed)
	if code != 0 {
		t.Fatalf("events show -quarantined %s: exit %d\n%s%s", changed, code, out, errOut)
	}
	mustContain(t, "events show -quarantined of the changed delivery", out, "(1 delivery)",
		"WAITS for a person: a CHANGED delivery", "syncd events repair "+changed+" (no copy needed")

	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, "-all")
	if code != 0 {
		t.Fatalf("events dismiss -all: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "events dismiss -all", out, "dismissed 1 quarantined body", "id "+junk, "its body dropped",
		"left 1 changed delivery of a stored lead waiting (id "+changed+")", "syncd events repair ID",
		"-changed dismisses it too, dropping its body")
	if strings.Contains(out, "their bodies") { // of one body
		t.Errorf("events dismiss -all of one body says \"their bodies\":\n%s", out)
	}
	q := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)
	if len(q) != 2 || fmt.Sprint(q[1]["id"]) != changed || q[1]["dismissed_at"] != nil || q[1]["bytes"] == 0.0 {
		t.Errorf("the changed delivery after dismiss -all: %v; want it waiting, its body kept", q)
	}

	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, "-changed", changed)
	if code != 0 || !strings.Contains(out, "quarantined body "+changed+" dismissed") {
		t.Errorf("events dismiss -changed %s: exit %d\n%s%s", changed, code, out, errOut)
	}
}
