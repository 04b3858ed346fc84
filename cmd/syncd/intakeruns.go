package main

import (
	"context"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
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
	if err := staterow.RecordIntakeRun(ctx, d.db, started, time.Now()); err != nil && ctx.Err() == nil {
		d.log.Warn().Err(err).Msg("could not record that syncd runs: a report may say it did not receive for a while")
	}
}

// intakeRuns reads the runs recorded on db for the report (Options.Ran).
func intakeRuns(db store) func(ctx context.Context) ([]report.Span, error) {
	return func(ctx context.Context) ([]report.Span, error) {
		runs, err := staterow.IntakeRuns(ctx, db)
		spans := make([]report.Span, len(runs))
		for i, r := range runs {
			spans[i] = report.Span{From: r.From, To: r.To}
		}
		return spans, err
	}
}
