package main

import (
	"context"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// eventsDismiss sets quarantined bodies aside as no lead, at the
// operator's word: `events dismiss [-config FILE] ID [ID...]`, or every
// body waiting for a person (-all), or those received before a time
// (-before). A port scanner's garbage or a test ping cannot be repaired
// into an event, and waited for a person (syncd status, exit 5) with no
// way out; dismissed, it is kept for the record (events list
// -quarantined), its body dropped as the retention drops it.
func (c *cli) eventsDismiss(ctx context.Context) int { return dismissCommand().run(ctx, c) }

// dismissCommand is events dismiss: its words and store calls.
func dismissCommand() *waitEnd {
	return &waitEnd{
		cmd:   "events dismiss",
		exits: dismissExits,
		usage: "usage: syncd events dismiss [-config FILE] [-changed] QUARANTINE-ID [QUARANTINE-ID...]\n" +
			"       syncd events dismiss [-config FILE] [-changed] -all | -before T [-dry-run]",
		allHelp:    "dismiss every quarantined body waiting for a person (received before now)",
		beforeHelp: "dismiss the bodies waiting for a person received before `T` (a time as shown, RFC 3339, YYYY-MM-DD or a duration back such as 720h)",
		dryHelp:    "with -all or -before: name the bodies it would dismiss, dismiss none",
		idsBeside:  "-all and -before choose the bodies: give no QUARANTINE-ID beside them",
		dryAlone:   "-dry-run is for -all and -before (an id is dismissed as named)",
		argsHint:   "the ID of each quarantined body to dismiss (syncd events list -quarantined), or -all, or -before T",
		lister:     "syncd events list -quarantined",
		skipped:    sqlite.StateQuarantineIDsSkipped,
		end: func(ctx context.Context, db *backend, id int64) (time.Time, error) {
			q, err := db.DismissQuarantined(ctx, id)
			return q.DismissedAt, err
		},
		waiting: func(ctx context.Context, db *backend, f syncd.EventFilter) ([]int64, error) {
			f.Waiting = true
			qs, err := db.Quarantined(ctx, f)
			ids := make([]int64, len(qs))
			for i, q := range qs {
				ids[i] = q.ID
			}
			return ids, err
		},
		already: func(id int64, at string) string {
			return fmt.Sprintf("quarantined body %d was dismissed already at %s", id, at)
		},
		ended: func(id int64) string {
			return fmt.Sprintf("quarantined body %d dismissed: kept for the record (syncd events list -quarantined), "+
				"its body dropped; it no longer waits for a person", id)
		},
		none:      "no quarantined body waits for a person (received before %s): nothing dismissed",
		verb:      "dismissed",
		wouldVerb: "would dismiss",
		one:       "1 quarantined body",
		many:      "%d quarantined bodies",
		dryTail:   ": run it again without -dry-run to dismiss them",
		endedTail: ": kept for the record (syncd events list -quarantined), their bodies dropped; " +
			"one dismissed by mistake can still be repaired from a copy (syncd events repair ID FILE)",
		dryTailOne: ": run it again without -dry-run to dismiss it",
		endedTailOne: ": kept for the record (syncd events list -quarantined), its body dropped; " +
			"dismissed by mistake, it can still be repaired from a copy (syncd events repair ID FILE)",
		left: "left %d repaired, erased or dismissed by another command meanwhile (%s)",
		ids:  func(ids []int64) string { return namedIDs(ids, "syncd events list -quarantined") },
		spare: func(ctx context.Context, cfg *config.Config, db *backend, id int64) (string, error) {
			q, err := db.QuarantinedBody(ctx, id)
			if err != nil || q.ResolvedEvent != 0 || !q.DismissedAt.IsZero() || !readsAsIs(q, cfg.Intake.MaxDepth) {
				return "", nil // dismissed as always, or refused by the store, which says why
			}
			if s := sender.For(q.Kind); s != nil && changedDelivery(q, cfg.Intake.MaxDepth) {
				return fmt.Sprintf("a CHANGED delivery of a lead stored already (the same %s, another body)", s.IDField), nil
			}
			return "a body that reads as a lead as it is", nil
		},
		spareFlag: "changed",
		spareHelp: "dismiss changed deliveries of stored leads too (bodies that read as a lead), dropping what they changed",
		spared: func(id int64, why string) string {
			return fmt.Sprintf("quarantined body %d is %s: a lead, not dismissed; enter what it changed in the CRM by hand, "+
				"then syncd events repair %[1]d (no copy needed) records it as its event's; to drop it all the same: "+
				"syncd events dismiss -changed %[1]d", id, why)
		},
		leftSpared: func(ids []int64) string {
			what := fmt.Sprintf("%d changed deliveries of stored leads", len(ids))
			tail := "leads, not dismissed; enter what each changed in the CRM by hand, then syncd events repair ID " +
				"(no copy needed); -changed dismisses them too, dropping their bodies"
			if len(ids) == 1 {
				what = "1 changed delivery of a stored lead"
				tail = "a lead, not dismissed; enter what it changed in the CRM by hand, then syncd events repair ID " +
					"(no copy needed); -changed dismisses it too, dropping its body"
			}
			return fmt.Sprintf("left %s waiting (%s): %s", what, namedIDs(ids, "syncd events list -quarantined"), tail)
		},
	}
}
