package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestStopOverTheRepeatedHourSaysItsZones: on 25 October the clocks go
// back from 03:00 CEST to 02:00 CET, and a daemon stopped at 02:50 CEST and
// started again at 02:10 CET, 20 minutes later, was said in the Summary
// and the mail to have not received "from 02:50 to 02:10", which reads
// backwards and as a day's stop, while the Leads sheet names the zone of
// its times that day. The stop's times name their zone on a day the
// clocks change, also as another day's in the next day's report; an
// ordinary day's stay hh:mm.
func TestStopOverTheRepeatedHourSaysItsZones(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	utc := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, time.UTC) }
	runs := []report.Span{
		{From: utc(24, 7, 0), To: utc(25, 0, 50)},  // to 02:50 CEST
		{From: utc(25, 1, 10), To: utc(25, 22, 0)}, // from 02:10 CET, to 23:00 CET
		{From: utc(26, 5, 0), To: utc(27, 5, 0)},   // from 06:00 CET on the 26th
	}
	for _, c := range []struct {
		day  report.Day
		now  time.Time
		want string
	}{
		{report.Day{Year: 2026, Month: 10, Day: 25}, utc(26, 5, 0),
			"syncd did not receive from 02:50 CEST to 02:10 CET (20 minutes), nor from 23:00 CET to Mon 26 Oct 06:00 (7 hours)"},
		{report.Day{Year: 2026, Month: 10, Day: 26}, utc(27, 5, 0),
			"syncd did not receive from Sun 25 Oct 23:00 CET to 06:00 (7 hours)"},
	} {
		summary, text, html, _ := downReport(t, openDB(t), c.day, runs, c.now.In(loc))
		for _, got := range []struct{ what, text string }{{"Summary", summary}, {"mail text", text}, {"mail's HTML", html}} {
			if !strings.Contains(got.text, c.want) {
				t.Errorf("the %s of %s:\n%s\nwant it to say %q", got.what, c.day, got.text, c.want)
			}
		}
	}
}

// TestSubjectTimesOfTheRepeatedHourSayTheirZone: the subject of a report
// made by hand at 02:30 CET on 25 October said "(to 02:30)", an hour
// before or after the time it was made; so did that of the day syncd was
// installed. They name the zone on a day the clocks change.
func TestSubjectTimesOfTheRepeatedHourSayTheirZone(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	day := report.Day{Year: 2026, Month: 10, Day: 25}
	second := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // 02:30 CET, the second pass
	_, _, _, subject := summaryAndMail(t, openDB(t), day, report.Options{Location: loc, Now: func() time.Time { return second }})
	if want := "No leads so far (to 02:30 CET) · Sun 25 Oct 2026"; subject != want {
		t.Errorf("the subject of a report by hand at 02:30 CET: %q, want %q", subject, want)
	}
	_, _, _, subject = summaryAndMail(t, openDB(t), day, report.Options{Location: loc, Installed: second,
		Now: func() time.Time { return time.Date(2026, 10, 26, 6, 0, 0, 0, loc) }})
	if want := "No leads (syncd installed 02:30 CET) · Sun 25 Oct 2026"; subject != want {
		t.Errorf("the subject of the day syncd was installed at 02:30 CET: %q, want %q", subject, want)
	}
	ordinary := time.Date(2026, 10, 24, 2, 30, 0, 0, loc)
	_, _, _, subject = summaryAndMail(t, openDB(t), report.Day{Year: 2026, Month: 10, Day: 24}, report.Options{Location: loc,
		Now: func() time.Time { return ordinary }})
	if want := "No leads so far (to 02:30) · Sat 24 Oct 2026"; subject != want {
		t.Errorf("the subject of a report by hand on an ordinary day: %q, want %q", subject, want)
	}
}
