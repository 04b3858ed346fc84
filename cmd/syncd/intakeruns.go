package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storeapi/staterow"
)

// runEvery is how often the daemon records that it runs (staterow
// IntakeRuns): a report of a day it was stopped, crashed or its server off
// for a while says from when to when no daemon received.
const runEvery = time.Minute

// recordRun records the daemon's run, begun at started, every runEvery
// and once more as it stops; the first record is made by the caller,
// before the reports run. A failure is a warning: the intake goes on, and
// the next record records the whole run again.
func (d *daemon) recordRun(ctx context.Context, started time.Time) error {
	t := time.NewTicker(runEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			d.runRecorded(stopCtx, started)
			return ctx.Err()
		case <-t.C:
			d.runRecorded(ctx, started)
		}
	}
}

// runRecorded records the daemon's run from started to now, and logs a
// failure.
func (d *daemon) runRecorded(ctx context.Context, started time.Time) {
	d.refusalsRecorded(ctx)
	if err := staterow.RecordIntakeRun(ctx, d.db, started, time.Now()); err != nil && ctx.Err() == nil {
		d.down.sayOr("record intake run", err, func(err error) {
			d.log.Warn().Err(err).Msg("could not record that syncd runs: a report may say it did not receive for a while")
		})
	}
}

// refusalsRecorded records the outages of the database that ended
// (storeDown.ended), through which the intake answered every delivery 503,
// and logs a failure: one not recorded is lost, the runs say the daemon
// received then.
func (d *daemon) refusalsRecorded(ctx context.Context) {
	for _, o := range d.down.ended() {
		if err := staterow.RecordIntakeRefused(ctx, d.db, o.From, o.To); err != nil && ctx.Err() == nil {
			d.down.sayOr("record intake refused", err, func(err error) {
				d.log.Warn().Err(err).Time("from", o.From).Time("to", o.To).
					Msg("could not record that the intake refused deliveries while the database did not answer: a report will not say it")
			})
		}
	}
}

// intakeRuns reads the runs recorded on db for the report (Options.Ran),
// with the times each daemon's intake refused every delivery cut out
// (report.Refusing).
func intakeRuns(db store) func(ctx context.Context) ([]report.Span, error) {
	return func(ctx context.Context) ([]report.Span, error) {
		runs, err := staterow.IntakeRuns(ctx, db)
		if err != nil {
			return nil, err
		}
		refused, err := staterow.IntakeRefused(ctx, db)
		return report.Refusing(spansOfRuns(runs), spansOfRuns(refused)), err
	}
}

// spansOfRuns is runs as the report's spans.
func spansOfRuns(runs []staterow.Run) []report.Span {
	spans := make([]report.Span, len(runs))
	for i, r := range runs {
		spans[i] = report.Span{From: r.From, To: r.To}
	}
	return spans
}

// intakeStops puts into s the times no syncd received (report.Down, as the
// report tells them: MinDown or more) that meet the span from the start of
// yesterday, in clk's zone (the report's), to s.At: the report of the day
// a daemon was stopped for hours says so, and status says it too. A time
// not over is said only when no daemon answered status: one that answers
// receives, whenever it last recorded its run.
func intakeStops(ctx context.Context, db store, clk clock, s *Snapshot) error {
	runs, err := intakeRuns(db)(ctx)
	if err != nil {
		return fmt.Errorf("read the runs recorded: %w", err)
	}
	taken, restored, err := restoreState(ctx, db)
	if err != nil {
		return err
	}
	from, _ := report.DayOf(s.At, clk.loc).AddDays(-1).Bounds(clk.loc)
	for _, g := range report.Down(report.Received(runs, taken, restored), from, s.At, s.At) {
		if !g.Open || s.Offline {
			s.NotReceiving = append(s.NotReceiving, g)
		}
	}
	return nil
}

// intakeLines prints s.NotReceiving into the status table w.
func intakeLines(w io.Writer, clk clock, s Snapshot) {
	for i, g := range s.NotReceiving {
		line := fmt.Sprintf("syncd did not receive from %s to %s (%s)", clk.show(g.From), clk.show(g.To), age(g.To.Sub(g.From).Round(time.Minute)))
		if g.Refused {
			line = fmt.Sprintf("syncd did not receive from %s to %s (%s): it answered every delivery 503, its database not answering",
				clk.show(g.From), clk.show(g.To), age(g.To.Sub(g.From).Round(time.Minute)))
		}
		if g.Open {
			line = fmt.Sprintf("NOT RECEIVING since %s: no syncd has run on this database since", when(clk, g.From, s.At))
		}
		fmt.Fprintf(w, "%s\t%s\n", first(i, "intake"), line)
	}
	if len(s.NotReceiving) > 0 {
		fmt.Fprintf(w, "\t  leads sent then are retried by their sender or lost (%s); the report of each day says so\n", sender.Retries)
	}
}
