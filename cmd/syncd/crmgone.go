package main

// This file deals with the operations left in the outbox for a CRM the
// configuration no longer names (crm.kind changed from hubspot to
// pipedrive, or to dryrun): no syncer sends them, so they waited for ever
// and kept their events' bodies past the retention.

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// outboxDrop drops the operations waiting for a CRM not configured, and
// with -remap maps their events for the configured one.
func (c *cli) outboxDrop(ctx context.Context) int {
	fs := c.flags("outbox drop")
	file := fs.String("config", defaultConfig, "configuration file")
	target := fs.String("crm", "", "the CRM no longer configured whose unsent operations to drop (hubspot, pipedrive, dryrun)")
	remap := fs.Bool("remap", false, "map the events of the dropped operations for the configured CRM (crm.kind), as syncd replay does")
	erasures := fs.Bool("erasures", false, "drop its erase operations too (erase those persons in that CRM by hand first)")
	dry := fs.Bool("dry-run", false, "say what would be dropped, change nothing")
	usage := "usage: syncd outbox drop [-config FILE] -crm NAME [-remap] [-erasures] [-dry-run]"
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, append([]string{usage}, dropExits()...)...)
	}
	if *target == "" {
		return c.flagsStatus(fs, nil, "syncd outbox drop: -crm is required: the CRM crm.kind no longer names "+
			"whose operations to drop (syncd status names it)", usage)
	}
	open := c.withWriter
	if *dry {
		open = c.withReader
	}
	return open(ctx, *file, func(cfg *config.Config, db *backend) int {
		if *dry {
			c.noteOtherFile(*file, cfg)
		} else if c.refusedOtherFile(*file, cfg) { // configmatch.go
			return exitUsage
		}
		if *target == targetName(cfg) {
			fmt.Fprintf(c.stderr, "syncd outbox drop: %s is the configured CRM (crm.kind): its operations are sent; "+
				"drop only those of a CRM syncd no longer sends to (syncd status names them)\n", *target)
			return exitUsage
		}
		if code, ok := c.someWaitFor(ctx, db, *target); !ok {
			return code
		}
		var rules *mapping.Rules
		if *remap { // before anything is dropped: mappings that do not load leave the outbox as it was
			r, err := loadRules(cfg, targetName(cfg))
			if err != nil {
				return c.rulesFailed(cfg, err)
			}
			rules = r
		}
		var d syncd.DroppedOps
		var err error
		if *dry {
			d, err = c.wouldDrop(ctx, db, *target, *erasures)
		} else {
			d, err = db.DropUnsentOps(ctx, *target, *erasures)
		}
		if err != nil {
			return c.fail(err)
		}
		c.saidDropped(cfg, *target, d, *dry)
		c.saidErasuresLeft(ctx, db, *target, d)
		switch {
		case rules != nil:
			return c.remapEvents(ctx, cfg, db, rules, d.Events, *dry)
		case len(d.Events) > 0 && !*dry:
			fmt.Fprintf(c.stdout, "their events' bodies go with the retention like any other; %s\n",
				afterAllHint(targetName(cfg), *target, c.oldestReceived(ctx, cfg, db, d.Events)))
		}
		return exitOK
	})
}

// afterAllHint says how to send the leads of the operations dropped for
// target to a CRM after all, the oldest received at since: to the
// configured one (crm.kind) by a replay; on the dry run, which sends
// nothing, to target, crm.kind set back to it first.
func afterAllHint(configured, target, since string) string {
	if configured == dryrun.Name {
		return fmt.Sprintf("crm.kind %s sends nothing: to send those leads to %s after all, set crm.kind back to %s "+
			"(and restart syncd), then run syncd replay -since %s (it maps for %s every event since then not mapped for it yet: "+
			"-dry-run first)", configured, target, target, since, target)
	}
	return fmt.Sprintf("to send those leads to %s after all, run syncd replay -since %s (it maps for %s every event since "+
		"then not mapped for it yet: -dry-run first)", configured, since, configured)
}

