package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestGivenUpByHandWaitsForNoCRMAfterTheMove: a lead HubSpot refused
// died, and the operator gave up its two operations by hand (syncd outbox
// give-up: dealt with in HubSpot, "no alarm in syncd status"); then the
// agency moved to Pipedrive. Status said "NOT SENT: 2 operations wait for
// hubspot, which crm.kind (pipedrive) no longer names" (exit 5), the
// daemon's start warned of them, validate, sync, replay and purge noted
// them and retry -all-dead said it left them: given up by hand, they wait
// for nothing. Now none of them counts those, and status exits 0.
func TestGivenUpByHandWaitsForNoCRMAfterTheMove(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir, addr := t.TempDir(), freeAddr(t)
	_, hub, dead := startWithADeadLead(t, dir)
	for _, op := range dead {
		if out, stderr, code := syncdRun(t, "outbox", "give-up", "-config", hub, fmt.Sprint(op["id"])); code != 0 {
			t.Fatalf("give-up %v on hubspot: exit %d\n%s%s", op["id"], code, out, stderr)
		}
	}
	_, _, pd := setUpPipedrive(t, dir) // the same data_dir, crm.kind pipedrive
	listenOn(t, pd, addr)
	d := start(t, pd)
	defer d.stop(t, syscall.SIGTERM)

	out, stderr, code := syncdRun(t, "status", "-config", pd)
	t.Logf("syncd status, exit %d:\n%s%s", code, out, stderr)
	if code != 0 || strings.Contains(out, "NOT SENT") || !strings.Contains(out, "2 given up by hand") {
		t.Errorf("status: exit %d; want 0, the 2 given up by hand counted as such and nothing NOT SENT", code)
	}
	if strings.Contains(d.log(), "wait for a CRM crm.kind does not name") {
		t.Errorf("the daemon's start warned of the operations given up by hand:\n%s", d.log())
	}
	// The report says so too (it did before): the lead given up by hand,
	// in no attention count.
	leads, _ := todaysReport(t, pd, t.TempDir(), "today.xlsx").GetRows("Leads")
	if got := fmt.Sprint(leads); !strings.Contains(got, "Not sent: given up") || strings.Contains(got, "Not sent: dead") {
		t.Errorf("the report's Leads sheet: %v; want the lead given up by hand, not dead", leads)
	}
	for _, cmd := range [][]string{{"validate"}, {"sync"}, {"replay", "-dry-run"}, {"purge"}, {"outbox", "retry", "-all-dead"}} {
		out, stderr, _ := syncdRun(t, append(cmd, "-config", pd)...)
		if strings.Contains(out+stderr, "wait for hubspot") || strings.Contains(out+stderr, "dead operations for hubspot") {
			t.Errorf("syncd %s names the operations given up by hand as waiting:\n%s%s", strings.Join(cmd, " "), out, stderr)
		}
	}
}
