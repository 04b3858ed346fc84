package main_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseAndExportKnowTheLeadsWhoseAddressTheMappingRefused: a broker's
// leads give broker@agency.example in their email field; HubSpot takes no
// .example address, so the mapping left it out and keyed each lead's
// contact by its phone. export -email of the broker called those leads
// "other contacts' leads" naming the person and listed every phone of
// them; erase refused without -others, and erase -crm -others kept the
// broker's own contacts in the CRM as another person's. They are the
// broker's: export says so and why the CRM has no contact by the
// address, erase erases them with the broker's contacts in the CRM. A
// colleague's lead that only names the address in its message (keyed by
// her phone) is still another's: refused without -others, kept linked.
func TestEraseAndExportKnowTheLeadsWhoseAddressTheMappingRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfig(t, t.TempDir(), fakeURL)
	d := start(t, config)
	const broker = "broker@agency.example"
	brokerPhones := []string{"+4520123401", "+4520123402"}
	for i, client := range []string{
		`{"email":"` + broker + `","name":"Bo Broker","phone":"+45 20 12 34 01"},"comment":"ring mig op"`,
		`{"email":"Bo Broker <` + strings.ToUpper(broker) + `>","name":"Bo Broker","phone":"+45 20 12 34 02"},"comment":"ring mig op"`,
		`{"name":"Mette Firma","phone":"+45 40 12 34 09"},"comment":"min kollega ` + broker + ` kommer med"`,
		// The broker again, from an address the CRM takes, with the
		// phone of his first lead: the email given does not find it.
		// Sent once the first is in the CRM, where a contact keyed by its
		// phone would find it else.
		`{"email":"bo@agency.dk","name":"Bo Broker","phone":"+45 20 12 34 01"},"comment":"ring mig op"`,
	} {
		if i == 3 {
			waitFor(t, "the first three leads in the CRM", func() bool { return len(fake.State().Contacts) == 3 })
		}
		body := `{"event_type":"enquiry_created","payload":{"location":{"id":"2006` + string(rune('1'+i)) + `","external_key":"EJ-1"},` +
			`"enquiry":{"type":"extra"},"client":` + client + `}}`
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitFor(t, "the four leads in the CRM", func() bool {
		return len(fake.State().Deals) == 4 &&
			len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", broker)
	var ex struct {
		Events []any `json:"events"`
		Links  []struct {
			Key   string `json:"key"`
			CRMID string `json:"crm_id"`
		} `json:"crm_links"`
	}
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
	}
	others := regexp.MustCompile(`(?m)^syncd export: other contacts' leads .*$`).FindString(stderr)
	if len(ex.Events) != 3 || !strings.Contains(others, "(+4540123409: event 3)") {
		t.Errorf("export: %d events, want 3, and the colleague's lead named as another's: %q", len(ex.Events), others)
	}
	for _, p := range brokerPhones {
		if strings.Contains(others, p) {
			t.Errorf("export calls the broker's own lead with phone %s another contact's: %s", p, others)
		}
	}
	if !strings.Contains(stderr, "the person's own leads (events 1 2) gave the address in their email field, "+
		"which the mapping refused (.example is no top-level domain)") {
		t.Errorf("export does not say which leads are the broker's own and why no contact has the address:\n%s", stderr)
	}
	// The broker's own lead's phone is on the lead from his other
	// address: export says so, as of a phone the person's contact has.
	if !strings.Contains(stderr, "the person's phone +4520123401 is the phone of other leads too") ||
		!strings.Contains(stderr, "bo@agency.dk: event 4") {
		t.Errorf("export does not say the phone of the broker's own lead is on his lead from another address:\n%s", stderr)
	}
	brokerIDs := map[string]string{}
	for _, l := range ex.Links {
		brokerIDs[l.Key] = l.CRMID
	}
	for _, p := range brokerPhones {
		if brokerIDs[p] == "" {
			t.Errorf("export leaves the broker's own contact %s out of crm_links: %+v", p, ex.Links)
		}
	}

	out, stderr, code = syncdRun(t, "erase", "-config", config, "-email", broker)
	if code != 2 || !strings.Contains(stderr, "(+4540123409: event 3)") {
		t.Fatalf("erase: exit %d, want 2 naming the colleague's lead alone\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "erase", "-config", config, "-email", broker, "-crm", "-others")
	kept := regexp.MustCompile(`(?m)^kept linked: .*$`).FindString(out)
	if code != 0 || !strings.Contains(out, "erased: 3 events") || !strings.HasPrefix(kept, "kept linked: +4540123409 ") {
		t.Fatalf("erase -crm -others: exit %d, want 0, three leads erased and the colleague alone kept linked\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	queued := regexp.MustCompile(`(?m)^CRM erase queued: .*$`).FindString(out)
	for _, p := range brokerPhones {
		if id := brokerIDs[p]; id == "" || !regexp.MustCompile(`\b`+id+`\b`).MatchString(queued) {
			t.Errorf("erase -crm does not erase the broker's own contact %s (%s) in the CRM: %s", id, p, queued)
		}
	}
	if !strings.Contains(out, "the person's phone +4520123401 is the phone of other leads too") {
		t.Errorf("erase does not say the phone of the broker's own lead is on his lead from another address:\n%s", out)
	}
	if !strings.Contains(out, "the person's own leads (events 1 2)") {
		t.Errorf("erase does not say which leads were the broker's own:\n%s", out)
	}
}
