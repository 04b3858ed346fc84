package main_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestDealsPastAContactsAssociationLimitAreDeadLetters: one person with
// more leads than the HubSpot account lets a contact hold deals (an
// association limit its admin set). Each lead's deal is written; those
// past the limit are refused their association with the contact. They are
// dead letters at once, each saying HubSpot wrote the deal and refused to
// associate it, with HubSpot's words, and status counts them: none is
// lost without a word, and none is retried for hours.
func TestDealsPastAContactsAssociationLimitAreDeadLetters(t *testing.T) {
	t.Parallel()
	const limit, leads = 3, 5
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", DealsPerContact: limit})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, false)
	d := start(t, config)
	for i := range leads {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"limit%d","email_source":"rightmove","contact_name":"Bo Broker",`+
			`"contact_email":"bo@broker.dk","eaf_reference":"876%d","eaf_date":"2026-12-05T06:28:06+01:00"}`, i, i)
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post lead %d: %+v %v", i, a, err)
		}
	}
	var out string
	waitFor(t, "every lead's operations to finish", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: 0 pending") && strings.Contains(out, "dead letters  2")
	})
	st := fake.State()
	associated := 0
	for _, deal := range st.Deals {
		associated += len(deal.ContactIDs)
	}
	if len(st.Contacts) != 1 || len(st.Deals) != leads || associated != limit {
		t.Fatalf("the CRM holds %d contacts, %d deals, %d of them associated; want 1, %d, %d\n%s",
			len(st.Contacts), len(st.Deals), associated, leads, limit, out)
	}
	list, _, code := syncdRun(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
	if code != 0 {
		t.Fatalf("outbox list: exit %d\n%s", code, list)
	}
	dead := 0
	for line := range strings.Lines(list) {
		var op struct {
			Kind      string `json:"kind"`
			Attempts  int    `json:"attempts"`
			LastError string `json:"last_error"`
		}
		if err := json.Unmarshal([]byte(line), &op); err != nil {
			t.Fatalf("outbox list -json: %q: %v", line, err)
		}
		dead++
		if op.Kind != "deal" || op.Attempts != 1 || !strings.Contains(op.LastError, "refused to associate it with its contact") ||
			!strings.Contains(op.LastError, "association limit") {
			t.Errorf("dead letter %+v: want a deal, dead at its first attempt, saying HubSpot refused its association and why", op)
		}
	}
	if dead != leads-limit {
		t.Errorf("%d dead letters, want %d:\n%s", dead, leads-limit, list)
	}
}
