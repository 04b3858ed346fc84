package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestErasedChangedDeliveryAdvisesNoRepair: a changed delivery's reason
// says to correct the CRM and run syncd events repair; once the person
// was erased, events list -quarantined and events show -quarantined still
// said so, and that repair is refused (the person asked to be forgotten).
// What the body was is shown, without the advice; a changed delivery that
// waits still gives it.
func TestErasedChangedDeliveryAdvisesNoRepair(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	postChangedDelivery(t, url, `{"eaf_type":"email_lead","eaf_id":"880091","contact_email":"ann@example.com","contact_message_flat":%q}`)
	postChangedDelivery(t, url, `{"eaf_type":"email_lead","eaf_id":"880092","contact_email":"bo@example.com","contact_message_flat":%q}`)
	before := syncdOK(t, "events", "list", "-quarantined", "-config", config)
	if strings.Count(before, "syncd events repair") != 2 {
		t.Fatalf("two changed deliveries waiting, each with its way out:\n%s", before)
	}
	syncdOK(t, "erase", "-config", config, "-email", "ann@example.com")
	list := syncdOK(t, "events", "list", "-quarantined", "-config", config)
	if n := strings.Count(list, "syncd events repair"); n != 1 || !strings.Contains(list, "changed: sent again with the eaf_id of event") {
		t.Errorf("after ann's erase, %d bodies advise events repair, want bo's alone:\n%s", n, list)
	}
	for _, line := range strings.Split(list, "\n") {
		id, _, _ := strings.Cut(line, " ")
		if !strings.Contains(line, "erased") || strings.Trim(id, "0123456789") != "" { // a row, not the line under the table naming the erasure
			continue
		}
		out, _, code := syncdRun(t, "events", "show", "-quarantined", "-config", config, id)
		if code != 3 || strings.Contains(out, "events repair") { // 3: the body is no longer held
			t.Errorf("events show -quarantined %s of an erased body advises events repair, or exit %d is not 3:\n%s", id, code, out)
		}
	}
}
