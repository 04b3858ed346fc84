package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestChangedIsADuplicateCountedApart: a delivery of a stored event's id
// with another body counts as a duplicate and in its own counter, which
// exists at 0 from the start for an alert to watch.
func TestChangedIsADuplicateCountedApart(t *testing.T) {
	m := New("1.2.3")
	m.Expect([]string{"eaf"}, nil, nil)
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(`
# HELP syncd_events_changed_total Duplicates by the sender's id (eaf_id) whose body says something else than the stored event's: answered 200, the body kept in the quarantine for a person.
# TYPE syncd_events_changed_total counter
syncd_events_changed_total{source="eaf"} 0
`), "syncd_events_changed_total"); err != nil {
		t.Fatal(err)
	}
	m.ObserveIntake("eaf", OutcomeDuplicate, time.Millisecond)
	m.ObserveIntake("eaf", OutcomeChanged, time.Millisecond)
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(`
# HELP syncd_events_changed_total Duplicates by the sender's id (eaf_id) whose body says something else than the stored event's: answered 200, the body kept in the quarantine for a person.
# TYPE syncd_events_changed_total counter
syncd_events_changed_total{source="eaf"} 1
# HELP syncd_events_duplicate_total Deliveries recognised as redeliveries of a stored event (answered 200, not stored again).
# TYPE syncd_events_duplicate_total counter
syncd_events_duplicate_total{source="eaf"} 2
`), "syncd_events_changed_total", "syncd_events_duplicate_total"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(m.intake); n != 1 {
		t.Fatalf("%d intake duration series, want the duplicates' one", n)
	}
}
