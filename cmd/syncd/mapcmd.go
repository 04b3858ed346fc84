package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// cmdMap prints the operations a payload would produce, writing nothing.
func cmdMap(ctx context.Context, c *cli) int {
	fs := c.flags("map")
	file := fs.String("config", defaultConfig, "configuration file")
	source := fs.String("source", "", "configured source the payload comes from (required when the configuration has several)")
	err := parseFlags(fs, c.args)
	if err == nil && *source == "" {
		names, lerr := sourcesOf(c.getenv, *file)
		if lerr != nil { // its problem, as validate says it: "-source is required" would not mend it
			c.stdout, c.stderr = forInstance(c.stdout, *file), forInstance(c.stderr, *file)
			c.configFailed(*file, lerr)
			if fs.NArg() == 1 {
				return exitUsage
			}
			wrongArgs(fs, err, "one argument: the file of the payload (FILE.json), or - to read it from standard input")
			return c.flagsStatus(fs, err, append([]string{"usage: syncd map [-config FILE] [-source S] FILE.json|-"}, mapExits()...)...)
		}
		if len(names) == 1 {
			*source = names[0]
			fmt.Fprintf(c.stderr, "syncd map: no -source given: taking %s, the only source in %s\n", *source, *file)
		} else {
			in := ""
			if len(names) > 0 {
				in = " (" + strings.Join(names, ", ") + ")"
			}
			fmt.Fprintf(c.stderr, "syncd map: -source is required: the source the payload came to, a name under sources: in %s%s\n",
				*file, in)
		}
	}
	if fs.NArg() != 1 {
		wrongArgs(fs, err, "one argument: the file of the payload (FILE.json), or - to read it from standard input")
	}
	if err != nil || fs.NArg() != 1 || *source == "" {
		return c.flagsStatus(fs, err, append([]string{"usage: syncd map [-config FILE] [-source S] FILE.json|-"}, mapExits()...)...)
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	if !c.knownSource(cfg, *file, *source) {
		return exitUsage
	}
	src := cfg.Sources[*source]
	body, err := c.readBodyFile(ctx, fs.Arg(0))
	if err != nil { // "syncd: open x.json: ..." named no command
		fmt.Fprintf(c.stderr, "syncd map: the payload does not read: %v: give the file of the payload, or - to read it "+
			"from standard input\n", err)
		return exitFailure
	}
	rules, err := loadRules(cfg, targetName(cfg))
	if err != nil {
		return c.rulesFailed(cfg, err)
	}
	for _, w := range rules.Warnings() { // a misspelt event or a file not loaded: why no rule applies
		c.errorf("warning: %s", w)
	}
	kind := syncd.Kind(src.Kind)
	d := sender.Decode(kind, body, cfg.Intake.MaxDepth) // the same key intake would give it
	// a body intake would quarantine is not one to map, as one of another
	// sender's kind is not: exit 2 too
	if d.Reason != "" {
		fmt.Fprintf(c.stderr, "syncd map: %s would be quarantined, never mapped: %s\n", bodyFileName(fs.Arg(0)), d.Reason)
		return exitUsage
	}
	e, err := mapping.ExplainBody(rules, kind, *source, d.Key, body)
	if err != nil {
		return c.fail(err)
	}
	if err := writeExplanation(c.stdout, e); err != nil {
		return c.fail(err)
	}
	c.leadDataOthersMayRead() // the operations' properties, the payload's own
	switch e.Result.State {
	case syncd.MapUnrecognised: // the wrong source's body: say so by the exit status too
		return exitUsage
	case syncd.MapUnmappable: // a rule took it and cannot map it: it would never reach the CRM
		return exitAttention
	}
	return exitOK
}

// sourcesOf names the sources the configuration in file has, or why it
// does not load (its secrets not read: the full load follows, once a
// source is known). With one alone, syncd map takes it: a payload can
// have come to no other.
func sourcesOf(env config.Env, file string) ([]string, error) {
	cfg, err := config.LoadWithoutSecrets(file, env)
	if err != nil {
		return nil, err
	}
	return cfg.SourceNames(), nil
}

// cmdReplay re-maps stored events and prints what changes; without
// -dry-run it enqueues the new operations (never ones already in the outbox).
func cmdReplay(ctx context.Context, c *cli) int {
	fs := c.flags("replay")
	file := fs.String("config", defaultConfig, "configuration file")
	source := fs.String("source", "", "only events of this source")
	since := fs.String("since", "", "only events received since `T`: a time as syncd events list shows it (2026-11-01 09:30:00 +01:00; without its offset, in report.time_zone), RFC 3339, YYYY-MM-DD (midnight in report.time_zone) or a duration back such as 24h")
	dry := fs.Bool("dry-run", false, "print what would change, write nothing")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, replayExits()...)
	}
	open := c.withWriter
	if *dry {
		open = c.withReader // a dry run only reads
	}
	return open(ctx, *file, func(cfg *config.Config, db *backend) int {
		_, other := otherDaemonFile(*file, cfg)
		if other && !*dry && c.refusedOtherFile(*file, cfg) { // it would queue for this file's CRM beside the daemon's
			return exitUsage
		}
		from, err := clockOf(cfg).since(*since, time.Now())
		if err != nil {
			fmt.Fprintf(c.stderr, "syncd replay: -since: %v\n", err)
			return exitUsage
		}
		if *source != "" && !c.knownSource(cfg, *file, *source) {
			return exitUsage
		}
		rules, err := loadRules(cfg, targetName(cfg))
		if err != nil {
			return c.rulesFailed(cfg, err)
		}
		total, err := db.CountEvents(ctx, syncd.EventFilter{Source: *source, Since: from, Kept: true})
		if err != nil {
			return c.fail(err)
		}
		all, err := db.CountEvents(ctx, syncd.EventFilter{Source: *source, Since: from})
		if err != nil {
			return c.fail(err)
		}
		// The rows a restore and syncd erase -crm write hold ids and CRM
		// erase operations, never a lead: not bodies erased or purged.
		own := 0
		for _, k := range []syncd.Kind{syncd.KindRestore, syncd.KindErasure} {
			n, err := db.CountEvents(ctx, syncd.EventFilter{Source: *source, Since: from, Kind: k})
			if err != nil {
				return c.fail(err)
			}
			own += n
		}
		givenUp, err := givenUpOps(ctx, db, targetName(cfg))
		if err != nil {
			return c.fail(err)
		}
		prog := c.newProgress("replay", total)
		out, clk := prog.over(c.stdout), clockOf(cfg)
		var werr error
		opts := mapping.ReplayOptions{Since: from, Source: *source, DryRun: *dry, Progress: prog.add,
			OnChange: func(ch mapping.ReplayChange) {
				if werr == nil {
					werr = writeChange(out, clk, rules.Modes(), ch)
				}
			}, GivenUp: map[int64]bool{}}
		for id := range givenUp {
			opts.GivenUp[id] = true
		}
		sum, err := mapping.Replay(ctx, db, rules, opts)
		prog.finish()
		if err == nil {
			err = werr
		}
		if err != nil {
			return c.fail(err)
		}
		writeReplaySummary(c.stdout, sum, *dry)
		if gone := all - total - own; gone > 0 {
			// as events list shows them: counted, or the replay's numbers
			// do not add up to the list's
			fmt.Fprintf(c.stdout, "replay: left out %s erased or purged (syncd erase, retention): "+
				"their bodies are no longer kept\n", syncd.Counted(gone, "event", "events"))
		}
		if own > 0 {
			fmt.Fprintf(c.stdout, "replay: left out %s syncd wrote itself, which hold no lead (source syncd: a restore's, "+
				"holding the ids before it; syncd erase -crm's, holding its CRM erase operations)\n", syncd.Counted(own, "row", "rows"))
		}
		writeGivenUpLeft(c.stdout, sum.GivenUp, givenUp)
		if other { // last, below the changes: its crm.kind is not the daemon's, whose CRM is no CRM gone
			c.noteOtherFile(*file, cfg)
		} else {
			c.saidWaitingForGone(ctx, cfg, db) // replay maps for crm.kind only: what waits for another CRM stays
		}
		c.saidDaemonMapsOld(ctx, *file, cfg)
		if c.saidRefused("replay", sum) {
			return exitAttention
		}
		return exitOK
	})
}

