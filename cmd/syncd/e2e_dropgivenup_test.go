package main_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestOutboxDropSaysWhatTheOperationsItDropsAre: outbox drop said of every
// operation it dropped that it was "waiting" ("dropped 2 operations
// waiting for hubspot (1 pending, 1 dead)"), a deal given up by hand
// (syncd outbox give-up) among them, which waits for nothing: the operator
// dealt with it. It now says what each is: "2 operations for hubspot (1
// pending, 0 dead letters, 1 given up by hand)", on -dry-run as when it
// drops them.
func TestOutboxDropSaysWhatTheOperationsItDropsAre(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	hub := leftForHubSpot(t, dir, freeAddr(t), "")
	var deal float64
	for _, op := range syncdJSON(t, "outbox", "list", "-config", hub, "-state", "pending", "-json") {
		if op["kind"] == "deal" {
			deal, _ = op["id"].(float64)
		}
	}
	if deal == 0 {
		t.Fatal("no deal operation pending for hubspot")
	}
	if out, stderr, code := syncdRun(t, "outbox", "give-up", "-config", hub, fmt.Sprint(int64(deal))); code != 0 {
		t.Fatalf("give-up of the deal: exit %d\n%s%s", code, out, stderr)
	}
	dry := writeConfig(t, dir) // the agency back on the dry run: same data_dir
	const said = "2 operations for hubspot (1 pending, 0 dead letters, 1 given up by hand) of 1 event"
	out, stderr, code := syncdRun(t, "outbox", "drop", "-config", dry, "-crm", "hubspot", "-dry-run")
	if code != 0 || !strings.Contains(out, "would drop "+said) || strings.Contains(out, "waiting") {
		t.Errorf("drop -dry-run: exit %d\n%s%s\nwant exit 0 and %q", code, out, stderr, "would drop "+said)
	}
	out, stderr, code = syncdRun(t, "outbox", "drop", "-config", dry, "-crm", "hubspot")
	if code != 0 || !strings.Contains(out, "dropped "+said) || strings.Contains(out, "waiting") {
		t.Errorf("drop: exit %d\n%s%s\nwant exit 0 and %q", code, out, stderr, "dropped "+said)
	}
}

// TestOutboxDropOnTheDryRunSaysHowToSendTheLeadsAfterAll: outbox drop run
// on a configuration whose crm.kind is dryrun closed with "to send those
// leads to dryrun after all, run syncd replay -since ...": the dry run
// sends nothing, and that replay maps them for the dry run only. It now
// says to set crm.kind back to the CRM dropped first, then replay; that
// replay, on the CRM's file, would send the lead again.
func TestOutboxDropOnTheDryRunSaysHowToSendTheLeadsAfterAll(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	hub := leftForHubSpot(t, dir, freeAddr(t), "")
	dry := writeConfig(t, dir) // the agency on the dry run: same data_dir
	out, stderr, code := syncdRun(t, "outbox", "drop", "-config", dry, "-crm", "hubspot")
	said := regexp.MustCompile(`crm.kind dryrun sends nothing: to send those leads to hubspot after all, set crm.kind back to ` +
		`hubspot \(and restart syncd\), then run syncd replay -since (\S+) \(it maps for hubspot every event since then not ` +
		`mapped for it yet: -dry-run first\)`).FindStringSubmatch(out)
	if code != 0 || said == nil || strings.Contains(out, "leads to dryrun") {
		t.Fatalf("drop on the dry run: exit %d\n%s%s\nwant exit 0, the way to send the leads to hubspot after all", code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "replay", "-config", hub, "-since", said[1], "-dry-run")
	if code != 0 || !strings.Contains(out, "would enqueue 2 new operations") {
		t.Errorf("replay -since %s -dry-run on hubspot's file, as said: exit %d\n%s%s\nwant the lead's 2 operations", said[1], code, out, stderr)
	}
}