// someWaitFor says whether any operation waits for target, unsent; when
// none does it says so, naming the CRMs the outbox holds operations of,
// and returns the exit status (3: nothing of that name).
func (c *cli) someWaitFor(ctx context.Context, db store, target string) (int, bool) {
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return c.fail(err), false
	}
	var names []string
	for _, d := range depths {
		if d.Target == target && d.Pending+d.Dead > 0 {
			return exitOK, true
		}
		if d.Pending+d.Dead > 0 {
			names = append(names, d.Target)
		}
	}
	others := "nothing else waits either"
	if len(names) > 0 {
		others = "unsent operations wait for " + strings.Join(names, ", ")
	}
	fmt.Fprintf(c.stderr, "syncd outbox drop: no operation waits for %s (%s)\n", target, others)
	return exitNotFound, false
}

// wouldDrop reads what dropping target's operations would drop.
func (c *cli) wouldDrop(ctx context.Context, db store, target string, erasures bool) (syncd.DroppedOps, error) {
	var d syncd.DroppedOps
	for _, state := range []syncd.OpState{syncd.OpPending, syncd.OpDead} {
		ops, err := db.ListOps(ctx, syncd.OpFilter{Target: target, State: state, Limit: -1})
		if err != nil {
			return d, err
		}
		for _, op := range ops {
			switch {
			case op.Kind == syncd.RecordErase && !erasures:
				d.ErasuresLeft++
			case op.Kind == syncd.RecordErase:
				d.Erasures++
			case state == syncd.OpDead:
				d.Dead++
				if op.DeadCause.GivenUp() {
					d.GivenUp++
				}
				d.Events = append(d.Events, op.EventID)
			default:
				d.Pending++
				d.Events = append(d.Events, op.EventID)
			}
		}
	}
	slices.Sort(d.Events)
	d.Events = slices.Compact(d.Events)
	return d, nil
}

// saidDropped says what DropUnsentOps did (dry: would do), and what it
// left.
func (c *cli) saidDropped(cfg *config.Config, target string, d syncd.DroppedOps, dry bool) {
	if dry {
		fmt.Fprintf(c.stdout, "dry run: would drop %s (those a syncer is sending then are left); nothing changed\n",
			droppedCounts(target, d))
	} else {
		fmt.Fprintf(c.stdout, "crm.kind is %s: dropped %s\n", targetName(cfg), droppedCounts(target, d))
	}
	if d.Held > 0 {
		fmt.Fprintf(c.stdout, "left %s a syncer is sending to %s now: another instance still sends there; "+
			"run the command again once it stopped\n", syncd.Counted(d.Held, "operation", "operations"), target)
	}
}

// droppedCounts is "4 operations for hubspot (2 pending, 1 dead letter, 1
// given up by hand) of 2 events: 4, 7": what each is, the given up ones
// named when there are some (they wait for nothing: the operator dealt
// with them, syncd outbox give-up); erasures, which belong to no event,
// are counted in the parentheses, and no event is left unsaid ("of 0
// event(s)" read as a loss).
func droppedCounts(target string, d syncd.DroppedOps) string {
	s := fmt.Sprintf("%s for %s (%d pending, %s", syncd.Counted(d.Pending+d.Dead+d.Erasures, "operation", "operations"),
		target, d.Pending, syncd.Counted(d.Dead-d.GivenUp, "dead letter", "dead letters"))
	if d.GivenUp > 0 {
		s += fmt.Sprintf(", %d given up by hand", d.GivenUp)
	}
	if d.Erasures > 0 {
		s += ", " + syncd.Counted(d.Erasures, "erasure", "erasures")
	}
	s += ")"
	if len(d.Events) > 0 {
		s += " of " + syncd.Counted(len(d.Events), "event", "events") + ": " + joinIDs(d.Events)
	}
	return s
}

// saidErasuresLeft names the erase operations left for target: persons
// who asked to be forgotten and are still in that CRM. Those crm
// forget-links made dead (their CRM ids are an earlier account's) are
// named apart: no sync sends them, whatever crm.kind says.
func (c *cli) saidErasuresLeft(ctx context.Context, db store, target string, d syncd.DroppedOps) {
	if d.ErasuresLeft == 0 {
		return
	}
	other := 0
	if ops, err := db.ListOps(ctx, syncd.OpFilter{Target: target, State: syncd.OpDead, Kind: syncd.RecordErase, Limit: -1}); err == nil {
		for _, op := range ops {
			if op.DeadCause.OtherAccount() {
				other++
			}
		}
	}
	if n := d.ErasuresLeft - other; n > 0 {
		fmt.Fprintf(c.stdout, "left %s for %s: persons syncd erase -crm was to erase there, not erased yet; "+
			"set crm.kind back to %s and run syncd sync, or erase them there by hand and drop them with -erasures\n",
			syncd.Counted(n, "erase operation", "erase operations"), target, target)
	}
	if other > 0 {
		fmt.Fprintf(c.stdout, "left %s for %s of the account syncd wrote to before syncd crm forget-links: "+
			"no sync sends them (their CRM ids are that account's; syncd outbox list -state dead shows them); erase those "+
			"persons there by hand, if not done yet, and drop them with -erasures\n", syncd.Counted(other, "CRM erasure", "CRM erasures"), target)
	}
}

