package main_test

import (
	"fmt"
	"io"
	"net/http"
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
// Once the operator has removed her from the merged record by hand, syncd
// outbox give-up ID records the dead letter as dealt with: status counts
// it given up by hand and exits 0, /metrics as state="given_up", and
// outbox retry -all-dead leaves it (it sent it again). Before,
// give-up refused a dead letter (exit 3), so status exited 5 for it until
// the retention purge dropped it.
func TestEraseLeavesAContactMergedWithAnotherPerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true) // status finds the daemon, the account set up: nothing else to say
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
	mustContain(t, "erase -crm", out, "CRM erase queued: 1 operation for hubspot",
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
	status, _, code := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", status, "1  NEEDS ATTENTION", "syncd outbox give-up ID once it is dealt with by hand in the CRM")
	if code != 5 {
		t.Errorf("status with the erasure dead: exit %d, want 5", code)
	}

	// The operator removes her data from the merged contact in HubSpot by
	// hand, as told, and says so: the dead letter is given up, no alarm.
	out, errOut, code = syncdRun(t, "outbox", "give-up", "-config", config, id)
	if code != 0 || errOut != "" {
		t.Fatalf("give-up of the dead erasure, done by hand: exit %d, want 0\n%s%s", code, out, errOut)
	}
	mustContain(t, "give-up", out, "operation "+id+" given up: a dead letter, recorded as dealt with by hand in the CRM",
		"no alarm", "syncd outbox retry "+id+" sends it again")
	show, _, _ = syncdRun(t, "outbox", "show", id, "-config", config)
	mustContain(t, "outbox show "+id+" given up", show, "dead",
		"given up by hand (syncd outbox give-up); last error: ", "MERGED_CONTACT")
	status, _, code = syncdRun(t, "status", "-config", config)
	mustContain(t, "status after the give-up", status, "dead letters  0; 1 given up by hand (syncd outbox give-up): no alarm",
		"1 dead (1 of them given up by hand)")
	if code != 0 {
		t.Errorf("status with the dead erasure given up by hand: exit %d, want 0\n%s", code, status)
	}
	if _, errOut, code = syncdRun(t, "outbox", "give-up", "-config", config, id); code != 3 {
		t.Errorf("give-up again: exit %d, want 3\n%s", code, errOut)
	} else {
		mustContain(t, "give-up again", errOut, "operation "+id+" is given up by hand already")
	}
	// A retry of every dead letter (a mapping fixed, say) leaves it: sent
	// again, it would be refused again and need attention again.
	out, errOut, code = syncdRun(t, "outbox", "retry", "-all-dead", "-config", config)
	if code != 0 {
		t.Fatalf("retry -all-dead: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "retry -all-dead", out, "0 dead operations pending again",
		"1 operation given up by hand (syncd outbox give-up) left as it is: syncd outbox retry ID sends one again")
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	mustContain(t, "/metrics", string(exported), `syncd_outbox_ops{state="dead",target="hubspot"} 0`,
		`syncd_outbox_ops{state="given_up",target="hubspot"} 1`)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
