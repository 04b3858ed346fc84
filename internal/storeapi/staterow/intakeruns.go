package staterow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// IntakeRunsName is the name of the row of the spans of time a daemon ran
// to receive (IntakeRuns): the report says when none did.
const IntakeRunsName = "intake_runs"

// IntakeRunJoin is how far apart two recorded runs may be and be kept as
// one: a daemon records its run every minute (and a restart is seconds).
const IntakeRunJoin = 3 * time.Minute

// intakeRunsKept is how long a run is kept after it ended, and
// intakeRunsMax how many are kept at most: the row stays small.
const (
	intakeRunsKept = 400 * 24 * time.Hour
	intakeRunsMax  = 2000
)

// Run is a span of time a daemon ran and received, from its start to the
// last time it recorded.
type Run struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// RunStore is what the runs are kept in: a store's state table, a write
// made only over what was read (SwapStateValue: instances sharing the
// store record theirs at once), and its clock (as Store's).
type RunStore interface {
	StateValue(ctx context.Context, name string) (string, bool, error)
	SwapStateValue(ctx context.Context, name, old, value string) (bool, error)
	ServerTime(t time.Time) time.Time
	HostTime(t time.Time) time.Time
}

// IntakeRuns returns the runs recorded, in order and none overlapping, on
// this host's clock; none when nothing was recorded (a database of a
// syncd that did not record them yet), or the row does not read (the next
// record writes it anew): a report then says nothing of them rather than
// fail.
func IntakeRuns(ctx context.Context, s RunStore) ([]Run, error) {
	return spansOf(ctx, s, IntakeRunsName)
}

// IntakeRefusedName is the name of the row of the spans of time a
// daemon's intake answered every delivery 503, its database not answering
// (IntakeRefused): it ran, and did not receive.
const IntakeRefusedName = "intake_refused"

// IntakeRefused returns the spans recorded (RecordIntakeRefused) as
// IntakeRuns returns the runs.
func IntakeRefused(ctx context.Context, s RunStore) ([]Run, error) {
	return spansOf(ctx, s, IntakeRefusedName)
}

// RecordIntakeRefused records that a daemon's intake refused every
// delivery from from to to (on this host's clock), its database not
// answering, joined with the spans it meets as RecordIntakeRun joins runs.
func RecordIntakeRefused(ctx context.Context, s RunStore, from, to time.Time) error {
	if err := recordSpan(ctx, s, IntakeRefusedName, from, to); err != nil {
		return fmt.Errorf("record intake refused: %w", err)
	}
	return nil
}

// spansOf reads the spans of the row name, on this host's clock.
func spansOf(ctx context.Context, s RunStore, name string) ([]Run, error) {
	v, _, err := s.StateValue(ctx, name)
	if err != nil {
		return nil, err
	}
	runs := parseRuns(v)
	for i := range runs {
		runs[i] = Run{From: s.HostTime(runs[i].From), To: s.HostTime(runs[i].To)}
	}
	return runs, nil
}

// RecordIntakeRun records that a daemon ran from from to to (on this
// host's clock), joined with the runs it meets. Every instance sharing a
// store records its own: where their runs overlap, the intake was up.
func RecordIntakeRun(ctx context.Context, s RunStore, from, to time.Time) error {
	if err := recordSpan(ctx, s, IntakeRunsName, from, to); err != nil {
		return fmt.Errorf("record intake run: %w", err)
	}
	return nil
}

// recordSpan joins the span from..to into the row name.
func recordSpan(ctx context.Context, s RunStore, name string, from, to time.Time) error {
	for range 5 { // another instance wrote between the read and the write: read again
		old, _, err := s.StateValue(ctx, name)
		if err != nil {
			return err
		}
		runs := joinRun(parseRuns(old), Run{From: s.ServerTime(from).UTC(), To: s.ServerTime(to).UTC()})
		b, err := json.Marshal(runs)
		if err != nil {
			return err
		}
		if ok, err := s.SwapStateValue(ctx, name, old, string(b)); err != nil || ok {
			return err
		}
	}
	return fmt.Errorf("written by other instances each time")
}

// parseRuns reads the runs' row, on the store's clock; none for "" or a
// value that does not read.
func parseRuns(v string) []Run {
	var runs []Run
	if v == "" || json.Unmarshal([]byte(v), &runs) != nil {
		return nil
	}
	return runs
}

// joinRun adds r to runs, joining those within IntakeRunJoin of each other,
// and drops the oldest past intakeRunsKept (before r ended) or
// intakeRunsMax.
func joinRun(runs []Run, r Run) []Run {
	runs = append(runs, r)
	slices.SortFunc(runs, func(a, b Run) int { return a.From.Compare(b.From) })
	out := runs[:0]
	for _, x := range runs {
		if n := len(out); n > 0 && !x.From.After(out[n-1].To.Add(IntakeRunJoin)) {
			if x.To.After(out[n-1].To) {
				out[n-1].To = x.To
			}
			continue
		}
		out = append(out, x)
	}
	for len(out) > 1 && (len(out) > intakeRunsMax || out[0].To.Before(r.To.Add(-intakeRunsKept))) {
		out = out[1:]
	}
	return out
}
