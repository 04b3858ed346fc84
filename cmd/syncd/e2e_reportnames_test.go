package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestIncompleteLeadsNameSplitInTheReport: a lead syncd sent nothing of
// to the CRM (incomplete: no email, no phone) showed its whole name under
// "First name" on the Leads sheet and nothing under "Last name", while
// the leads sent showed it split as the mappings split it. It is split
// so now ("Mr Ludwig van Beethoven": "Ludwig", "van Beethoven").
func TestIncompleteLeadsNameSplitInTheReport(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.NewReplacer(`"contact_name": "EAF Support"`, `"contact_name": "Mr Ludwig van Beethoven"`,
		`"support@estateagentfeeds.com"`, `null`, `"+44(0)20 3870 4550"`, `null`).Replace(string(lead))
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "the lead without a contact unmappable", func() bool {
		evs := syncdJSON(t, "events", "list", "-config", config, "-json")
		return len(evs) == 1 && evs[0]["map_state"] == "unmappable"
	})
	leads, _ := todaysReport(t, config, dir, "today.xlsx").GetRows("Leads")
	if len(leads) != 2 || len(leads[1]) < 5 || leads[1][3] != "Ludwig" || leads[1][4] != "van Beethoven" {
		t.Fatalf("Leads: %q; want the name split, Ludwig and van Beethoven", leads)
	}
}
