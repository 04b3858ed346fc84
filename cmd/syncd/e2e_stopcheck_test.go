package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStopDuringTheStartCheckRecordsNoFailure: a daemon stopped while its
// start's CRM account check waited for the CRM (a stop soon after a
// start, as the restore steps and any quick restart have) recorded the
// check as failing on "context canceled": syncd status said "crm check
// hubspot: FAILING, 1 problem" (exit 5) and the next report led with
// the alarm "The CRM account check failed", though nothing was wrong. Now a
// check cut short by the stop records nothing.
func TestStopDuringTheStartCheckRecordsNoFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/properties/**", Action: crmfake.ActSlow, Delay: 20 * time.Second})
	d := start(t, config)
	waitFor(t, "the start check asking the CRM", func() bool {
		return fake.Faults()[0].Fired > 0
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, _, _ := syncdRun(t, "status", "-config", config) // exit 5: no daemon answers
	if strings.Contains(out, "crm check") {
		t.Errorf("status after a stop during the start check:\n%s", out)
	}
}
