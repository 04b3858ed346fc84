package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestStatusSaysOperationsIsolatedApartAreNoOneBatch: the syncer tells
// only operations whose call failed with them alone, so two it tells are
// two records the CRM never takes, each isolated from its own call. Status
// said "ONE BATCH STUCK … every call with operation 221, 361", and the
// systemd status line "ONE BATCH STUCK (… to operation(s) 221, 361)", as
// if they were one call's. Now both say how many operations are stuck,
// each alone; one is still ONE BATCH STUCK.
func TestStatusSaysOperationsIsolatedApartAreNoOneBatch(t *testing.T) {
	t.Parallel()
	s := Snapshot{At: t0, Version: "1.4.0", Adapters: []AdapterStatus{{Name: "hubspot",
		StuckOps: []int64{221, 361}, StuckSince: t0.Add(-20 * time.Minute), StuckWhy: "504 Gateway Timeout"}}}
	var b bytes.Buffer
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "ONE BATCH") || !strings.Contains(out, "2 OPERATIONS STUCK since ") ||
		!strings.Contains(out, "each of operations 221, 361 fails as a whole in every call, sent alone too (504 Gateway Timeout)") ||
		!strings.Contains(out, "syncd outbox give-up 221 361 sets them aside") {
		t.Errorf("status with two operations isolated apart:\n%s", out)
	}
	l := &statusLine{}
	l.crmStuck("hubspot", s.Adapters[0].StuckOps, "504 Gateway Timeout")
	if want := "ATTENTION: CRM hubspot answers, but 2 OPERATIONS STUCK (504 Gateway Timeout to operations 221, 361, each alone)" +
		": syncd status, syncd outbox give-up"; l.sent != want {
		t.Errorf("status line:\n got %q\nwant %q", l.sent, want)
	}

	s.Adapters[0].StuckOps = []int64{221}
	b.Reset()
	if err := writeStatus(&b, cph, s); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "ONE BATCH STUCK since ") ||
		!strings.Contains(out, "every call with operation 221 fails as a whole") {
		t.Errorf("status with one operation stuck:\n%s", out)
	}
}
