package main_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseLeavesAPipedrivePersonHoldingAnotherPersons: a salesperson
// merged Bob's Pipedrive person into Jane's (Pipedrive keeps no trace of
// it: hers now holds his email, number and deal) and removed her address
// from it. erase -email Jane -crm deleted her person, Bob's data and deal
// with it, by the queued erasure, while saying "whoever holds them erased"
// and exiting 0. Now it is not deleted: erase says at once, by the person
// syncd linked, what it holds that is not hers and what to do by hand, and
// exits 5; the queued erasure deletes the deal syncd made for her and is a
// dead letter saying the same (SHARED_CONTACT), which outbox give-up
// records once done by hand.
func TestEraseLeavesAPipedrivePersonHoldingAnotherPersons(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, fakeURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	d := start(t, config)
	for _, p := range []e2ePerson{e2eJane, e2eBob} {
		dl := p.deliveries(t)[0]
		tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[dl[0]]
		if a, err := post(d.url+"/hooks/"+dl[0]+"/"+tok, []byte(dl[1])); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	jane, bob := strings.ToLower(e2eJane.email), strings.ToLower(e2eBob.email)
	waitFor(t, "both persons and their deals in Pipedrive and nothing pending", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail[jane]) == 1 && len(s.ContactsByEmail[bob]) == 1 && len(s.Deals) == 2 &&
			len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	st := fake.State()
	janeID, bobID := st.ContactsByEmail[jane][0].ID, st.ContactsByEmail[bob][0].ID
	var bobDeal string
	for _, dl := range st.Deals {
		if len(dl.ContactIDs) == 1 && dl.ContactIDs[0] == bobID {
			bobDeal = dl.ID
		}
	}
	salesperson := func(method, path, body string) {
		req, _ := http.NewRequest(method, strings.TrimSuffix(fakeURL, "/api/v2")+path, strings.NewReader(body))
		req.Header.Set("x-api-token", "fake-pipedrive-token")
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %v %v", method, path, resp, err)
		}
	}
	salesperson(http.MethodPut, "/api/v1/persons/"+bobID+"/merge", `{"merge_with_id":`+janeID+`}`)
	// ... and keeps Bob's address alone on it: her email no longer finds
	// it, her number and syncd's link still do.
	salesperson(http.MethodPatch, "/api/v2/persons/"+janeID, `{"emails":[{"value":"`+bob+`","primary":true}]}`)

	out, errOut, code := syncdRun(t, "erase", "-config", config, "-email", e2eJane.email, "-crm")
	if code != 5 {
		t.Fatalf("erase -crm of a person merged with another: exit %d, want 5\n%s%s", code, out, errOut)
	}
	if n := strings.Count(out, "CRM NOT ERASED"); n != 1 {
		t.Errorf("erase -crm says CRM NOT ERASED %d times; want once:\n%s", n, out)
	}
	mustContain(t, "erase -crm", out, "CRM erase queued: 1 operation for pipedrive",
		"CRM NOT ERASED: pipedrive: person "+janeID+" holds 1 email and 1 phone that syncd does not know as the person's: not deleted",
		"remove the person's data from it by hand", "a queued erasure of the same person is refused alike")
	waitFor(t, "the queued erasure sent and refused", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)) == 1
	})
	st = fake.State()
	if len(st.Contacts) != 1 || st.Contacts[0].ID != janeID || len(st.Deals) != 1 || st.Deals[0].ID != bobDeal {
		t.Fatalf("after erase -crm of Jane, Pipedrive holds persons %+v, deals %+v; want the merged person and Bob's deal %s",
			st.Contacts, st.Deals, bobDeal)
	}
	dead := syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
	id := fmt.Sprint(dead[0]["id"])
	show, _, _ := syncdRun(t, "outbox", "show", id, "-config", config)
	mustContain(t, "outbox show "+id, show, "SHARED_CONTACT", "person "+janeID+" holds", "by hand", "person_keys:", "sealed (the person's emails and phones")
	if strings.Contains(show, jane) {
		t.Errorf("outbox show of the erasure names her email:\n%s", show)
	}
	if out, errOut, code := syncdRun(t, "outbox", "give-up", "-config", config, id); code != 0 {
		t.Fatalf("give-up of the dead erasure, done by hand: exit %d, want 0\n%s%s", code, out, errOut)
	}
}
