package main_test

import (
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseOfADealWrittenButNotAssociated: the daemon stopped after
// HubSpot wrote a lead's deal and before its association with the contact
// (the call after). syncd erase -crm then erased the contact and left the
// deal, which holds the person's name, in HubSpot.
func TestEraseOfADealWrittenButNotAssociated(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Method: "PUT", Path: "/crm/v4/**", Action: crmfake.ActHang})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	fake.ClearFaults()
	const email = "support@estateagentfeeds.com"
	out := syncdOK(t, "erase", "-config", config, "-email", email, "-crm")
	t.Log(out)
	// It said "CRM erase queued: 1 operation for hubspot" alone: nothing
	// told the DPO that the erasure also looks a deal up by its lead id,
	// nor which records it erases.
	mustContain(t, "erase -crm of a deal written but not recorded", out, "CRM erase queued: 1 operation for hubspot: contact ",
		", and 1 deal syncd holds no id of (its lead not recorded as sent, which the CRM may hold all the same), looked up in hubspot by its lead id")
	if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 0 {
		t.Fatalf("sync after the erase: exit %d\n%s%s", code, out, stderr)
	}
	if st := fake.State(); len(st.ContactsByEmail[email]) != 0 || len(st.Deals) != 0 {
		t.Errorf("after syncd sync the CRM still holds %v and %d deals", st.ContactsByEmail[email], len(st.Deals))
	}
}