// oldestReceived is when the oldest of the events ids was received, as
// replay's -since takes it ("" when it cannot be read).
func (c *cli) oldestReceived(ctx context.Context, cfg *config.Config, db store, ids []int64) string {
	ev, err := db.Event(ctx, ids[0])
	if err != nil {
		return "unknown"
	}
	return ev.ReceivedAt.In(clockOf(cfg).loc).Format(time.RFC3339)
}

// remapEvents maps the events ids for the configured CRM, as syncd replay
// does (dry: says what it would enqueue), and prints what it did.
func (c *cli) remapEvents(ctx context.Context, cfg *config.Config, db *backend, rules *mapping.Rules, ids []int64, dry bool) int {
	clk := clockOf(cfg)
	var werr error
	opts := mapping.ReplayOptions{DryRun: dry, OnChange: func(ch mapping.ReplayChange) {
		if werr == nil {
			werr = writeChange(c.stdout, clk, rules.Modes(), ch)
		}
	}}
	only := &eventsOnly{ReplayStore: db, get: db.Event, ids: ids}
	sum, err := mapping.Replay(ctx, only, rules, opts)
	if err == nil {
		err = werr
	}
	if err != nil {
		return c.fail(err)
	}
	verb, n := "enqueued", sum.Enqueued
	if dry {
		verb, n = "would enqueue", sum.NewOps
	}
	fmt.Fprintf(c.stdout, "remapped for %s: %s, %d changed, %d unchanged; %s %s\n", targetName(cfg),
		syncd.Counted(sum.Events, "event", "events"), sum.Changed, sum.Unchanged, verb, syncd.Counted(n, "new operation", "new operations"))
	if len(only.gone) > 0 {
		fmt.Fprintf(c.stdout, "not remapped: %s whose bodies were purged or erased: %s (their leads are not sent to %s)\n",
			syncd.Counted(len(only.gone), "event", "events"), joinIDs(only.gone), targetName(cfg))
	}
	if c.saidRefused("not remapped", sum) {
		return exitAttention
	}
	return exitOK
}

// eventsOnly is a replay store that replays only the events ids (in
// ascending order) whose bodies are kept; it notes the others in gone.
type eventsOnly struct {
	mapping.ReplayStore
	get  func(ctx context.Context, id int64) (syncd.Event, error)
	ids  []int64
	gone []int64
}

// ReplayEvents returns up to limit of the events after afterID; since and
// source select nothing more.
func (s *eventsOnly) ReplayEvents(ctx context.Context, _ time.Time, _ string, afterID int64, limit int) ([]syncd.Event, error) {
	var evs []syncd.Event
	for i := sort.Search(len(s.ids), func(i int) bool { return s.ids[i] > afterID }); i < len(s.ids) && len(evs) < limit; i++ {
		ev, err := s.get(ctx, s.ids[i])
		if err != nil {
			return nil, err
		}
		if ev.ErasedAt.IsZero() && ev.PurgedAt.IsZero() {
			evs = append(evs, ev)
		} else if !slices.Contains(s.gone, ev.ID) {
			s.gone = append(s.gone, ev.ID)
		}
	}
	return evs, nil
}

// dropHint says how to deal with the operations waiting for gone, a CRM
// crm.kind (configured) no longer names. On the dry run (a pause of the
// CRM, or a trial) the way is back to gone: the remap that sends them to
// another CRM would send them to none.
func dropHint(gone, configured string) string {
	if configured == dryrun.Name { // a trial, or the CRM "paused" so: remapped, they would go to no CRM
		return fmt.Sprintf("crm.kind %s again (and a restart) sends them, once; syncd outbox drop -crm %s -remap would map "+
			"their leads for the dry run, which sends nothing, and without -remap drop them (-dry-run first; erase operations "+
			"only with -erasures)", gone, gone)
	}
	return fmt.Sprintf("syncd outbox drop -crm %s -remap sends their leads to %s instead; without -remap it drops them "+
		"(-dry-run first; erase operations only with -erasures)",
		gone, configured)
}

