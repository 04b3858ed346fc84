package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPhoneOnlyEraseInHubSpotSaysWhatItDid: erase -crm given a phone alone,
// on HubSpot (which finds contacts by email only), printed "CRM erase now:
// 0 of the person's emails and phones looked up in hubspot, whoever holds
// them erased", which tells nothing, then "only the contact syncd linked is
// erased" of a person syncd had linked none of. Now it says nothing was
// looked up and why, and which contacts the queued erasure erases, or that
// none is and what to do.
func TestPhoneOnlyEraseInHubSpotSaysWhatItDid(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"p1","email_source":"rightmove",`+
		`"contact_name":"Per Olsen","contact_phone":"+45 31 41 59 26","contact_message_flat":"Call me"}`)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v, %v", a, err)
	}
	waitFor(t, "the contact in the CRM and nothing pending", func() bool {
		return len(fake.State().Contacts) == 1 && len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})

	out := syncdOK(t, "erase", "-config", config, "-phone", "+4531415926", "-crm")
	t.Logf("erase -crm -phone:\n%s", out)
	if strings.Contains(out, "0 of the person's emails and phones looked up") ||
		!strings.Contains(out, "CRM erase now: 1 phone number of the person's not looked up in hubspot, which finds contacts by email only, "+
			"and no email of the person's is known to syncd") ||
		!strings.Contains(out, "nothing was looked up there: only 1 contact syncd linked is erased there, by the CRM erase queued above") {
		t.Errorf("erase -crm -phone of a contact syncd linked, on HubSpot:\n%s", out)
	}
	out = syncdOK(t, "erase", "-config", config, "-phone", "+45 99 88 77 66", "-crm")
	if strings.Contains(out, "0 of the person's emails and phones looked up") || strings.Contains(out, "only the contact syncd linked") ||
		!strings.Contains(out, "no contact is erased there (syncd linked none of the person's): a contact made in hubspot by hand "+
			"that holds the number stays: find it there by the number and delete it") {
		t.Errorf("erase -crm -phone of a number syncd linked no contact of, on HubSpot:\n%s", out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
