package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// eventsDone records unmappable leads as dealt with by an operator, at
// the operator's word: `events done [-config FILE] ID [ID...]`, or every
// one waiting for a person (-all), or those received before a time
// (-before). A lead a rule took but could not map is never sent to the
// CRM, and syncd status says so (exit 5) until a replay maps it or it is
// recorded here: entered in the CRM by hand, or found to be no lead. The
// event is kept as it is (events show gives dealt_at).
func (c *cli) eventsDone(ctx context.Context) int { return doneCommand().run(ctx, c) }

// doneCommand is events done: its words and store calls.
func doneCommand() *waitEnd {
	return &waitEnd{
		cmd:   "events done",
		exits: doneExits,
		usage: "usage: syncd events done [-config FILE] EVENT-ID [EVENT-ID...]\n" +
			"       syncd events done [-config FILE] -all | -before T [-dry-run]",
		allHelp:    "record every unmappable lead waiting for a person (received before now) as dealt with",
		beforeHelp: "record the unmappable leads waiting for a person received before `T` (a time as shown, RFC 3339, YYYY-MM-DD or a duration back such as 720h)",
		dryHelp:    "with -all or -before: name the leads it would record, record none",
		idsBeside:  "-all and -before choose the leads: give no EVENT-ID beside them",
		dryAlone:   "-dry-run is for -all and -before (an id is recorded as named)",
		argsHint:   "the ID of each unmappable lead dealt with (syncd status names them), or -all, or -before T",
		lister:     "syncd events list",
		skipped:    sqlite.StateEventIDsSkipped,
		end: func(ctx context.Context, db *backend, id int64) (time.Time, error) {
			ev, err := db.DealtWith(ctx, id)
			return ev.DealtAt, deadOpsOfEvent(ctx, db, id, err)
		},
		waiting: func(ctx context.Context, db *backend, f syncd.EventFilter) ([]int64, error) {
			f.Unattended = true
			evs, err := db.Events(ctx, f)
			ids := make([]int64, len(evs))
			for i, ev := range evs {
				ids[i] = ev.ID
			}
			return ids, err
		},
		already: func(id int64, at string) string {
			return fmt.Sprintf("event %d was recorded as dealt with already at %s", id, at)
		},
		ended: func(id int64) string {
			return fmt.Sprintf("event %d recorded as dealt with (entered in the CRM by hand, or no lead): "+
				"it no longer waits for a person, and syncd replay leaves it: syncd never sends it to the CRM", id)
		},
		none:         "no unmappable lead waits for a person (received before %s): nothing recorded",
		verb:         "recorded as dealt with",
		wouldVerb:    "would record as dealt with",
		one:          "1 unmappable lead",
		many:         "%d unmappable leads",
		dryTail:      ": run it again without -dry-run to record them",
		endedTail:    ": they no longer wait for a person (entered in the CRM by hand, or no lead), and syncd replay leaves them: syncd never sends them to the CRM",
		dryTailOne:   ": run it again without -dry-run to record it",
		endedTailOne: ": it no longer waits for a person (entered in the CRM by hand, or no lead), and syncd replay leaves it: syncd never sends it to the CRM",
		left:         "left %d mapped, erased or recorded by another command meanwhile (%s)",
		ids:          func(ids []int64) string { return namedIDs(ids, "syncd events list") },
	}
}

// deadOpsOfEvent is err, event id not an unmappable lead, naming its CRM
// operations that are dead letters, when it has some: events done of a
// mapped lead the CRM refused said "nothing waits to be dealt with" alone,
// as of a lead in the CRM.
func deadOpsOfEvent(ctx context.Context, db *backend, id int64, err error) error {
	if syncd.ErrorCode(err) != syncd.EInvalid {
		return err
	}
	ops, lerr := db.ListOps(ctx, syncd.OpFilter{State: syncd.OpDead, Limit: -1})
	if lerr != nil {
		return err
	}
	var dead []int64
	for _, op := range ops {
		if op.EventID == id && !op.DeadCause.GivenUp() {
			dead = append(dead, op.ID)
		}
	}
	if len(dead) == 0 {
		return err
	}
	return syncd.Errorf(syncd.EInvalid, "event %d was mapped, but its CRM %s %s %s: not in the CRM; "+
		"syncd outbox show %d says why: syncd outbox retry %d once fixed, or syncd outbox give-up %s once dealt with by hand in the CRM "+
		"(events done is for leads no rule could map)", id, syncd.Noun(len(dead), "operation", "operations"), joinIDs(dead),
		syncd.Noun(len(dead), "is a dead letter", "are dead letters"), dead[0], dead[0], strings.Join(strings.Split(joinIDs(dead), ", "), " "))
}