// dropOpHint is dropHint for one operation, op, of a CRM that crm.kind
// (configured) no longer names: an erasure is dropped only with -erasures,
// once the person is erased there by hand (nothing else erases them).
func dropOpHint(op syncd.Op, configured string) string {
	if op.Kind != syncd.RecordErase {
		return dropHint(op.Target, configured)
	}
	return fmt.Sprintf("erase the person in %s by hand (%s), then syncd outbox drop -crm %s -erasures drops it (-dry-run first)",
		op.Target, eraseIDs(op), op.Target)
}

// deadLeftForGone names the dead operations retry -all-dead left, those
// of CRMs crm.kind no longer names: revived, they would wait for ever.
func (c *cli) deadLeftForGone(ctx context.Context, cfg *config.Config, db store) int {
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return c.fail(err)
	}
	for _, d := range depths {
		if dead := unsentDead(d); d.Target != targetName(cfg) && dead > 0 { // retry -all-dead leaves those given up by hand anyway
			fmt.Fprintf(c.stdout, "left %s for %s, which crm.kind (%s) no longer names: pending again "+
				"they would wait for ever; %s\n", syncd.Counted(dead, "dead operation", "dead operations"), d.Target, targetName(cfg),
				dropHint(d.Target, targetName(cfg)))
		}
	}
	return exitOK
}

// unsentDead is how many of d's dead operations wait for someone: not
// those given up by hand (syncd outbox give-up), which the operator dealt
// with, and which status counts apart, raising no alarm.
func unsentDead(d syncd.OutboxDepth) int { return d.Dead - d.GivenUp }

// waitingForGone says, of each CRM crm.kind does not name that operations
// wait for in depths, how many: validate's warnings. Those given up by
// hand wait for nothing.
func waitingForGone(cfg *config.Config, depths []syncd.OutboxDepth) []string {
	var ws []string
	for _, d := range depths {
		dead := unsentDead(d)
		if d.Target == targetName(cfg) || d.Pending+dead == 0 {
			continue
		}
		ws = append(ws, fmt.Sprintf("%s for %s (%d pending, %d dead), which crm.kind (%s) does not name: "+
			"nothing sends them%s; %s", syncd.Counted(d.Pending+dead, "operation waits", "operations wait"), d.Target, d.Pending, dead, targetName(cfg),
			keptBodies(d.Pending), dropHint(d.Target, targetName(cfg))))
	}
	return ws
}

// saidWaitingForGone notes, after a command that purges, re-maps or syncs,
// the operations waiting for a CRM crm.kind does not name: that command
// left them, and nothing else will. An outbox that cannot be read adds
// nothing (the command said what it did).
func (c *cli) saidWaitingForGone(ctx context.Context, cfg *config.Config, db store) {
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return
	}
	for _, w := range waitingForGone(cfg, depths) {
		fmt.Fprintf(c.stdout, "note: %s\n", w)
	}
}

// logWaitingForGone warns, as the daemon starts, of the operations waiting
// for a CRM crm.kind does not name (counts and the CRM's name only).
func logWaitingForGone(ctx context.Context, cfg *config.Config, db store, log zerolog.Logger) {
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		log.Warn().Err(err).Msg("outbox depths")
		return
	}
	for _, d := range depths {
		if dead := unsentDead(d); d.Target != targetName(cfg) && d.Pending+dead > 0 {
			log.Warn().Str("crm", d.Target).Int("pending", d.Pending).Int("dead", dead).
				Str("fix", dropHint(d.Target, targetName(cfg))).
				Msg("outbox operations wait for a CRM crm.kind does not name: nothing sends them" + keptBodies(d.Pending))
		}
	}
}

// keptBodies says, of pending operations left for a CRM not configured,
// that the retention keeps their events' bodies (it purges a body only
// once no operation of its event is pending); dead ones keep it no longer
// than others.
func keptBodies(pending int) string {
	if pending == 0 {
		return ""
	}
	return ", and the retention keeps the bodies of the pending ones' leads while they wait"
}
