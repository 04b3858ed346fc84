package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestStatusOffersNoRetryForAnErasureDoneByHand: once the CRM erasure
// crm forget-links made dead is given up (erased by hand in the earlier
// account), status's dead letters line said "1 given up by hand ...
// syncd outbox retry ID sends one again", a retry that refuses it (exit
// 2): no retry sends it, and nothing is left to do. Now status says so,
// from the database and from a running daemon alike.
func TestStatusOffersNoRetryForAnErasureDoneByHand(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	id := deadErasure(t, config)
	syncdOK(t, "outbox", "give-up", "-config", config, id)
	check := func(how string) {
		t.Helper()
		out, _, code := syncdRun(t, "status", "-config", config)
		t.Logf("syncd status (%s), exit %d:\n%s", how, code, out)
		if !strings.Contains(out, "dead letters  0; 1 given up by hand") || strings.Contains(out, "outbox retry") ||
			!strings.Contains(out, "recorded as erased by hand there") {
			t.Errorf("status (%s) of the earlier account's erasure given up: want it said done by hand, no retry offered", how)
		}
	}
	check("no daemon")
	d := start(t, config)
	check("daemon running")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
