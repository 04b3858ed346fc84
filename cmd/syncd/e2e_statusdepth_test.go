package main_test

import (
	"fmt"
	"os"
	"path/filepath"
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
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "intake:\n  max_depth: 400\n"),
		"listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	deep := strings.Repeat("[", 300) + strings.Repeat("]", 300)
	lead := `{"eaf_type":"email_lead","eaf_id":"880078","contact_email":"ann@example.com","contact_message_flat":%q,"extra":` + deep + `}`
	first, err := post(url, []byte(fmt.Sprintf(lead, "a viewing, please")))
	if err != nil || first.Status != "accepted" {
		t.Fatalf("the deep lead: %+v, %v", first, err)
	}
	if a, err := post(url, []byte(fmt.Sprintf(lead, "a viewing on Monday, please"))); err != nil || a.Status != "duplicate" {
		t.Fatalf("the deep lead changed: %+v, %v", a, err)
	}
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
