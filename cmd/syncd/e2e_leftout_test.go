package main_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestLeadInTheCRMWithoutItsDateIsInTheReport: an Estate Agent Feeds lead
// whose enquiry date syncd cannot read reaches the CRM without it, but the
// day's report listed it nowhere (Needs attention said "Nothing needs
// attention"): the manager never learned that the CRM record lacks it. The
// real daemon's report now lists it under Needs attention as "field left
// out", saying which field and what to do, and counts it in the Summary
// without an alarm; its CRM cell on the Leads sheet, "Sent to HubSpot" alone
// before, says the field left out too.
func TestLeadInTheCRMWithoutItsDateIsInTheReport(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, url)
	d := start(t, config)
	postLeadWithUnreadableDate(t, d)
	waitForRecords(t, fake, d, 1, 1, "a lead whose email_date_time syncd cannot read")

	f := todaysReport(t, config, dir, "today.xlsx")
	attention, _ := f.GetRows("Needs attention")
	var found []string
	for _, row := range attention[2:] {
		if len(row) > 5 && row[1] == "field left out" {
			found = append(found, row[5])
		}
	}
	want := `Goes to the CRM without a field: syncd_enquiry_at left out: cannot read "06/09/2021 06:28" as a date. ` +
		"Fill it in the CRM by hand once the lead is there, or ask the sender to send it as documented."
	if len(found) != 1 || found[0] != want {
		t.Errorf("Needs attention: %q; want one row, field left out, saying %q", attention, want)
	}
	// The Leads sheet, read by whoever works the leads, says it too.
	leads, _ := f.GetRows("Leads")
	if cell := "Sent to HubSpot: field left out\n" + `syncd_enquiry_at left out: cannot read "06/09/2021 06:28" as a date`; len(leads) != 2 ||
		len(leads[1]) < 12 || leads[1][11] != cell {
		t.Errorf("Leads: %q; want the lead's CRM cell %q", leads, cell)
	}
	summary, _ := f.GetRows("Summary")
	var note bool
	for _, row := range summary {
		for _, c := range row {
			note = note || c == "For whoever runs syncd: 1 item on the sheet Needs attention."
			if strings.HasPrefix(c, "ALARM") && strings.Contains(c, "left out") { // the stand-in's account check raises its own
				t.Errorf("the Summary raises %q", c)
			}
		}
	}
	if !note {
		t.Errorf("the Summary does not count the lead on Needs attention: %q", summary)
	}
}
