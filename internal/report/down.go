package report

import (
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
)

// Span is a span of time, from From to To: a daemon's run (Options.Ran),
// or a time none ran (Down).
type Span struct {
	From, To time.Time
	// Open marks a time none ran that had not ended when the report was
	// made: To is then when it was made.
	Open bool
	// Refused marks, on a run, that it ended with its intake refusing
	// every delivery (answered 503: its database did not answer), not with
	// the daemon stopping (Refusing); on a time none received, that the
	// deliveries then were answered 503.
	Refused bool
}

// Refusing returns runs with the spans of refused cut out of them: an
// intake answering every delivery 503 while its database did not answer
// ran and did not receive. The piece of a run before such a span is
// marked Refused. The reports and syncd status counted only the times no
// daemon ran: a database down for hours under a running daemon was a day
// received whole.
func Refusing(runs, refused []Span) []Span {
	out := slices.Clone(runs)
	for _, r := range refused {
		var next []Span
		for _, x := range out {
			if !r.From.Before(x.To) || !r.To.After(x.From) {
				next = append(next, x)
				continue
			}
			if r.From.After(x.From) {
				next = append(next, Span{From: x.From, To: r.From, Refused: true})
			}
			if r.To.Before(x.To) {
				next = append(next, Span{From: r.To, To: x.To, Refused: x.Refused})
			}
		}
		out = next
	}
	return out
}

// MinDown is the shortest time without a daemon that a report tells of: a
// daemon records its run every minute, and a restart takes seconds, which
// both senders' retries cover.
const MinDown = 10 * time.Minute

// Down returns the times no daemon ran that meet the day from..to, as
// known by now: between two runs, and after the last when it ended
// MinDown or more before now. Nothing is known before the first run
// recorded (a syncd that recorded none). Each is whole: one begun the day
// before is given from its start.
func Down(runs []Span, from, to, now time.Time) []Span {
	var out []Span
	add := func(g Span) {
		if g.To.Sub(g.From) >= MinDown && g.From.Before(to) && g.To.After(from) {
			out = append(out, g)
		}
	}
	var last time.Time
	refused := false // the run that ran until last ended refusing
	for i, r := range runs {
		if i > 0 && r.From.After(last) {
			add(Span{From: last, To: r.From, Refused: refused})
		}
		if r.To.After(last) {
			last, refused = r.To, r.Refused
		}
	}
	if len(runs) > 0 && now.After(last) {
		add(Span{From: last, To: now, Open: true})
	}
	return out
}

// Received returns runs with the time between the taking of a backup and
// its restore, first served at restored, as a run: the backup restored
// holds no record of the runs after it was taken, and syncd received then
// (what the restore lost, its alarm tells). runs as given for a database
// that is no restored backup (taken zero) or not served yet.
func Received(runs []Span, taken, restored time.Time) []Span {
	if taken.IsZero() || !restored.After(taken) {
		return runs
	}
	runs = append(slices.Clone(runs), Span{From: taken, To: restored})
	slices.SortFunc(runs, func(a, b Span) int { return a.From.Compare(b.From) })
	return runs
}

// downText is the line under the day's leads of the times syncd did not
// receive on it: what became of what was sent then. "" when it ran all
// day (as far as it knows).
func (s *summary) downText() string {
	if len(s.down) == 0 {
		return ""
	}
	var spans []string
	for _, g := range s.down {
		until := s.clock(g.To)
		if g.Open {
			until = "when this report was made, " + until
		}
		why := ""
		if g.Refused {
			why = ": it answered every delivery 503, its database not answering"
		}
		spans = append(spans, "from "+s.clock(g.From)+" to "+until+" ("+howLong(s.num, g.To.Sub(g.From))+why+")")
	}
	return "syncd did not receive " + strings.Join(spans, ", nor ") +
		": leads sent then were retried by the sender or lost (" + sender.Retries + ") and are counted on the day they arrived."
}

// downShort is the subject's part of the times syncd did not receive on
// the day: "syncd not receiving 5.5 hours"; "" for none.
func (s *summary) downShort() string {
	var d time.Duration
	for _, g := range s.down {
		d += g.To.Sub(g.From)
	}
	if d == 0 {
		return ""
	}
	return "syncd not receiving " + howLong(s.num, d)
}

// clock is t as the report's times of a day are given: "15:04" on the
// day, its date before it on another; with its zone ("02:50 CEST") when
// the clocks change on its day, as the sheets give the times of that day:
// on the day they go back, 02:50 CEST comes before 02:10 CET.
func (s *summary) clock(t time.Time) string {
	layout := "15:04"
	if from, to := DayOf(t, s.loc).Bounds(s.loc); to.Sub(from) != 24*time.Hour {
		layout += " MST"
	}
	if t.Before(s.from) || !t.Before(s.to) {
		layout = "Mon 2 Jan " + layout
	}
	return t.In(s.loc).Format(layout)
}
