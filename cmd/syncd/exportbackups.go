package main

// This file finds the backups syncd backup made that hold the person an
// export is of.

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// personBackups are the backups syncd backup made that hold s: those
// taken while something of pd was stored (see heldSpans), and those that
// hold what an erasure of s removed (see erasedInBackups; only when lg,
// the erasure log beside the database, reads), times in the report's
// zone.
func personBackups(ctx context.Context, db store, cfg *config.Config, lg erasureLog, s syncd.Subject, pd syncd.PersonData) ([]madeBackup, error) {
	list, err := backupsTakenIn(ctx, db, sqlitePath(cfg), heldSpans(pd))
	var erased []madeBackup
	var eerr error
	if lg.unread == nil {
		erased, eerr = erasedInBackups(ctx, db, cfg, lg, s)
	}
	for _, b := range erased {
		if !slices.ContainsFunc(list, func(o madeBackup) bool { return o.Path == b.Path }) {
			list = append(list, b)
		}
	}
	err = errors.Join(err, eerr)
	out := []madeBackup{}
	for _, b := range list {
		out = append(out, madeBackup{Path: b.Path, TakenAt: b.TakenAt.In(clockOf(cfg).loc)})
	}
	return out, err
}

// heldSpan is when one thing export found of the person was stored: from
// its receipt until its body went (erased, purged or dismissed; zero:
// still held). A backup taken in it holds that thing.
type heldSpan struct{ from, until time.Time }

func (h heldSpan) holds(taken time.Time) bool {
	return !taken.Before(h.from) && (h.until.IsZero() || taken.Before(h.until))
}

// heldSpans are the spans of pd's events, quarantined bodies and CRM
// operations. An event whose body is gone (export -event of an erased
// lead, or one purged, found by its operations) counted as held since its
// receipt: a backup taken after the erase, which holds nothing of it, was
// named as holding the person.
func heldSpans(pd syncd.PersonData) []heldSpan {
	var spans []heldSpan
	for _, e := range pd.Events {
		spans = append(spans, heldSpan{e.ReceivedAt, earliest(e.ErasedAt, e.PurgedAt)})
	}
	for _, q := range pd.Quarantined {
		spans = append(spans, heldSpan{q.ReceivedAt, earliest(q.ErasedAt, q.PurgedAt, q.DismissedAt)})
	}
	for _, op := range pd.Ops { // of an event whose body was purged: made at the latest when last changed
		spans = append(spans, heldSpan{from: op.UpdatedAt})
	}
	return spans
}

// earliest is the earliest of the times that are not zero, zero when
// none is.
func earliest(times ...time.Time) time.Time {
	var first time.Time
	for _, t := range times {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}

// backupsTakenIn are the recorded backups still at their path taken in
// one of spans; a backup that is the database itself, self, is not one.
func backupsTakenIn(ctx context.Context, db stateReader, self string, spans []heldSpan) ([]madeBackup, error) {
	if len(spans) == 0 {
		return nil, nil
	}
	list, err := madeBackups(ctx, db)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(b madeBackup) bool {
		return !slices.ContainsFunc(spans, func(h heldSpan) bool { return h.holds(b.TakenAt) }) ||
			!exists(b.Path) || self != "" && sameFile(b.Path, self)
	}), nil
}