// writeReplaySummary says what a replay did, or with dry would do: the
// events and operations, the older operations dropped, the deal operations
// revived and the leads dealt with by hand, left as they were.
func writeReplaySummary(w io.Writer, sum mapping.ReplaySummary, dry bool) {
	verb, n := "enqueued", sum.Enqueued
	if dry {
		verb, n = "would enqueue", sum.NewOps
	}
	fmt.Fprintf(w, "replay: %s, %d changed, %d unchanged; %s %s\n", syncd.Counted(sum.Events, "event", "events"),
		sum.Changed, sum.Unchanged, verb, syncd.Counted(n, "new operation", "new operations"))
	dropped, revived := "dropped", syncd.Noun(len(sum.Revived), "is pending again", "are pending again")
	if dry {
		dropped, revived = "would drop", "would be pending again"
	}
	if len(sum.Dropped) > 0 {
		fmt.Fprintf(w, "replay: %s %s never sent (dead, or pending), "+
			"replaced by the new ones on the same records: %s\n", dropped,
			syncd.Counted(len(sum.Dropped), "older operation", "older operations"), joinIDs(sum.Dropped))
	}
	if len(sum.Revived) > 0 {
		fmt.Fprintf(w, "replay: %s that died waiting for a contact dropped so %s: %s\n",
			syncd.Counted(len(sum.Revived), "deal operation", "deal operations"), revived, joinIDs(sum.Revived))
	}
	if len(sum.DealtWith) > 0 {
		fmt.Fprintf(w, "replay: left %s recorded as dealt with (syncd events done: entered in the CRM by hand, "+
			"or no lead), not mapped, so not sent to the CRM twice: %s\n",
			syncd.Counted(len(sum.DealtWith), "unmappable lead", "unmappable leads"), joinIDs(sum.DealtWith))
	}
}

// saidRefused says, under what, which events' new operations the
// database refused in a replay (sum.Refused), if any, and whether it did.
func (c *cli) saidRefused(what string, sum mapping.ReplaySummary) bool {
	if len(sum.Refused) == 0 {
		return false
	}
	fmt.Fprintf(c.stdout, "%s: the database refused the new operations of %s, left as %s: %s (%v); "+
		"mend what it refuses and replay again, or enter %s in the CRM by hand\n",
		what, syncd.Counted(len(sum.Refused), "event", "events"), syncd.Noun(len(sum.Refused), "it was", "they were"),
		joinIDs(sum.Refused), sum.RefusedWhy, syncd.Noun(len(sum.Refused), "that lead", "those leads"))
	return true
}

// targetName is the CRM adapter name operations are addressed to.
func targetName(cfg *config.Config) string { return cfg.CRM.Kind }
