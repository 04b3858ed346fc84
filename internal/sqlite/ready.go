package sqlite

import (
	"context"
	"time"
)

// ProbeEvery is how long the outcome of the last write stands for
// readiness: past it, Ready makes a probe write of its own.
const ProbeEvery = 5 * time.Second

// writeOutcome is how the intake's last write ended.
type writeOutcome struct {
	err error
	at  time.Time
}

func (in *Intake) record(err error) {
	in.last.Store(&writeOutcome{err: err, at: in.db.Now()})
}

// Ready reports whether a delivery offered now would be stored: the
// database is still the file at its path, and the most recent write
// succeeded. That is the last group commit when one ended within
// ProbeEvery (a full disk fails real commits while an empty transaction
// still succeeds), else a small real write made now. It is /readyz.
func (in *Intake) Ready(ctx context.Context) error {
	if err := in.db.CheckFile(); err != nil {
		return err
	}
	if in.db.wal != nil {
		if err := in.db.wal.failed(); err != nil {
			return err
		}
	}
	if last := in.last.Load(); last != nil && in.db.Now().Sub(last.at) < ProbeEvery {
		return last.err
	}
	err := in.db.probeWrite(ctx)
	in.record(err)
	return err
}
