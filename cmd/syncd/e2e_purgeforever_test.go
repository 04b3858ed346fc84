package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestPurgeOfEnquiriesKeptForEverSaysNoneIsKeptPastIt: with
// retention.event_days 0 (enquiries kept for ever), syncd purge says so
// and nothing else of them. It also said "N received more than 0 days
// ago are kept, as their leads wait for the CRM ... (syncd outbox list
// -state pending)" of every enquiry held, none of which waited.
func TestPurgeOfEnquiriesKeptForEverSaysNoneIsKeptPastIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 0\n")
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "purge", "-config", config)
	if code != 0 || !strings.Contains(out, "(kept for ever: retention.event_days 0)") || strings.Contains(out, "more than 0 days ago") {
		t.Errorf("purge with event_days 0: exit %d; want the enquiries said kept for ever, and none said kept past it:\n%s%s", code, out, stderr)
	}
}
