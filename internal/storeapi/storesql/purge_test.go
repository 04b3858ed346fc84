package storesql

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPurgeStepsLeaveOutWhatIsKeptForEver: a kind of data the retention
// keeps for ever (no days) is no step; the others come events first, each
// with its own days, statement and count.
func TestPurgeStepsLeaveOutWhatIsKeptForEver(t *testing.T) {
	var p syncd.Purge
	q := PurgeSQL{Events: "e", Quarantine: "q", Outbox: "o", Links: "l", Intents: "i"}
	steps := PurgeSteps(syncd.Retention{Events: 3 * time.Hour, Outbox: 2 * time.Hour, Intents: time.Hour}, &p, q)
	var got string
	for _, s := range steps {
		got += s.SQL + s.Table + s.Keep.String() + " "
		*s.N = int(s.Keep / time.Hour)
	}
	if want := "eevents3h0m0s o2h0m0s i1h0m0s "; got != want {
		t.Errorf("steps %q, want %q", got, want)
	}
	if p.Events != 3 || p.Ops != 2 || p.Intents != 1 || p.Quarantined != 0 || p.Links != 0 {
		t.Errorf("counted into %+v", p)
	}
}
