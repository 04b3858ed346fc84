package main_test

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestReturningClientsPhoneOnLeadsReadable: a client's second lead, her
// contact unchanged, queues no contact operation (the one of her first
// lead stands for it), and the Leads sheet showed its phone as she wrote
// it, "52 25 05 59", under her first lead's "+4552250559". Both showed the
// phone as syncd sent it to the CRM then, E.164, eleven digits in a row a
// manager dialling from the printed sheet misreads. Both now show it in
// the international format, "+45 52 25 05 59", the one form every lead's
// phone prints in; the CRM's operation keeps E.164.
func TestReturningClientsPhoneOnLeadsReadable(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	lead, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	again := strings.Replace(string(lead), "a grand view over the city", "a garden and parking", 1)
	for _, body := range []string{string(lead), again} {
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitFor(t, "both leads mapped", func() bool {
		evs := syncdJSON(t, "events", "list", "-config", config, "-json")
		return len(evs) == 2 && evs[0]["map_state"] == "mapped" && evs[1]["map_state"] == "mapped"
	})
	ops := syncdJSON(t, "outbox", "list", "-config", config, "-json")
	if len(ops) != 3 {
		t.Fatalf("%d operations, want 3: the second lead's deal alone", len(ops))
	}
	contacts := 0
	for _, op := range ops {
		if op["kind"] == "contact" {
			contacts++
			shown := syncdJSON(t, "outbox", "show", "-json", "-config", config, fmt.Sprint(op["id"]))
			if props, _ := shown[0]["properties"].(map[string]any); props["phone"] != "+4552250559" {
				t.Errorf("the contact operation's phone %q, want +4552250559: the CRM keeps E.164", props["phone"])
			}
		}
	}
	if contacts != 1 {
		t.Errorf("%d contact operations, want 1", contacts)
	}
	leads, _ := todaysReport(t, config, dir, "today.xlsx").GetRows("Leads")
	if len(leads) != 3 || len(leads[1]) < 7 || len(leads[2]) < 7 {
		t.Fatalf("Leads: %q; want two leads", leads)
	}
	for i, row := range leads[1:] {
		if row[6] != "+45 52 25 05 59" {
			t.Errorf("lead %d's phone %q, want +45 52 25 05 59, the number sent to the CRM spaced to read", i+1, row[6])
		}
	}
}
