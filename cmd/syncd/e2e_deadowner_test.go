package main_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotOwnerFromThePayloadDeadLetterSaysOwner: the mappings give each
// deal to the owner the payload names (hubspot_owner_id from a payload
// field), which syncd crm check cannot judge, so it passes. HubSpot
// refuses the lead's owner (INVALID_OPTION), the adapter pauses, the
// operator reloads as the pause says, the check passes, and the lead is
// dead-lettered as its own value. Its fix said to "add it to that
// dropdown's options in the CRM": an owner is no option anyone adds. It
// now says to write an active owner's id, or reactivate the owner's user,
// and names no dropdown.
func TestHubSpotOwnerFromThePayloadDeadLetterSaysOwner(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, StrictSchema: true})
	maps, shipped := shippedMappingsEdited(t, dir, "hubspot", func(name, s string) string {
		if name == "eaf.yaml" {
			s = regexp.MustCompile(`(?m)^( *)(dealstage: .*)$`).ReplaceAllString(s, `$1$2`+"\n"+`${1}hubspot_owner_id: eaf_reference`)
		}
		return s
	})
	config := writeListeningConfig(t, dir, crmConfig(dir, url, e2eLBToken), shipped, maps)
	out, errOut, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, errOut)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json") // eaf_reference 87654321: no owner's id
	waitFor(t, "the adapter to pause", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: PAUSED until")
	})
	if out, errOut, code := syncdRun(t, "reload", "-config", config); code != 0 || !strings.Contains(out, "the CRM account check (hubspot) passed") {
		t.Fatalf("reload: exit %d, want 0 and the check passed\n%s%s", code, out, errOut)
	}
	waitFor(t, "the dead letter", func() bool { return strings.Contains(d.log(), "dead letter") })
	var line string
	for _, l := range strings.Split(d.log(), "\n") {
		if strings.Contains(l, "dead letter") {
			line = l
		}
	}
	t.Logf("the dead letter's line:\n%s", line)
	if strings.Contains(line, "dropdown") || !strings.Contains(line, `"property":"hubspot_owner_id"`) {
		t.Errorf("the fix of a refused owner names a dropdown, or no owner:\n%s", line)
	}
	for _, want := range []string{"active owner", "syncd replay", "syncd outbox give-up", "reactivate"} {
		if !strings.Contains(line, want) {
			t.Errorf("no %q in the dead letter's line:\n%s", want, line)
		}
	}
}
