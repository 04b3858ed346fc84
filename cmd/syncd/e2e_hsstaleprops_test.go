package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPropertyMadeADropdownAfterTheCheckTakesItsLabels: the daemon's check
// read syncd_size as a text property; the admin then made it a dropdown
// whose options a sender names by their labels. HubSpot refused the label
// ("Large office" was not one of the allowed options) and the lead was
// dead-lettered, the dead letter's fix (add the option, syncd outbox
// retry) failing alike until the daemon checked the account again. The
// daemon now reads the properties again on such a refusal and sends the
// option's value.
func TestPropertyMadeADropdownAfterTheCheckTakesItsLabels(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, d, config := hubspotWithTypes(t)
	size := crmfake.Property{Name: "syncd_size", Label: "syncd_size", Type: "string", FieldType: "text"}
	fake.SetProperty("contacts", size)
	d.cmd.Process.Signal(syscall.SIGHUP) // the check reads it as text
	waitFor(t, "the check after the reload", func() bool { return strings.Count(d.log(), "crm check passed") >= 2 })
	size.Type, size.FieldType = "enumeration", "select"
	size.Options = []crmfake.Option{{Label: "Small office", Value: "small"}, {Label: "Large office", Value: "large"}}
	fake.SetProperty("contacts", size)
	postViewing(t, d, `"email": "typed@x.dk", "features": ["parking"], "size": "Large office"`)
	contactsSentNoneDead(t, config)
	if p, _ := hsContact(fake, "typed@x.dk"); p["syncd_size"] != "large" {
		t.Errorf("a lead with size \"Large office\": the contact's syncd_size holds %q, want %q", p["syncd_size"], "large")
	}
}
