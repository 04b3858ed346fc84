package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusSaysALeadIsUnmappable: a lead the mappings could not map is
// never sent to the CRM, yet syncd status said nothing of it and exited 0,
// so a monitoring script never learnt that a lead sat unmapped. Status
// names the unmappable leads received since the start of yesterday (the
// days the report of yesterday and today's tell), exit 5, with the command
// that says why and the replay that maps them once the mapping is fixed;
// an event no rule is for needs nothing.
func TestStatusSaysALeadIsUnmappable(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil { // status finds the daemon there
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	postTestdata(t, d, "eaf/feed_import.json")
	mapped := func(state string, n int) func() bool {
		return func() bool {
			got := 0
			for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
				if ev["map_state"] == state {
					got++
				}
			}
			return got == n
		}
	}
	waitFor(t, "the lead mapped", mapped("mapped", 1))
	waitFor(t, "the feed import ignored", mapped("ignored", 1))
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 || strings.Contains(out, "UNMAPPABLE") {
		t.Fatalf("status with a lead mapped and an import ignored: exit %d, want 0\n%s", code, out)
	}

	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"u1","contact_email":"not an address"}`))
	if err != nil || a.Code != 200 {
		t.Fatalf("post the unmappable lead: %+v, %v", a, err)
	}
	waitFor(t, "the lead unmappable", mapped("unmappable", 1))
	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	if code != 5 {
		t.Errorf("status with a lead unmappable: exit %d, want 5", code)
	}
	mustContain(t, "status", out, "unmapped      1 lead UNMAPPABLE", fmt.Sprintf("(event %s)", a.ID),
		"syncd events show ID", "syncd replay -since ")
}
