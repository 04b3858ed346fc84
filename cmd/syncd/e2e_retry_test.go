package main_test

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRetryDeadDealRevivesItsContact: a contact the CRM refused dies, and
// its deal dies with it ("its contact operation is dead"). Once the cause
// is fixed, an operator retrying the deal (the lead they see) gets the
// lead into the CRM: the retry revives the contact's dead operation too,
// and says so.
func TestRetryDeadDealRevivesItsContact(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, config, dead := startWithADeadLead(t, t.TempDir())
	fake.ClearFaults()
	ids := map[any]any{}
	for _, op := range dead {
		ids[op["kind"]] = op["id"]
	}
	out, stderr, code := syncdRun(t, "outbox", "retry", "-config", config, fmt.Sprint(ids["deal"]))
	want := fmt.Sprintf("operation %v pending again, with its contact's dead operation %v", ids["deal"], ids["contact"])
	if code != 0 || !strings.HasPrefix(out, want) {
		t.Fatalf("retry the deal: exit %d\n%s%s\nwant it to start %q", code, out, stderr, want)
	}
	out, stderr, code = syncdRun(t, "sync", "-config", config)
	if s := fake.State(); code != 0 || len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("sync after the retry: exit %d, %d contacts, %d deals\n%s%s", code, len(s.Contacts), len(s.Deals), out, stderr)
	}
}

// startWithADeadLead runs a daemon in dir against the stand-in HubSpot,
// which refuses every contact (400, VALIDATION_ERROR), posts one lead and
// stops the daemon once its contact and deal are dead. It returns the
// stand-in, the configuration and the two dead operations.
func startWithADeadLead(t *testing.T, dir string) (*crmfake.Server, string, []map[string]any) {
	t.Helper()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert",
		Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR"}`})
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	var dead []map[string]any
	waitFor(t, "the contact and its deal to die", func() bool {
		dead = syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
		return len(dead) == 2
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return fake, config, dead
}

// TestRetryDeadDealRevivesItsContactsOtherDeals: a client's two leads,
// the CRM refusing her contact: the contact dies and both deals with it.
// Retrying one deal revived the contact and that deal, and left the other
// deal a dead letter of its own, though its contact was then in the CRM.
// The retry now revives it too, and says so.
func TestRetryDeadDealRevivesItsContactsOtherDeals(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert",
		Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR"}`})
	config := writeCRMConfig(t, t.TempDir(), fakeURL)
	d := start(t, config)
	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	second := strings.Replace(string(lead), `"eaf_id": "77722226661727188822717"`, `"eaf_id": "2"`, 1)
	for _, body := range []string{string(lead), second} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	var deals []string
	waitFor(t, "the contact and both deals to die", func() bool {
		deals = nil
		dead := syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
		for _, op := range dead {
			if op["kind"] == "deal" {
				deals = append(deals, fmt.Sprint(op["id"]))
			}
		}
		return len(deals) == 2 && len(dead) >= 3
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	fake.ClearFaults()
	out, stderr, code := syncdRun(t, "outbox", "retry", "-config", config, deals[0])
	if want := "other deal operation that died waiting for it or was given up: " + deals[1]; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("retry deal %s: exit %d\n%s%s\nwant it to say %q", deals[0], code, out, stderr, want)
	}
	out, stderr, code = syncdRun(t, "sync", "-config", config)
	if s := fake.State(); code != 0 || len(s.Contacts) != 1 || len(s.Deals) != 2 {
		t.Fatalf("sync after the retry: exit %d, %d contacts, %d deals\n%s%s", code, len(s.Contacts), len(s.Deals), out, stderr)
	}
}
