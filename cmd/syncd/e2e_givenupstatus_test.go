package main_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestGivenUpOperationsNeedNoAttention: the operator set aside, with
// syncd outbox give-up, a lead's deal and then its contact, whose batch
// the CRM never took. status went on saying "2 NEEDS ATTENTION" and
// exiting 5 until they were retried or purged: the monitoring check the
// operator had just acted on stayed red. It shows them apart, given up by
// hand with how to send one again, exit 0; the syncd_outbox_ops series
// "dead" leaves them out ("given_up" counts them). And retrying the
// contact left the deal given up on its own dead, so the lead reached the
// CRM without its deal: the retry brings it back and names it.
func TestGivenUpOperationsNeedNoAttention(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	var contact, deal string
	waitFor(t, "the lead's contact to draw a 504", func() bool {
		for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
			switch {
			case op["kind"] == "contact" && strings.Contains(fmt.Sprint(op["last_error"]), "504"):
				contact = fmt.Sprint(op["id"])
			case op["kind"] == "deal":
				deal = fmt.Sprint(op["id"])
			}
		}
		return contact != "" && deal != ""
	})
	for _, id := range []string{deal, contact} { // the deal on its own first
		waitFor(t, "give-up of "+id, func() bool { // refused while a syncer holds it
			_, _, code := syncdRun(t, "outbox", "give-up", "-config", config, id)
			return code == 0
		})
	}

	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 0 || strings.Contains(out, "NEEDS ATTENTION") ||
		!strings.Contains(out, "dead letters  0; 2 given up by hand (syncd outbox give-up): no alarm") ||
		!strings.Contains(out, "2 dead (2 of them given up by hand)") {
		t.Errorf("status with only operations given up by hand: exit %d, want 0, them shown apart\n%s", code, out)
	}
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`syncd_outbox_ops{state="dead",target="hubspot"} 0`, `syncd_outbox_ops{state="given_up",target="hubspot"} 2`} {
		if !strings.Contains(string(exported), want) {
			t.Errorf("/metrics has no %s", want)
		}
	}

	fake.ClearFaults()
	out, stderr, code := syncdRun(t, "outbox", "retry", "-config", config, contact)
	if code != 0 || !strings.Contains(out, "or was given up: "+deal) {
		t.Fatalf("retry the contact: exit %d, want its deal %s named\n%s%s", code, deal, out, stderr)
	}
	waitForRecords(t, fake, d, 1, 1, "the retried lead")
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 || strings.Contains(out, "given up") {
		t.Errorf("status once the lead went: exit %d\n%s", code, out)
	}
}
