package sqlite

import (
	"context"
	"errors"
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

// record keeps how the intake's last write ended, for Ready.
func (in *Intake) record(err error) {
	in.last.Store(&writeOutcome{err: err, at: in.db.Now()})
}

// recordCommit keeps how a commit of deliveries ended, for Ready: one
// that found the database damaged (ErrDamaged) is kept until a commit of
// deliveries succeeds, as a probe write that succeeds does not show the
// damaged pages would take the next delivery.
func (in *Intake) recordCommit(err error) {
	in.record(err)
	if errors.Is(err, ErrDamaged) {
		in.damaged.Store(&writeOutcome{err: err, at: in.db.Now()})
	} else if err == nil {
		in.damaged.Store(nil)
	}
}

// Ready reports whether a delivery offered now would be stored: the
// database is still the file at its path, and the most recent write
// succeeded. A commit of deliveries that found the database damaged
// stands until one succeeds: the probe writes elsewhere in the file, so
// /readyz said 200 between the 503s every delivery got (a load balancer
// kept sending them). Otherwise that is the last group commit when one ended within
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
	if d := in.damaged.Load(); d != nil {
		return d.err
	}
	if last := in.last.Load(); last != nil && in.db.Now().Sub(last.at) < ProbeEvery {
		return last.err
	}
	err := in.db.probeWrite(ctx)
	in.record(err)
	return err
}
