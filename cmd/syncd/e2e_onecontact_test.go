package main_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestOneEmailsLeadsAreOneContactWrite: twenty leads from one email (a
// broker's, each with its client's phone) wait in the outbox while the
// adapter is paused; once resumed, `syncd sync` writes their contact in
// one HubSpot batch upsert, its last phone the last lead's, and every
// operation is done. Before, the outbox sent a record's updates one after
// another, one a batch: 20 upserts of the one contact.
func TestOneEmailsLeadsAreOneContactWrite(t *testing.T) {
	t.Parallel()
	p := startPausedOnToken(t) // one lead of its own, then paused on the token
	const leads = 20
	postBrokersLeads(t, p, leads)
	p.fixToken(t)
	before := p.fake.CountRequests(http.MethodPost, "/crm/v3/objects/contacts/batch/upsert", 0)
	if out, err := syncdCmd("sync", "-resume", "-config", p.config).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), fmt.Sprintf("%d done", 2*(leads+1))) {
		t.Fatalf("sync -resume: %v\n%s", err, out)
	}
	if n := p.fake.CountRequests(http.MethodPost, "/crm/v3/objects/contacts/batch/upsert", 0) - before; n != 1 {
		t.Fatalf("%d contact batch upserts for the two contacts; want 1", n)
	}
	s := p.fake.State()
	if rs := s.ContactsByEmail["broker@agency.dk"]; len(rs) != 1 || rs[0].Properties["phone"] != brokerPhone(leads-1) {
		t.Fatalf("the broker in the CRM: %+v; want one contact with the last lead's phone", rs)
	}
	if dups := s.Duplicates(); len(s.Contacts) != 2 || len(s.Deals) != leads+1 || len(dups) > 0 {
		t.Fatalf("CRM holds %d contacts, %d deals (duplicates %v); want 2 and %d", len(s.Contacts), len(s.Deals), dups, leads+1)
	}
	ids := map[any]int{}
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "done", "-limit", "0", "-json", "-config", p.config) {
		if op["kind"] == "contact" && op["key"] == "broker@agency.dk" {
			ids[op["crm_id"]]++
		}
	}
	if len(ids) != 1 || ids[s.ContactsByEmail["broker@agency.dk"][0].ID] != leads {
		t.Fatalf("the broker's contact operations done with CRM ids %v; want all %d with its one", ids, leads)
	}
}

// brokerPhone is the phone of a broker's lead i (postBrokersLeads).
func brokerPhone(i int) string { return fmt.Sprintf("+4520000%03d", i) }

// postBrokersLeads posts n leads of one broker (broker@agency.dk, each
// with a phone of its own, brokerPhone) to p's daemon, paused on its
// token, waits for their operations in the outbox and stops the daemon.
func postBrokersLeads(t *testing.T, p *pausedOnToken, n int) {
	t.Helper()
	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		body := strings.NewReplacer(`"eaf_id": "77722226661727188822717"`, fmt.Sprintf(`"eaf_id": "broker-%d"`, i),
			"support@estateagentfeeds.com", "broker@agency.dk", "+44(0)20 3870 4550", brokerPhone(i)).Replace(string(lead))
		if a, err := post(p.d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("lead %d: %+v, %v", i, a, err)
		}
	}
	waitFor(t, "the leads' operations in the outbox", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-limit", "0", "-json", "-config", p.config)) == 2*(n+1)
	})
	if err := p.d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
