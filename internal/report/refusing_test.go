package report_test

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestRefusingCutsTheRefusedTimesOutOfTheRuns: a time an intake answered
// every delivery 503 (its database not answering) is a time not received,
// marked Refused, beside the times no daemon ran; an outage within the
// 10 minutes a restart is allowed is none, as a short stop is none.
func TestRefusingCutsTheRefusedTimesOutOfTheRuns(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	h := func(n float64) time.Time { return at.Add(time.Duration(n * float64(time.Hour))) }
	runs := []report.Span{{From: h(0), To: h(10)}, {From: h(12), To: h(24)}}
	refused := []report.Span{{From: h(2), To: h(3)}, {From: h(5), To: h(5.1)}, {From: h(11), To: h(13)}}
	got := report.Down(report.Refusing(runs, refused), h(0), h(24), h(24))
	want := []report.Span{
		{From: h(2), To: h(3), Refused: true},
		{From: h(10), To: h(13)}, // stopped at 10, refusing from its start at 12 until 13: told as stopped
	}
	if len(got) != len(want) {
		t.Fatalf("Down of runs with refusals cut out: %+v, want %+v", got, want)
	}
	for i := range want {
		if !got[i].From.Equal(want[i].From) || !got[i].To.Equal(want[i].To) || got[i].Refused != want[i].Refused {
			t.Errorf("gap %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
