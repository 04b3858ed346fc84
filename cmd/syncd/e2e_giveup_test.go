package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestGiveUpSetsAsideABatchTheCRMNeverTakes: the CRM answering its
// account checks (syncd crm check passes) but 504 to one batch every time
// (too large for it, say), that batch used up no attempt (a 504 is an
// outage, not the leads' fault) and was tried for ever, holding up the
// leads behind it, and no command set it aside. syncd outbox give-up ID
// makes it dead (its deal dies with its contact: named too, it is no
// failure), refuses one done, and outbox retry brings both back. Nothing
// else waiting then, and the daemon stopped, give-up said what waited
// behind it goes "at the daemon's next try": now that nothing else waits,
// or, something waiting, that no daemon serves the database, and syncd
// sync sends it.
func TestGiveUpSetsAsideABatchTheCRMNeverTakes(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), fakeURL, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert",
		Action: crmfake.ActError, Status: 504})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	var stuck map[string]any
	waitFor(t, "the second lead's contact to draw a 504", func() bool {
		for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
			if op["kind"] == "contact" && strings.Contains(fmt.Sprint(op["last_error"]), "504") {
				stuck = op
				return true
			}
		}
		return false
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "check", "-config", config); code != 0 {
		t.Fatalf("crm check with only the batch path failing: exit %d\n%s%s", code, out, stderr)
	}
	done := syncdJSON(t, "outbox", "list", "-state", "done", "-json", "-config", config)
	if len(done) == 0 {
		t.Fatal("no done operation")
	}
	_, stderr, code := syncdRun(t, "outbox", "give-up", "-config", config, fmt.Sprint(done[0]["id"]))
	if code != 3 || !strings.Contains(stderr, fmt.Sprintf("operation %v is done", done[0]["id"])) {
		t.Errorf("give up a done operation: exit %d\n%s", code, stderr)
	}

	id := fmt.Sprint(stuck["id"])
	var deal string // the stuck contact's deal, which waits for it: an operator lists both
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
		if op["kind"] == "deal" {
			deal = fmt.Sprint(op["id"])
		}
	}
	out, stderr, code := syncdRun(t, "outbox", "give-up", "-config", config, id, deal)
	if code != 0 || !strings.HasPrefix(out, "operation "+id+" given up: dead") || !strings.Contains(out, "syncd outbox retry "+id) ||
		!strings.Contains(out, "given up with it: its deal operation "+deal) || !strings.Contains(out, "nothing else waits for the CRM") ||
		strings.Contains(out, "daemon's next try") ||
		!strings.Contains(out, "operation "+deal+" given up with operation "+id) || stderr != "" {
		t.Fatalf("give up the stuck contact and its deal: exit %d\n%s%s", code, out, stderr)
	}
	op := syncdJSON(t, "outbox", "show", "-json", "-config", config, id)[0]
	if op["state"] != "dead" || !strings.Contains(fmt.Sprint(op["last_error"]), "504") {
		t.Errorf("given up: %v; want dead, its 504 kept", op)
	}
	_, stderr, code = syncdRun(t, "outbox", "give-up", "-config", config, id)
	if code != 3 || !strings.Contains(stderr, "is given up by hand already") {
		t.Errorf("give up an operation given up already: exit %d\n%s", code, stderr)
	}
	// Its deal is given up with it: nothing is left that holds the line up,
	// and nothing needs attention.
	out, stderr, code = syncdRun(t, "sync", "-config", config)
	if code != 0 || strings.Contains(out, "the CRM failed the whole call") {
		t.Errorf("sync after the give-up: exit %d, want 0 (its deal given up with it)\n%s%s", code, out, stderr)
	}
	if pending := syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config); len(pending) != 0 {
		t.Errorf("pending after the give-up and a sync: %v", pending)
	}

	fake.ClearFaults()
	out, stderr, code = syncdRun(t, "outbox", "retry", "-config", config, id)
	if code != 0 || !strings.Contains(out, "with the deal operation that died waiting for it") {
		t.Fatalf("retry the given-up contact: exit %d\n%s%s", code, out, stderr)
	}
	// Its deal given up alone, the contact still waits, and no daemon
	// serves the database: nothing sends it at a "daemon's next try".
	out, stderr, code = syncdRun(t, "outbox", "give-up", "-config", config, deal)
	if code != 0 || !strings.Contains(out, "1 operation still pending: no syncd daemon serves this database") ||
		strings.Contains(out, "daemon's next try") {
		t.Errorf("give up the deal, its contact pending, no daemon: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code = syncdRun(t, "outbox", "retry", "-config", config, deal); code != 0 {
		t.Fatalf("retry the deal: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "sync", "-config", config)
	if s := fake.State(); code != 0 || len(s.Contacts) != 2 || len(s.Deals) != 2 {
		t.Fatalf("sync after the retry: exit %d, %d contacts, %d deals\n%s%s", code, len(s.Contacts), len(s.Deals), out, stderr)
	}
}
