package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReplayAfterARefusedMappingSendsTheFix follows the README the day after
// a mapping mistake the CRM refuses (a deal stage the account does not
// have): the adapter pauses, the operator fixes the mapping and runs
// `syncd replay` and `syncd sync -resume` beside the running daemon. The
// refused operation used to stay pending ahead of its corrected one (the
// older operation on a record goes first), so every resume sent it again
// and paused the adapter again: the lead never reached the CRM. Now the
// replay drops the event's older operations on that record that were never
// sent (pending or dead), and says so; its dry run says it would.
func TestReplayAfterARefusedMappingSendsTheFix(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token",
		StrictSchema: true}) // as the real CRM: a deal stage the account lacks is a 400
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
		wrong := strings.Replace(string(b), "{const: appointmentscheduled", "{const: appointment_scheduled", 1)
		if err := os.WriteFile(filepath.Join(edited, f), []byte(wrong), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), maps, edited, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	// A fresh account, as the README says: setup makes the properties, and
	// says the stage it cannot make, exit 2 (it said done, exit 0: s33-crmsetup).
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 2 || !strings.Contains(out, `deal stage "appointment_scheduled"`) {
		t.Fatalf("crm setup of a mapping with a stage the account lacks: exit %d, want 2 naming it\n%s%s", code, out, stderr)
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the refused deal to pause the adapter", func() bool { return strings.Contains(d.log(), "crm adapter paused") })

	if err := os.WriteFile(filepath.Join(edited, "eaf.yaml"), good["eaf.yaml"], 0o644); err != nil {
		t.Fatal(err)
	}
	dry := syncdOK(t, "replay", "-dry-run", "-config", config)
	if !strings.Contains(dry, "would enqueue 1 new operation") || !strings.Contains(dry, "would drop 1 older operation never sent") {
		t.Errorf("replay -dry-run said:\n%s", dry)
	}
	out := syncdOK(t, "replay", "-config", config)
	if !strings.Contains(out, "enqueued 1 new operation") || !strings.Contains(out, "dropped 1 older operation never sent") {
		t.Errorf("replay said:\n%s", out)
	}
	syncdRun(t, "sync", "-resume", "-config", config)
	waitFor(t, "the corrected deal in the CRM", func() bool {
		deals := fake.State().DealsByLead["eaf:eaf:77722226661727188822717"]
		return len(deals) == 1 && deals[0].Properties["dealstage"] == "appointmentscheduled"
	})
	if out, _, code := syncdRun(t, "outbox", "list", "-state", "pending", "-config", config); code != 0 || strings.Contains(out, "deal") {
		t.Errorf("outbox list -state pending after the fix: exit %d\n%s", code, out)
	}
}
