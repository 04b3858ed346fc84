package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRetryAfterAMappingFixSaysToReplay: a mapping mistake (a deal's date
// property filled from the portal's name) makes HubSpot refuse two leads'
// deals. Retried while the mapping is still wrong, a deal goes as it was,
// and the retry says nothing more. The operator fixes the mapping and runs
// `syncd outbox retry -all-dead`, as one does after a fix: the retry sends
// the values the deals were mapped with, which the CRM refuses again. It
// says so, naming them and the replay that sends them as mapped now, from
// the time of the first one's lead; that replay brings both deals to the
// CRM with their dates.
func TestRetryAfterAMappingFixSaysToReplay(t *testing.T) {
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
	good, err := os.ReadFile(filepath.Join(maps, "eaf.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const right = "      syncd_enquiry_at: {expr: 'formatDate("
	i := strings.Index(string(good), right)
	if i < 0 {
		t.Fatalf("eaf.yaml has no %q to break", right)
	}
	end := i + strings.IndexByte(string(good[i:]), '\n')
	wrong := string(good[:i]) + "      syncd_enquiry_at: email_source" + string(good[end:])
	if err := os.WriteFile(filepath.Join(edited, "eaf.yaml"), []byte(wrong), 0o644); err != nil {
		t.Fatal(err)
	}
	lb, err := os.ReadFile(filepath.Join(maps, "lokalebasen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(edited, "lokalebasen.yaml"), lb, 0o644); err != nil {
		t.Fatal(err)
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
	postNumberedLead(t, d, "first", 1)
	postNumberedLead(t, d, "second", 2)
	deadDeals := func() map[string]int64 {
		dead := map[string]int64{}
		out, _, _ := syncdRun(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var op struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
				Key  string `json:"key"`
			}
			if json.Unmarshal([]byte(line), &op) == nil && op.Kind == "deal" {
				dead[op.Key] = op.ID
			}
		}
		return dead
	}
	var dead map[string]int64
	waitFor(t, "both deals dead-lettered", func() bool { dead = deadDeals(); return len(dead) == 2 })
	first, second := dead["eaf:eaf:first1"], dead["eaf:eaf:second2"]
	if first == 0 || second == 0 {
		t.Fatalf("dead deals: %v", dead)
	}

	// The mapping unchanged: the retry sends what the mappings map now.
	if out := syncdOK(t, "outbox", "retry", "-config", config, fmt.Sprint(first)); strings.Contains(out, "note:") {
		t.Errorf("retry of an operation the mappings map alike now said:\n%s", out)
	}
	waitFor(t, "the retried deal dead again", func() bool { return deadDeals()["eaf:eaf:first1"] == first })

	if err := os.WriteFile(filepath.Join(edited, "eaf.yaml"), good, 0o644); err != nil {
		t.Fatal(err)
	}
	out := syncdOK(t, "outbox", "retry", "-all-dead", "-config", config)
	note := regexp.MustCompile(`note: the mappings as they are now map operations (\d+), (\d+) otherwise: retried, they go with ` +
		`the values they were mapped with \(syncd outbox show ID\); to send their leads as mapped now, run syncd replay ` +
		`-since '([^']+)' \(-dry-run first\), which replaces them`).FindStringSubmatch(out)
	if note == nil || note[1] != fmt.Sprint(first) || note[2] != fmt.Sprint(second) {
		t.Fatalf("outbox retry -all-dead after the mapping's fix said:\n%s\nwant a note naming %d and %d and the replay", out, first, second)
	}
	replayed := syncdOK(t, "replay", "-since", note[3], "-config", config)
	if !strings.Contains(replayed, "replay: 2 events, 2 changed") {
		t.Errorf("replay -since %q said:\n%s", note[3], replayed)
	}
	waitFor(t, "both deals in the CRM with their dates", func() bool {
		st := fake.State()
		for _, lead := range []string{"eaf:eaf:first1", "eaf:eaf:second2"} {
			if deals := st.DealsByLead[lead]; len(deals) != 1 || !strings.HasPrefix(deals[0].Properties["syncd_enquiry_at"], "2026-12-05") {
				return false
			}
		}
		return true
	})
}
