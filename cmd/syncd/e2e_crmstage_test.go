package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotStageOfAnotherPipelineIsTheMappings: a HubSpot account with
// a second pipeline (Lettings, id 1234), whose operator wrote Lettings'
// stage 5678 as each rule's dealstage and left no pipeline: HubSpot puts
// such a deal in the default pipeline, which refuses the stage
// (docs/crm-contracts.md). syncd crm check said the account was ready
// (exit 0, one warning), so did crm setup ("done"), the daemon paused at the first deal, a reload's
// check passed and lifted the pause, and the deal was dead-lettered as
// "crm refused the record's own value", every lead's deal after it alike.
// The check (and setup) now fails, naming the stage's pipeline to write beside it;
// the pause names the pipeline HubSpot checked the stage against; a
// reload keeps the leads waiting, none dead.
func TestHubSpotStageOfAnotherPipelineIsTheMappings(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, StrictSchema: true})
	fake.SetPipelines([]crmfake.Pipeline{
		{ID: "default", Label: "Sales Pipeline", Stages: []crmfake.Stage{{ID: "appointmentscheduled", Label: "Appointment scheduled"}, {ID: "qualifiedtobuy", Label: "Qualified"}}},
		{ID: "1234", Label: "Lettings", Stages: []crmfake.Stage{{ID: "5678", Label: "New enquiry"}}},
	})
	maps := filepath.Join(dir, "maps")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		data, err := os.ReadFile(filepath.Join(shipped, name))
		if err != nil {
			t.Fatal(err)
		}
		s := regexp.MustCompile(`(?m)^ *pipeline: .*\n`).ReplaceAllString(string(data), "")
		s = regexp.MustCompile(`(?m)^( *dealstage:) .*$`).ReplaceAllString(s, `$1 {const: "5678", write: create}`)
		if err := os.WriteFile(filepath.Join(maps, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1) // status asks the daemon
	if err := os.WriteFile(config, []byte(strings.Replace(yaml, shipped, maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	// Setup makes syncd's properties and says what it cannot do.
	out, errOut, code := syncdRun(t, "crm", "setup", "-config", config)
	if code != 2 || !strings.Contains(out, `deal stage "5678" is not a stage of the default pipeline`) {
		t.Errorf("crm setup: exit %d, want 2 naming the stage\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, errOut)
	if code != 2 {
		t.Errorf("crm check: exit %d, want 2", code)
	}
	mustContain(t, "crm check", strings.Join(strings.Fields(out), " "),
		`deal stage "5678" is not a stage of the default pipeline, where HubSpot puts a deal written without "pipeline"`,
		`it is a stage of pipeline 1234 (Lettings): write that pipeline's id as pipeline beside it (pipeline: {const: "1234"}) in maps/eaf.yaml:46, maps/lokalebasen.yaml:37; or write a stage of pipeline default there`)

	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	dead := regexp.MustCompile(`dead letters\s+[1-9]`)
	waitFor(t, "status to show a pause or a dead letter", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: PAUSED until") || dead.MatchString(out)
	})
	mustContain(t, "status", strings.Join(strings.Fields(out), " "),
		`deal stage "5678" is not a stage of pipeline default in the HubSpot account, the pipeline written, or the default one when none is: `+
			`write the pipeline the stage is in beside it, or a stage of pipeline default (maps/eaf.yaml:46, maps/lokalebasen.yaml:37)`)
	// The operator reloads, as the pause says the check lifts it: the
	// check must not pass, and so must not take the refusal for the lead's.
	if out, errOut, code := syncdRun(t, "reload", "-config", config); code != 0 || !strings.Contains(out, "the CRM account check (hubspot) FAILED") {
		t.Errorf("reload: exit %d, want 0 saying the check failed\n%s%s", code, out, errOut)
	}
	out, _, _ = syncdRun(t, "status", "-config", config)
	t.Logf("syncd status after the reload:\n%s", out)
	if dead.MatchString(out) || strings.Contains(d.log(), "crm refused the record's own value") {
		t.Errorf("the lead was dead-lettered for the mappings' stage; the daemon's log:\n%s", d.log())
	}
	if !strings.Contains(out, "hubspot: PAUSED until") {
		t.Errorf("the adapter is not paused after the reload:\n%s", out)
	}
	// The fix as the check words it, then the replay and reload the pause
	// says: the waiting lead's deal is made in Lettings.
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		file := filepath.Join(maps, name)
		data, _ := os.ReadFile(file)
		data = regexp.MustCompile(`(?m)^( *)(dealstage: .*)$`).ReplaceAll(data, []byte(`$1$2`+"\n"+`${1}pipeline: {const: "1234"}`))
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, errOut, code := syncdRun(t, "replay", "-since", "1h", "-config", config); code != 0 {
		t.Errorf("replay: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := syncdRun(t, "reload", "-config", config); code != 0 || !strings.Contains(out, "the CRM account check (hubspot) passed") {
		t.Errorf("reload after the fix: exit %d\n%s%s", code, out, errOut)
	}
	waitFor(t, "the deal in Lettings", func() bool {
		for _, deal := range fake.State().Deals {
			if deal.Properties["pipeline"] == "1234" && deal.Properties["dealstage"] == "5678" {
				return true
			}
		}
		return false
	})
}
