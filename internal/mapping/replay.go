package mapping

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// ReplayStore is what Replay needs from the event store (*sqlite.DB
// implements it).
type ReplayStore interface {
	// ReplayEvents returns up to limit events received at or after since
	// (zero: any time) from source ("": all), with id > afterID, in id order.
	ReplayEvents(ctx context.Context, since time.Time, source string, afterID int64, limit int) ([]syncd.Event, error)
	// OpsEnqueued reports, for each op, whether the same work (target,
	// kind, key, contact and properties) is already in the outbox, from
	// whichever event.
	OpsEnqueued(ctx context.Context, ops []syncd.Op) ([]bool, error)
	RecordMapping(ctx context.Context, eventID int64, state syncd.MapState, reason string, ops []syncd.Op) (int, error)
	// DropSupersededOps removes the event's older operations on the
	// records of ops that never reached the CRM (dead, or pending and not
	// held by a syncer), revives the deals that died waiting for a dead
	// contact it removed, and returns the ids removed and revived.
	DropSupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) (dropped, revived []int64, err error)
	// SupersededOps returns what DropSupersededOps would drop and revive
	// for ops not in the outbox yet, without writing (a dry run).
	SupersededOps(ctx context.Context, eventID int64, ops []syncd.Op) (dropped, revived []int64, err error)
}

// ReplayOptions select the events to re-map.
type ReplayOptions struct {
	Since  time.Time // received at or after; zero: all
	Source string    // configured source name; "": all
	DryRun bool      // print what would change, write nothing
	// Progress, if set, is called after each batch with the number of
	// events it looked at (for a command's progress line).
	Progress func(events int)
	// OnChange, if set, is told of each event whose state or operations
	// change (for the command to show).
	OnChange func(ReplayChange)
	// GivenUp are the events with a contact or deal operation given up by
	// hand (syncd outbox give-up: dealt with by hand in the CRM), left as
	// they are: mapped again, such a lead would go to the CRM a second
	// time, beside the one entered by hand.
	GivenUp map[int64]bool
}

// ReplayChange is one event a replay changes: what it maps to now, and the
// operations not yet in the outbox.
type ReplayChange struct {
	Event  syncd.Event
	Result Result
	Fresh  []syncd.Op
}

// ReplaySummary counts what a replay did (or, dry, would do).
type ReplaySummary struct {
	Events    int // events looked at
	Changed   int // events whose state or operations change
	NewOps    int // operations not yet in the outbox
	Enqueued  int // operations actually inserted (0 on a dry run)
	Unchanged int // events that would map exactly as before
	// Dropped are the ids of older operations of the replayed events, on
	// the records of the operations enqueued, that never reached the CRM
	// (dead, or pending): the enqueued ones replace them (on a dry run,
	// those that would be dropped).
	Dropped []int64
	// Revived are the ids of deals that died waiting for a dead contact
	// dropped so, pending again with its replacement (as a retry does; on
	// a dry run, those that would be).
	Revived []int64
	// Refused are the ids of events whose new mapping the database refused
	// (syncd.ErrRefused): each is left as it was, and the replay goes on
	// with the others. They are counted in Changed and NewOps no more.
	// RefusedWhy is the database's error for the first of them.
	Refused    []int64
	RefusedWhy error
	// DealtWith are the ids of unmappable leads a person recorded as dealt
	// with (syncd events done: entered in the CRM by hand, or no lead),
	// left as they are: mapped now, one entered by hand would be in the
	// CRM twice. They are counted in Unchanged.
	DealtWith []int64
	// GivenUp are the ids of the events of ReplayOptions.GivenUp the
	// replay came to, left as they are. They are counted in Unchanged.
	GivenUp []int64
}

// Replay re-maps stored events with rules, in any state (also unmappable
// ones after a mapping fix, and events made from repaired quarantine
// bodies), and tells opts.OnChange of each event whose state or operations
// change.
// Without DryRun the new operations are enqueued; an operation identical
// to one already in the outbox (pending, done or dead) is not enqueued
// again, so synced work is never duplicated. The event's older operations
// on the records of those enqueued that never reached the CRM (dead, or
// pending) are dropped: the older operation on a record is sent first, so
// one the CRM refused would go again ahead of its fix and be refused again.
func Replay(ctx context.Context, store ReplayStore, rules *Rules, opts ReplayOptions) (ReplaySummary, error) {
	var sum ReplaySummary
	var after int64
	const batch = 200
	for {
		evs, err := store.ReplayEvents(ctx, opts.Since, opts.Source, after, batch)
		if err != nil {
			return sum, fmt.Errorf("replay: %w", err)
		}
		for _, ev := range evs {
			after = ev.ID
			if err := replayOne(ctx, store, rules, opts, ev, &sum); err != nil {
				return sum, fmt.Errorf("replay event %d: %w", ev.ID, err)
			}
		}
		if opts.Progress != nil {
			opts.Progress(len(evs))
		}
		if len(evs) < batch {
			break
		}
	}
	return sum, nil
}

func replayOne(ctx context.Context, store ReplayStore, rules *Rules, opts ReplayOptions, ev syncd.Event, sum *ReplaySummary) error {
	sum.Events++
	if ev.MapState == syncd.MapUnrecognised { // not its source's kind: no rule applies to it
		sum.Unchanged++
		return nil
	}
	if ev.MapState == syncd.MapUnmappable && !ev.DealtAt.IsZero() { // a person dealt with it
		sum.Unchanged++
		sum.DealtWith = append(sum.DealtWith, ev.ID)
		return nil
	}
	if opts.GivenUp[ev.ID] { // a person entered it in the CRM by hand
		sum.Unchanged++
		sum.GivenUp = append(sum.GivenUp, ev.ID)
		return nil
	}
	res := rules.Map(ev)
	for i := range res.Ops {
		res.Ops[i].EventID = ev.ID
	}
	known, err := store.OpsEnqueued(ctx, res.Ops)
	if err != nil {
		return err
	}
	var fresh []syncd.Op
	for i, op := range res.Ops {
		if !known[i] {
			fresh = append(fresh, op)
		}
	}
	if res.State == ev.MapState && res.Reason == ev.MapError && len(fresh) == 0 {
		sum.Unchanged++
		return nil
	}
	sum.Changed++
	sum.NewOps += len(fresh)
	if opts.OnChange != nil {
		opts.OnChange(ReplayChange{Event: ev, Result: res, Fresh: fresh})
	}
	drop := store.DropSupersededOps
	if opts.DryRun {
		if len(fresh) == 0 {
			return nil
		}
		drop = store.SupersededOps
	} else {
		n, err := store.RecordMapping(ctx, ev.ID, res.State, res.Reason, res.Ops)
		sum.Enqueued += n
		if errors.Is(err, syncd.ErrRefused) && ctx.Err() == nil {
			// One lead the database refuses holds up the replay of no other.
			if sum.Refused = append(sum.Refused, ev.ID); sum.RefusedWhy == nil {
				sum.RefusedWhy = err
			}
			sum.Changed, sum.NewOps = sum.Changed-1, sum.NewOps-len(fresh)
			return nil
		}
		if err != nil || n == 0 {
			return err
		}
	}
	dropped, revived, err := drop(ctx, ev.ID, fresh)
	sum.Dropped, sum.Revived = append(sum.Dropped, dropped...), append(sum.Revived, revived...)
	return err
}
