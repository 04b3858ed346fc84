package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestGiveUpOfAStuckLeadSaysToLookInTheCRMFirst: syncd sync's line of an
// operation set aside and status's stuck line named `syncd outbox
// give-up` alone, while the syncer's own advice for such an operation
// says that the CRM may have taken a create before failing (its answer
// lost), to look for the lead there, and what a give-up leaves: the
// operator following sync or status gave up a lead that was never sent,
// or entered by hand one Pipedrive had already. Both now say to look in
// the CRM first, before the give-up.
func TestGiveUpOfAStuckLeadSaysToLookInTheCRMFirst(t *testing.T) {
	t.Parallel()
	s := Snapshot{At: t0, Version: "1.4.0", Adapters: []AdapterStatus{{Name: "pipedrive",
		StuckOps: []int64{221}, StuckSince: t0.Add(-20 * time.Minute), StuckWhy: "502 Bad Gateway"}}}
	var st bytes.Buffer
	if err := writeStatus(&st, cph, s); err != nil {
		t.Fatal(err)
	}
	var sync bytes.Buffer
	printAside(&sync, syncer.Summary{Aside: []int64{221}, Isolated: []int64{221}, AsideWhy: "502 Bad Gateway"}, true, serving{})
	for what, out := range map[string]string{"status": st.String(), "syncd sync": sync.String()} {
		look := strings.Index(out, "look for their leads in the CRM first")
		giveUp := strings.Index(out, "syncd outbox give-up 221")
		if look < 0 || giveUp < 0 || look > giveUp || !strings.Contains(out, "given up, a lead is not sent") {
			t.Errorf("%s names the give-up without a look in the CRM first:\n%s", what, out)
		}
	}
}
