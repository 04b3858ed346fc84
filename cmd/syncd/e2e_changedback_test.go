package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCompanyChangedBackReachesTheCRM: a client's company on her first
// lead, another on her second and the first again on her third. The
// third lead's contact operation was skipped as the first's (the outbox
// enqueued a record's properties once, ever), and HubSpot kept the
// second's company, where her newest lead said the first's.
func TestCompanyChangedBackReachesTheCRM(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	lead, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	companies := []string{"Bakers Inc.", "Baker & Sons ApS", "Bakers Inc."}
	for i, company := range companies {
		body := strings.NewReplacer(`"Bakers Inc."`, `"`+company+`"`,
			"a grand view over the city", "a view, enquiry "+string(rune('1'+i))).Replace(string(lead))
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post %d: %+v %v", i+1, a, err)
		}
		waitFor(t, "the lead's deal in the CRM and every operation done", func() bool {
			if len(fake.State().Deals) != i+1 {
				return false
			}
			for _, op := range syncdJSON(t, "outbox", "list", "-config", config, "-json") {
				if op["state"] != "done" {
					return false
				}
			}
			return true
		})
	}
	s := fake.State()
	contacts := s.ContactsByEmail["angela7913@hotmail.com"]
	if len(contacts) != 1 || len(s.Deals) != 3 {
		t.Fatalf("%d contacts of the client, %d deals; want 1 and 3", len(contacts), len(s.Deals))
	}
	if got := contacts[0].Properties["company"]; got != "Bakers Inc." {
		t.Errorf("the contact's company in HubSpot is %q; the newest lead says %q", got, "Bakers Inc.")
	}
}
