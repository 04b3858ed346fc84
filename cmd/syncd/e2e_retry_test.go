package main_test

import (
	"fmt"
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
