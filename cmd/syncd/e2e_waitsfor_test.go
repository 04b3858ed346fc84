package main_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestListSaysADealWaitsForItsContact: a lead's deal goes to the CRM only
// once its contact is there. While the contact's call was under way (here
// the CRM never answers it), outbox list showed the deal due at a time
// already past, with no reason, as if it were stuck; now it says it waits
// for its contact's operation, and -json names it (waits_for).
func TestListSaysADealWaitsForItsContact(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActHang})
	d := start(t, config)
	contact, deal := contactBeingSent(t, d, config)
	out := syncdOK(t, "outbox", "list", "-config", config)
	t.Logf("syncd outbox list:\n%s", out)
	want := fmt.Sprintf("after operation %d (its contact)", contact.ID)
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, fmt.Sprint(deal.ID)+" ") && !strings.Contains(line, want) {
			t.Errorf("the deal's row does not say %q:\n%s", want, line)
		}
	}
	if deal.WaitsFor != contact.ID {
		t.Errorf("outbox list -json: the deal's waits_for is %d; want %d, its contact's operation", deal.WaitsFor, contact.ID)
	}
	out = syncdOK(t, "outbox", "show", "-config", config, fmt.Sprint(deal.ID))
	if !strings.Contains(out, fmt.Sprintf("once operation %d, its contact, is done", contact.ID)) {
		t.Errorf("outbox show %d does not say it waits for its contact:\n%s", deal.ID, out)
	}
}

// TestRetryOfADealWaitingForItsContactSaysSo: outbox retry of a pending
// deal (not dead: nothing to retry) said it is sent by itself at its next
// attempt, a time already past while it waited for its contact. Now it
// says after which operation it goes.
func TestRetryOfADealWaitingForItsContactSaysSo(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActHang})
	d := start(t, config)
	contact, deal := contactBeingSent(t, d, config)
	out, errOut, code := syncdRun(t, "outbox", "retry", "-config", config, fmt.Sprint(deal.ID))
	t.Logf("syncd outbox retry %d, exit %d:\n%s%s", deal.ID, code, out, errOut)
	if code != 3 || !strings.Contains(errOut, "is pending, not dead") ||
		!strings.Contains(errOut, fmt.Sprintf("next attempt after operation %d (its contact)", contact.ID)) {
		t.Errorf("outbox retry of the deal waiting for its contact: exit %d; want 3, saying what it waits for", code)
	}
}

// listedOp is an operation as outbox list -json shows it.
type listedOp struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	LeaseUntil string `json:"lease_until"`
	WaitsFor   int64  `json:"waits_for"`
}

// contactBeingSent posts a lead to d, a daemon whose CRM never answers a
// contact's call, and waits until its contact's operation is being sent
// (a lease holds it); it returns that operation and the lead's deal's, as
// outbox list -json shows them then.
func contactBeingSent(t *testing.T, d *daemon, config string) (contact, deal listedOp) {
	t.Helper()
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the contact's operation to be sent", func() bool {
		for _, row := range syncdJSON(t, "outbox", "list", "-json", "-config", config) {
			raw, _ := json.Marshal(row)
			var o listedOp
			json.Unmarshal(raw, &o)
			switch o.Kind {
			case "contact":
				contact = o
			case "deal":
				deal = o
			}
		}
		return contact.LeaseUntil != "" && deal.ID != 0
	})
	return contact, deal
}
