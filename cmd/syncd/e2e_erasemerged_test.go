package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseLeavesAContactMergedWithAnotherPerson: a salesperson merged
// Jane's HubSpot contact with Bob's. erase -email Jane -crm sent HubSpot's
// GDPR delete of the merged record (by her email, a secondary one on it,
// and by her linked id, which answers with it), which deleted Bob too. Now
// neither deletes it: erase says the contact is a merge, what to remove by
// hand, and exits 5; the queued erasure is a dead letter saying the same
// (outbox show), which status counts; Jane's deal is deleted all the same.
func TestEraseLeavesAContactMergedWithAnotherPerson(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	for _, p := range []e2ePerson{e2eJane, e2eBob} {
		dl := p.deliveries(t)[0]
		tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[dl[0]]
		if a, err := post(d.url+"/hooks/"+dl[0]+"/"+tok, []byte(dl[1])); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	jane, bob := strings.ToLower(e2eJane.email), strings.ToLower(e2eBob.email)
	waitFor(t, "both contacts and their deals in the CRM and nothing pending", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail[jane]) == 1 && len(s.ContactsByEmail[bob]) == 1 && len(s.Deals) == 2 &&
			len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	st := fake.State()
	merged, err := fake.MergeContacts(st.ContactsByEmail[bob][0].ID, st.ContactsByEmail[jane][0].ID)
	if err != nil {
		t.Fatal(err)
	}

	out, errOut, code := syncdRun(t, "erase", "-config", config, "-email", e2eJane.email, "-crm")
	if code != 5 {
		t.Fatalf("erase -crm of a person in a merged contact: exit %d, want 5\n%s%s", code, out, errOut)
	}
	mustContain(t, "erase -crm", out, "CRM erase queued: 1 operations for hubspot",
		"CRM NOT ERASED: hubspot: contact "+merged+" is a merge of several contacts (2 emails): not deleted",
		"remove the person's data from it by hand", "the queued erasure of that contact is refused alike", "syncd outbox show ID")
	waitFor(t, "the queued erasure sent and refused", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)) == 1
	})
	st = fake.State()
	if len(st.ContactsByEmail[bob]) != 1 || st.ContactsByEmail[bob][0].ID != merged {
		t.Fatalf("after erase -crm of Jane, HubSpot holds %+v under Bob's email; want the merged contact %s", st.ContactsByEmail[bob], merged)
	}
	if len(st.Deals) != 1 {
		t.Fatalf("after erase -crm of Jane, HubSpot holds %d deals; want Bob's alone", len(st.Deals))
	}
	dead := syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)
	id := fmt.Sprint(dead[0]["id"])
	show, _, _ := syncdRun(t, "outbox", "show", id, "-config", config)
	mustContain(t, "outbox show "+id, show, "MERGED_CONTACT", "contact "+merged+" is a merge", "by hand")
	status, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", status, "1  NEEDS ATTENTION")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
