package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestEarlierAccountsErasureDoneByHand: the CRM erasure forget-links made
// dead kept status at NEEDS ATTENTION, exit 5, as an operation "the CRM
// sync gave up on", until the retention dropped it: nothing syncd can do
// ends it, and outbox give-up refused it as dead already, with a retry
// for the way out. Now status names it apart with what to do, and outbox
// give-up takes it once the person is erased by hand: given up, as any
// other, no alarm, and still never retried.
func TestEarlierAccountsErasureDoneByHand(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	id := deadErasure(t, config)
	d := start(t, config)
	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	if code != 5 || !strings.Contains(out, "1  NEEDS ATTENTION: CRM erasure of the account syncd wrote to before syncd crm forget-links") ||
		!strings.Contains(out, "then syncd outbox give-up ID") || strings.Contains(out, "the CRM sync gave up on") {
		t.Errorf("status with the earlier account's erasure: exit %d; want 5, it named apart with what to do\n%s", code, out)
	}
	out, errOut, code := syncdRun(t, "outbox", "give-up", "-config", config, id)
	t.Logf("syncd outbox give-up %s, exit %d:\n%s%s", id, code, out, errOut)
	if code != 0 || !strings.Contains(out, "operation "+id+" given up") || !strings.Contains(out, "erased by hand") ||
		strings.Contains(out, "retry") || strings.Contains(out, "what waited behind it") {
		t.Errorf("outbox give-up of the earlier account's erasure: exit %d; want it given up, as erased by hand\n%s%s", code, out, errOut)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	if code != 0 || !strings.Contains(out, "dead letters  0; 1 given up by hand") {
		t.Errorf("status with the earlier account's erasure given up: exit %d; want 0, it given up\n%s", code, out)
	}
	out, errOut, code = syncdRun(t, "outbox", "retry", "-config", config, id)
	if code != 2 || !strings.Contains(errOut, "given up by hand already") {
		t.Errorf("outbox retry of it given up: exit %d; want 2, refused\n%s%s", code, out, errOut)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
