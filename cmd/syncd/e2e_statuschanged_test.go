package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestStatusTellsAChangedDeliveryFromABodyNotRead: Estate Agent Feeds sends
// a lead, then the same eaf_id again with a changed message, and a port
// scanner's garbage arrives. Status said "2 received since start: 1
// accepted, 1 duplicate, 0 quarantined" above "1 body WAITS" (of the
// changed one alone), and gave one piece of advice for every body waiting,
// "a changed delivery: correct the CRM by hand if need be, then syncd
// events dismiss ID", which records the corrected lead as no lead and drops
// its body. It counts the changed delivery among the quarantined, names
// each body waiting with what it is and its way out typed with its id, and
// for the changed one that way is `syncd events repair ID` with no copy,
// which records it as its event's; the garbage needs a copy to be repaired,
// or a dismiss.
func TestStatusTellsAChangedDeliveryFromABodyNotRead(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","eaf_id":"880077","contact_email":"ann@example.com","contact_message_flat":%q}`
	first := postChangedDelivery(t, url, lead)
	junk := mustQuarantine(t, url, "GET / HTTP/1.1\r\nHost: scanner\r\n\r\n")
	changed := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[1]["id"]) // newest first

	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	if code != 5 {
		t.Errorf("status with two bodies waiting: exit %d, want 5", code)
	}
	mustContain(t, "status", out, "1 duplicate, 2 quarantined (1 of them a changed delivery of a stored lead",
		"quarantine    2 bodies WAIT for a person (ids "+junk+", "+changed+")")
	changedLine, junkLine := lineWith(out, "id "+changed+", received"), lineWith(out, "id "+junk+", received")
	mustContain(t, "the changed body's line", changedLine, "a CHANGED delivery", "syncd events repair "+changed+" (no copy needed")
	mustContain(t, "the garbage's line", junkLine, "not read as a lead", "syncd events repair "+junk+" FILE",
		"syncd events dismiss "+junk)
	if strings.Contains(changedLine, "dismiss") {
		t.Errorf("status advises a dismiss of the changed delivery: %s", changedLine)
	}

	out, errOut, code := syncdRun(t, "events", "repair", "-config", config, changed) // as status types it
	if code != 0 {
		t.Fatalf("events repair %s: exit %d\n%s%s", changed, code, out, errOut)
	}
	mustContain(t, "events repair", out, "is event "+first+", stored already from another delivery of the same eaf_id",
		"recorded as its changed delivery, it no longer waits for a person", "syncd sends none of this one")
	// Its delivery was counted when it came: the repair counts none more
	// (the event said 3 deliveries of 2).
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 1 || evs[0]["deliveries"] != 2.0 {
		t.Errorf("events after the repair: %v; want the one event, with its 2 deliveries", evs)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "1 body WAITS for a person (id "+junk+")") {
		t.Errorf("status with the garbage alone waiting: exit %d\n%s", code, out)
	}

	out, errOut, code = syncdRun(t, "events", "repair", "-config", config, junk)
	if code != 2 || !strings.Contains(errOut, "does not read as it is") || !strings.Contains(errOut, "syncd events repair "+junk+" FILE.json") {
		t.Errorf("events repair %s with no copy: exit %d, want 2 asking for a copy\n%s%s", junk, code, out, errOut)
	}
}

// lineWith is the first line of out that contains s, "" if none does.
func lineWith(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
