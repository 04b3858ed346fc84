package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestStatusReadsBodiesWithTheConfiguredDepth: with intake.max_depth set
// above the default 256, a lead whose body nests 300 deep is stored, and a
// changed delivery of it (the same eaf_id, another body) is kept in the
// quarantine. Status read the waiting bodies with the default limit: it
// called the changed delivery "not read as a lead" and advised
// `syncd events dismiss`, which drops it, although `syncd events repair ID`
// reads it with the configured limit and records it as its event's. It
// reads them with intake.max_depth, as the intake and repair do.
func TestStatusReadsBodiesWithTheConfiguredDepth(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "intake:\n  max_depth: 400\n")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	deep := strings.Repeat("[", 300) + strings.Repeat("]", 300)
	lead := `{"eaf_type":"email_lead","eaf_id":"880078","contact_email":"ann@example.com","contact_message_flat":%q,"extra":` + deep + `}`
	postChangedDelivery(t, url, lead)
	changed := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])

	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	line := lineWith(out, "id "+changed+", received")
	mustContain(t, "the changed body's line", line, "a CHANGED delivery", "syncd events repair "+changed+" (no copy needed")
	if strings.Contains(line, "dismiss") || strings.Contains(line, "not read") {
		t.Errorf("status calls the changed delivery unread and advises a dismiss: %s", line)
	}
	out, errOut, code := syncdRun(t, "events", "repair", "-config", config, changed) // as status types it
	if code != 0 || !strings.Contains(out, "recorded as its changed delivery") {
		t.Errorf("events repair %s: exit %d\n%s%s", changed, code, out, errOut)
	}
}
