package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReplayLeavesALeadGivenUpByHand plays a morning's incident: a mapping
// mistake (a deal's date property filled from the portal's name) makes
// HubSpot refuse two leads' deals. The operator enters one of them in
// HubSpot by hand and gives its deal up (`syncd outbox give-up`: recorded
// as dealt with by hand in the CRM), fixes the mapping, reloads and
// replays since the morning beside the running daemon. The replay sends
// the other lead's corrected deal, and leaves the one given up by hand,
// naming it and the retry that would send it: sent again, it would be a
// second deal beside the one entered by hand.
func TestReplayLeavesALeadGivenUpByHand(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token",
		StrictSchema: true}) // as HubSpot: a date it cannot read is a 400
	dir := t.TempDir()
	maps, _ := filepath.Abs("../../mappings/hubspot")
	edited := filepath.Join(dir, "mappings")
	if err := os.Mkdir(edited, 0o755); err != nil {
		t.Fatal(err)
	}
	good := map[string][]byte{}
	for _, f := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join(maps, f))
		if err != nil {
			t.Fatal(err)
		}
		good[f] = b
		const right = "      syncd_enquiry_at: {expr: 'formatDate("
		i := strings.Index(string(b), right)
		if f == "eaf.yaml" && i < 0 {
			t.Fatalf("%s has no %q to break", f, right)
		}
		if i >= 0 {
			end := i + strings.IndexByte(string(b[i:]), '\n')
			b = []byte(string(b[:i]) + "      syncd_enquiry_at: email_source" + string(b[end:]))
		}
		if err := os.WriteFile(filepath.Join(edited, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), maps, edited, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	d := start(t, config)
	postNumberedLead(t, d, "byhand", 1)
	postNumberedLead(t, d, "fixed", 2)
	deadDeals := map[string]int64{} // lead key -> dead deal operation
	waitFor(t, "both deals dead-lettered", func() bool {
		out, _, _ := syncdRun(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var op struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
				Key  string `json:"key"`
			}
			if json.Unmarshal([]byte(line), &op) == nil && op.Kind == "deal" {
				deadDeals[op.Key] = op.ID
			}
		}
		return len(deadDeals) == 2
	})
	byHand := deadDeals["eaf:eaf:byhand1"]
	if byHand == 0 {
		t.Fatalf("dead deals: %v, want one of eaf:eaf:byhand1", deadDeals)
	}
	if out, stderr, code := syncdRun(t, "outbox", "give-up", "-config", config, fmt.Sprint(byHand)); code != 0 {
		t.Fatalf("outbox give-up %d: exit %d\n%s%s", byHand, code, out, stderr)
	}

	if err := os.WriteFile(filepath.Join(edited, "eaf.yaml"), good["eaf.yaml"], 0o644); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "reload", "-config", config)
	dry := syncdOK(t, "replay", "-dry-run", "-since", "24h", "-config", config)
	out := syncdOK(t, "replay", "-since", "24h", "-config", config)
	for name, said := range map[string]string{"replay -dry-run": dry, "replay": out} {
		want := fmt.Sprintf("left 1 lead given up by hand (syncd outbox give-up: dealt with by hand in the CRM), "+
			"not sent again: event 1 (operation %d); to send one all the same, syncd outbox retry its operation, then syncd replay again", byHand)
		if !strings.Contains(said, want) {
			t.Errorf("%s said:\n%s\nwant a line with %q", name, said, want)
		}
		if !strings.Contains(said, "replay: 2 events, 1 changed, 1 unchanged") {
			t.Errorf("%s said:\n%s\nwant it to count the lead left among those unchanged", name, said)
		}
	}
	waitFor(t, "the fixed lead's deal in the CRM", func() bool { return len(fake.State().DealsByLead["eaf:eaf:fixed2"]) == 1 })
	waitFor(t, "nothing pending", func() bool {
		out, _, code := syncdRun(t, "outbox", "list", "-state", "pending", "-config", config)
		return code == 0 && !strings.Contains(out, "pending ")
	})
	if deals := fake.State().DealsByLead["eaf:eaf:byhand1"]; len(deals) != 0 {
		t.Errorf("the lead given up by hand (entered in the CRM by hand) was sent again by the replay: %d deals", len(deals))
	}
	if out, _, _ := syncdRun(t, "outbox", "show", "-config", config, fmt.Sprint(byHand)); !strings.Contains(out, "given up by hand") {
		t.Errorf("outbox show %d after the replay:\n%s", byHand, out)
	}
}
