package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusSaysAcceptedDeliveriesWereUnrecognised: a delivery whose body
// is not of its source's kind (a sender given another source's URL) is
// answered 200 and stored, never mapped; status counted it among the
// accepted and said nothing else, so a sender posting every lead to the
// wrong URL looked well from status while none reached the CRM. The count
// of those is now said under the events line, with where to find them.
func TestStatusSaysAcceptedDeliveriesWereUnrecognised(t *testing.T) {
	t.Parallel()
	m := metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	m.ObserveIntake("eaf", metrics.OutcomeAccepted, time.Millisecond)
	m.ObserveIntake("eaf", metrics.OutcomeUnrecognised, time.Millisecond)
	m.ObserveIntake("eaf", metrics.OutcomeUnrecognised, time.Millisecond)
	var b bytes.Buffer
	if err := writeStatus(&b, cph, snapshotOver(t, m)); err != nil {
		t.Fatal(err)
	}
	want := "events        3 received since start: 3 accepted, 0 duplicate, 0 quarantined, 0 rejected\n" +
		"                of those accepted, 2 UNRECOGNISED: stored, but never mapped nor sent to the CRM: not of their source's kind " +
		"(another sender given the URL /hooks/eaf/...?); the log's \"delivery unrecognised\" lines name " +
		"each event (syncd events show ID) and the daily report lists them\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant it to hold\n%s", b.String(), want)
	}
	// Bodies not of Lokalebasen's kind on its route: its URL was given to
	// another sender (status named Lokalebasen's /hooks/eaf/... whichever
	// route took them).
	m = metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	m.ObserveIntake("lokalebasen", metrics.OutcomeUnrecognised, time.Millisecond)
	b.Reset()
	if err := writeStatus(&b, cph, snapshotOver(t, m)); err != nil {
		t.Fatal(err)
	}
	if want := "(another sender given the URL /hooks/lokalebasen/...?)"; !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant it to hold %s", b.String(), want)
	}
	m = metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	m.ObserveIntake("eaf", metrics.OutcomeAccepted, time.Millisecond)
	b.Reset()
	if err := writeStatus(&b, cph, snapshotOver(t, m)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "UNRECOGNISED") {
		t.Errorf("a lead of its source's kind told unrecognised:\n%s", b.String())
	}
}
