package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// cmdSync drains the outbox once now, as the schedule would; -resume
// first lifts a pause (after the operator fixed a rejected token).
func cmdSync(ctx context.Context, c *cli) int {
	fs := c.flags("sync")
	file := fs.String("config", defaultConfig, "configuration file")
	resume := fs.Bool("resume", false, "lift the adapter's pause first (e.g. once a rejected token is fixed)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, syncExits()...)
	}
	return c.withStore(ctx, *file, func(cfg *config.Config, db *backend) int {
		if c.refusedOtherFile(*file, cfg) { // configmatch.go
			return exitUsage
		}
		log := commandLogger(c.stderr, "sync", cfg.Log.Level, clockOf(cfg)) // lines in words, not the daemon's JSON
		var requests requestCount
		adapter := newCRM(cfg, db, log, &requests)
		pinRecorded(ctx, db, adapter)
		if r, ok := adapter.(interface{ ReadPropertiesBeforeWrites() }); ok {
			r.ReadPropertiesBeforeWrites() // no account check ran: its writes convert values as the daemon's do
		}
		rules, unmapped, left, err := c.mapWaiting(ctx, *file, cfg, db, log) // what arrived is sent, not left to the daemon's next pass
		if err != nil {
			return c.fail(err)
		}
		prog, err := c.syncProgress(ctx, db, adapter.Name())
		if err != nil {
			return c.fail(err)
		}
		defer prog.finish()
		var fields []syncd.FieldSpec
		if rules != nil {
			fields = rules.Fields()
		}
		var tell crmTeller // a daemon serving the database keeps its own
		if nothingServes(ctx, cfg, db) {
			tell = &handFailing{db: db, target: adapter.Name(), log: log}
		}
		s, err := newSyncer(cfg, db, adapter, log, nil, func() []syncd.FieldSpec { return fields }, prog.add, tell, nil)
		if err != nil {
			return c.fail(err)
		}
		if *resume {
			if err := s.Resume(ctx); err != nil {
				return c.fail(err)
			}
			log.Info().Str("crm", adapter.Name()).Msg("adapter resumed by the operator")
		}
		out := *c
		out.stdout = prog.over(c.stdout) // its lines start clean of the progress line
		var code int
		if db.cluster != nil {
			code = out.syncShared(ctx, cfg, db, s, &requests)
		} else {
			code = out.syncOnce(ctx, cfg, db, s, &requests)
		}
		code = out.saidLeased(ctx, cfg, db, adapter.Name(), code)
		out.saidWaitingForGone(ctx, cfg, db) // sent by no run of this configuration
		if unmapped && (code == exitOK || code == exitCRMLater) {
			return exitAttention // leads wait for mapping files a person must fix
		}
		if left && code == exitOK {
			return exitCRMLater // the daemon maps and sends them
		}
		return code
	})
}

// saidLeased says how many pending operations of target a lease holds
// once this command is done (its own leases ended with its run): another
// syncd sends them now, or one that stopped mid-send held them, and
// nothing sends them before that lease ends. Before, a sync that could
// send none of them exited 0, "everything due was sent": it exits 6 then,
// as they go by themselves, or 5 when no daemon serves the SQLite
// database: nothing sends them then unless a person runs syncd sync
// again or starts the daemon (it exited 6, "goes out by itself"). A
// failed command (code) is left as it is.
func (c *cli) saidLeased(ctx context.Context, cfg *config.Config, db *backend, target string, code int) int {
	if code != exitOK && code != exitCRMLater && code != exitAttention {
		return code
	}
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		c.errorf("operations held by a lease not known: %v", err)
		return code
	}
	after, then := "they go by themselves", exitCRMLater
	if nothingServes(ctx, cfg, db) { // nothing runs to send them then
		w := servingOf(cfg)
		after, then = "and "+w.noneRuns()+" now: after then, run syncd sync again, or "+w.start(), exitAttention
	}
	for _, d := range depths {
		if d.Target != target || d.Leased == 0 {
			continue
		}
		fmt.Fprintf(c.stdout, "%s held by a lease until %s: being sent by another syncd now, or held by one"+
			" that stopped mid-send; nothing else sends %s before then, %s (syncd outbox list marks %[3]s)\n",
			syncd.Counted(d.Leased, "pending operation", "pending operations"), clockOf(cfg).show(d.LeaseUntil),
			syncd.Noun(d.Leased, "it", "them"), after)
		if code == exitOK || code == exitCRMLater {
			return then
		}
	}
	return code
}

// noDaemonServes reports whether cfg's database is SQLite and no daemon
// serves it now: nothing sends what waits there until a person runs syncd
// sync or starts the daemon. (On PostgreSQL, any instance may.)
func noDaemonServes(cfg *config.Config) bool {
	return cfg.Store.Kind == config.StoreSQLite && sqlite.DaemonServing(cfg.DBPath()) == nil
}

// nothingServes reports whether no daemon serves db now, so that nothing
// sends what waits there until a person runs syncd sync or starts one: on
// SQLite as noDaemonServes; on PostgreSQL, no instance that runs (runs:
// one stopped cleanly leaves at once; one killed is gone at once, though
// its row stays for clusterSeen: status, give-up and erase
// -crm said for those 30 s that the instance leading sync sends what
// waits, with none running). Before, syncd sync on PostgreSQL with no
// instance running said "a running syncd daemon sends them" and exited 6.
// None seen, it waits for a late heartbeat (settle): right after an
// outage of the database over 30 s, outbox list, give-up and sync said
// nothing ran to send the leads while the instances ran.
func nothingServes(ctx context.Context, cfg *config.Config, db *backend) bool {
	if db.cluster == nil {
		return noDaemonServes(cfg)
	}
	ins, err := db.cluster.Instances(ctx, leadLapse)
	if err == nil && !anyRuns(ins) {
		ins, err = settle(db.cluster).Instances(ctx, leadLapse)
	}
	return err == nil && !anyRuns(ins)
}

// syncProgress counts the operations a sync run handles against those
// pending for target, on a terminal.
func (c *cli) syncProgress(ctx context.Context, db store, target string) (*progress, error) {
	depths, err := db.OutboxDepths(ctx)
	if err != nil {
		return nil, err
	}
	pending := 0
	for _, d := range depths {
		if d.Target == target {
			pending = d.Pending
		}
	}
	return c.newProgress("sync: operations", pending), nil
}

// requestCount counts the HTTP requests a CRM client sends, retries
// included: what the CRM's rate limits count. A batch of operations is one
// request to HubSpot but several to Pipedrive (a search, then a write).
type requestCount struct{ n atomic.Int64 }

// CRMRequest counts one request.
func (r *requestCount) CRMRequest(string, string, int, time.Duration) { r.n.Add(1) }

// RateLimitWait is not counted.
func (r *requestCount) RateLimitWait(string, time.Duration) {}

// syncOnce drains the outbox once and prints what it did, and what it
// left pending.
func (c *cli) syncOnce(ctx context.Context, cfg *config.Config, db *backend, s *syncer.Syncer, requests *requestCount) int {
	sum, err := s.RunOnce(ctx)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "%s: %d claimed, %d done, %d retried later, %d dead, %d released, %d CRM requests\n",
		sum.Target, sum.Claimed, sum.Done, sum.Retried, sum.Dead, sum.Released, requests.n.Load())
	if !sum.PausedUntil.IsZero() {
		fmt.Fprintf(c.stdout, "adapter paused until %s: %s\n%s\n",
			clockOf(cfg).show(sum.PausedUntil), sum.PauseReason, syncer.ResumeHint(sum.PauseKind))
	}
	noDaemon, w := nothingServes(ctx, cfg, db), servingOf(cfg)
	if sum.Outage != "" {
		goes := "what waits goes out by itself once it answers (" + w.sender() + " tries again, backing off to every 10 minutes)"
		if noDaemon {
			goes = "what waits goes out with a syncd sync run once it answers, or " + w.started()
		}
		switch {
		case sum.Throttled: // the CRM answered: its status page, base_url and the network are not the way out
			fmt.Fprintf(c.stdout, "the CRM refused the whole call for its rate limit (%s), so this run stopped calling it: call it again "+
				"from %s; %s; nothing to change in syncd or the account: the limit is spent for now "+
				"(another integration on the account may spend it too)\n", sum.Outage, clockOf(cfg).show(sum.CoolingUntil), goes)
		default:
			fmt.Fprintf(c.stdout, "the CRM failed the whole call: %s; this run stopped calling it; %s; if it does not answer, "+
				"see whether the CRM is down (its status page) or cannot be reached from this host (crm.%s.base_url, DNS, "+
				"a firewall or proxy): syncd crm check says when it answers\n", sum.Outage, goes, cfg.CRM.Kind)
		}
	}
	printAside(c.stdout, sum, noDaemon, w)
	return c.saidLeft(ctx, cfg, db, sum.Target, noDaemon, syncStatus(sum))
}

// saidLeft says how many operations for target a sync run left pending
// (held by no lease: saidLeased says those) and when the next is due, and
// returns the exit status that is true of them: exitCRMLater when a
// daemon sends them by itself, exitAttention when no daemon serves the
// database (noDaemon), as nothing sends them then unless a person runs syncd
// sync again or starts the daemon. Before, such a run exited 6, "what is
// left goes out by itself", and one run right after, claiming none of
// them (not due yet), printed "0 claimed" and exited 0, "everything due
// was sent". A run that needs a person already (code) is left as it is.
func (c *cli) saidLeft(ctx context.Context, cfg *config.Config, db store, target string, noDaemon bool, code int) int {
	if code != exitOK && code != exitCRMLater {
		return code
	}
	left, err := db.PendingLeft(ctx, target)
	if err != nil {
		c.errorf("operations left pending not known: %v", err)
		return code
	}
	if left.Count == 0 {
		return code
	}
	h := newHolds(ctx, db)
	next, free := left.NextDue, !left.NextDue.IsZero()
	if held := h.target(target); held.Until.After(next) { // a pause or cool-down defers them all
		next = held.Until
	}
	when, again := "the next due at "+clockOf(cfg).show(next), " then"
	switch {
	case !free: // behind ones a lease holds, said below
		when, again = "each waiting behind another (a deal behind its contact, or on the same record)", " once those are sent"
	case !next.After(h.now): // the CRM failing: the line above says so
		when, again = "due now", ""
	}
	w := servingOf(cfg)
	after, then := "a running syncd daemon sends them"+again+", or syncd sync", exitCRMLater
	if w.shared {
		after = "the instance leading sync sends them" + again + ", or syncd sync"
	}
	if noDaemon {
		after, then = w.noneRuns()+": nothing sends them by itself; run syncd sync again"+again+","+
			" or "+w.start()+" (syncd outbox list -state pending says when each goes)", exitAttention
	}
	fmt.Fprintf(c.stdout, "%s left, %s: %s\n", syncd.Counted(left.Count, "pending operation", "pending operations"), when, after)
	return then
}

// printAside says which operations a sync run set aside because the CRM
// failed their call as a whole while it answered others: the ones whose
// call failed with them alone, and the give-up for them; the others, not
// yet isolated, with no give-up: before, the give-up named every operation
// of a batch of 100, the leads claimed with the one the CRM never takes.
// With no daemon serving the database (noDaemon), status never names them
// (only the daemon tells them stuck) and no daemon halves those not yet
// isolated: it says what the next syncd sync does instead. The give-up
// comes after a look in the CRM (lookFirst): before, it was offered
// alone, and giving up a create whose answer was lost leaves the lead
// unsent or, entered again by hand, twice in the CRM.
func printAside(w io.Writer, sum syncer.Summary, noDaemon bool, who serving) {
	var groups []int64
	for _, id := range sum.Aside {
		if !slices.Contains(sum.Isolated, id) {
			groups = append(groups, id)
		}
	}
	if len(sum.Isolated) > 0 {
		goesOn := "syncd status says ONE BATCH STUCK, and"
		if noDaemon {
			goesOn = "each syncd sync after then says so again (" + who.noneRuns() + ": syncd status does not name them), and"
		}
		fmt.Fprintf(w, "the CRM answers other calls (its account check's reads went through) but failed the whole call of %s %s: %s;"+
			" set aside, the others went on: tried again later, less often; if that goes on, %s"+
			" %s syncd outbox give-up %s sets %s aside for good\n", syncd.Noun(len(sum.Isolated), "operation", "operations"), joinIDs(sum.Isolated),
			sum.AsideWhy, goesOn, lookFirst, argIDs(sum.Isolated), syncd.Noun(len(sum.Isolated), "it", "them"))
	}
	if len(groups) > 0 {
		halves := "the running daemon (syncd serve) halves them at its next try of them until that one is alone, and syncd status then names it"
		if who.shared {
			halves = "the instance leading sync halves them at its next try of them until that one is alone, and syncd status then names it"
		}
		if noDaemon {
			halves = who.noneRuns() + ": the next syncd sync once they are due (syncd outbox list says when) halves them again, sending what the CRM takes, until that one is alone"
		}
		fmt.Fprintf(w, "the CRM answers other calls (its account check's reads went through) but failed a whole call of operations %s: %s;"+
			" set aside, the others went on; not yet isolated: most are leads claimed with one the CRM never takes, give none of them up;"+
			" %s\n", joinIDs(groups), sum.AsideWhy, halves)
	}
}

// syncStatus is a sync run's exit status, for scripts: 0 when everything
// due was sent; exitAttention when a person must act (the adapter paused
// for a rejected token or the account's configuration, or operations
// dead-lettered: syncd outbox list -state dead); exitCRMLater when what is
// left goes out by itself (a spent daily limit, the CRM failing, operations
// retried later). saidLeft makes it exitAttention when no daemon serves
// the database, as nothing sends what is left then.
func syncStatus(sum syncer.Summary) int {
	switch {
	case sum.Clean():
		return exitOK
	case !sum.PausedUntil.IsZero() && !sum.PauseKind.EndsByItself(), sum.Dead > 0:
		return exitAttention
	default:
		return exitCRMLater
	}
}

// syncShared drains the outbox of a shared store: when an instance leads
// the sync, it is nudged to run (one client spends the CRM's budget);
// otherwise this command leads for one run, after one rate window so that
// a leader that just died is not counted twice.
func (c *cli) syncShared(ctx context.Context, cfg *config.Config, db *backend, s *syncer.Syncer, requests *requestCount) int {
	code := exitOK
	cl := db.cluster
	led, err := cl.TryLead(ctx, "sync", func(ctx context.Context) error {
		if w := rateWindow(cfg); w > 0 {
			fmt.Fprintf(c.stdout, "waiting one CRM rate window (%s) before syncing\n", w)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(w):
			}
		}
		code = c.syncOnce(ctx, cfg, db, s, requests)
		return nil
	})
	if err != nil {
		return c.fail(err)
	}
	if !led {
		if err := cl.Notify(ctx, postgres.ChannelOutbox); err != nil {
			return c.fail(err)
		}
		return c.nudgedLeader(ctx, cfg, db)
	}
	return code
}

// nudgedLeader says when the sync leader just nudged runs, or that its
// adapter is paused (a run then sends nothing) with how the pause ends; it
// returns the exit status a run of its own would have.
func (c *cli) nudgedLeader(ctx context.Context, cfg *config.Config, db store) int {
	p, err := db.AdapterPause(ctx, targetName(cfg))
	if err != nil {
		return c.fail(err)
	}
	if !p.Until.After(time.Now()) {
		fmt.Fprintf(c.stdout, "another instance leads the sync: %s (see syncd status)\n", leaderRuns(cfg))
		return exitOK
	}
	fmt.Fprintf(c.stdout, "another instance leads the sync, but the adapter is paused until %s: %s\n%s\n",
		clockOf(cfg).show(p.Until), p.Reason, syncer.ResumeHint(p.Kind))
	return syncStatus(syncer.Summary{PausedUntil: p.Until, PauseReason: p.Reason, PauseKind: p.Kind})
}

// leaderRuns says when the sync leader, just nudged, runs: after
// sync.prompt_delay (nudges are ignored when it is 0s), and not before the
// CRM rate window it waits when it has just taken the lead.
func leaderRuns(cfg *config.Config) string {
	when := fmt.Sprintf("nudged, it runs in %s (sync.prompt_delay)", cfg.Sync.PromptDelay)
	if cfg.Sync.PromptDelay == 0 {
		when = fmt.Sprintf("prompt runs are off (sync.prompt_delay 0s), it runs on sync.schedule (%s)", cfg.Sync.Schedule)
	}
	if w := rateWindow(cfg); w > 0 {
		when += fmt.Sprintf(", or once one CRM rate window (%s) has passed if it took the lead less than that ago", w)
	}
	return when
}

const outboxUsage = `usage: syncd outbox <subcommand> [flags]

  list   [-state pending|done|dead] [-limit N] [-json]   CRM operations, newest first
  show   [-json] ID                                     one operation with its properties
  retry  ID [ID...] | -all-dead                         make dead operations pending again
  give-up ID [ID...]                                   make pending operations dead: one the CRM never takes;
                                                       a dead letter dealt with by hand in the CRM: no alarm;
                                                       a CRM erasure of an earlier account: erased by hand
  drop   -crm NAME [-remap] [-erasures] [-dry-run]      drop what waits for a CRM crm.kind no longer names

Every subcommand takes -config FILE. Times are shown in report.time_zone with their offset;
-json prints one JSON object per line, times in RFC 3339 with their offset.
Run "syncd outbox <subcommand> -h" for its flags.
`

// cmdOutbox inspects and revives outbox operations.
func cmdOutbox(ctx context.Context, c *cli) int {
	return c.subcommand(ctx, "outbox", outboxUsage, map[string]func(*cli, context.Context) int{
		"list": (*cli).outboxList, "show": (*cli).outboxShow, "retry": (*cli).outboxRetry,
		"drop": (*cli).outboxDrop, "give-up": (*cli).outboxGiveUp,
	})
}

func (c *cli) outboxList(ctx context.Context) int {
	fs := c.flags("outbox list")
	file := fs.String("config", defaultConfig, "configuration file")
	state := fs.String("state", "", "pending, done or dead (default all)")
	asJSON := fs.Bool("json", false, "print JSON lines")
	limit := fs.Int("limit", 100, "at most this many, newest first (0: all)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, listExits("bad flags, an invalid configuration, a -state or -limit that is none")...)
	}
	if !c.limitOK("outbox list", *limit) {
		return exitUsage
	}
	if *state != "" && *state != "pending" && *state != "done" && *state != "dead" {
		fmt.Fprintf(c.stderr, "syncd outbox list: -state %q is not pending, done or dead\n", *state)
		return exitUsage
	}
	return c.withReader(ctx, *file, func(cfg *config.Config, db *backend) int {
		c.saidDatabase(*file, cfg)
		return c.listOps(ctx, db, clockOf(cfg), syncd.OpFilter{State: syncd.OpState(*state), Newest: true}, *limit, *asJSON)
	})
}

// listOps prints the operations f selects, newest first, at most limit
// (0: all), a page at a time, and how many older ones it left out, as
// listEvents.
func (c *cli) listOps(ctx context.Context, db store, clk clock, f syncd.OpFilter, limit int, asJSON bool) int {
	h := newHolds(ctx, db)
	shown, last, err := eachPage(limit, func(before int64, n int) (int, int64, error) {
		f.BeforeID, f.Limit = before, n
		ops, err := db.ListOps(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		if len(ops) > 0 || before == 0 { // an empty listing has its heading
			if err := printOps(c.stdout, clk, ops, asJSON, before == 0, h); err != nil {
				return 0, 0, err
			}
		}
		if len(ops) == 0 {
			return 0, 0, nil
		}
		return len(ops), ops[len(ops)-1].ID, nil
	})
	if err != nil {
		return c.fail(err)
	}
	c.leadDataOthersMayRead() // a contact's KEY is its email or phone
	f.BeforeID = last
	return c.printMore(shown, limit, func() (int, error) { return db.CountOps(ctx, f) }, asJSON)
}

func (c *cli) outboxShow(ctx context.Context) int {
	fs := c.flags("outbox show")
	file := fs.String("config", defaultConfig, "configuration file")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, c.args); err != nil || fs.NArg() != 1 {
		wrongArgs(fs, err, "one operation's ID (syncd outbox list shows them)")
		return c.flagsStatus(fs, err, append([]string{"usage: syncd outbox show [-config FILE] [-json] ID"},
			showExits("syncd outbox list")...)...)
	}
	id, ok := parseID(c.stderr, "outbox show", fs.Arg(0), "syncd outbox list")
	if !ok {
		return exitUsage
	}
	return c.withReader(ctx, *file, func(cfg *config.Config, db *backend) int {
		c.saidDatabase(*file, cfg)
		op, err := db.GetOp(ctx, id)
		if err != nil {
			return c.fail(lostOpByRestore(ctx, db, id, err))
		}
		var with []int64
		if !*asJSON {
			with = diedWith(ctx, db, op)
		}
		if err := printOp(c.stdout, clockOf(cfg), op, *asJSON, newHolds(ctx, db), with); err != nil {
			return c.fail(err)
		}
		if why := reusedOpID(ctx, db, id); why != "" { // on stderr: stdout is the operation
			fmt.Fprintf(c.stderr, "syncd outbox show: %s\n", why)
		}
		c.leadDataOthersMayRead() // its properties: name, email, phone
		return exitOK
	})
}

func (c *cli) outboxRetry(ctx context.Context) int {
	fs := c.flags("outbox retry")
	file := fs.String("config", defaultConfig, "configuration file")
	all := fs.Bool("all-dead", false, "retry every dead operation not given up by hand")
	if err := parseFlags(fs, c.args); err != nil || (*all == (fs.NArg() > 0)) {
		wrongArgs(fs, err, "the IDs of dead operations (syncd outbox list -state dead shows them), or -all-dead without any")
		return c.flagsStatus(fs, err, append([]string{"usage: syncd outbox retry [-config FILE] ID [ID...] | -all-dead"}, retryExits()...)...)
	}
	ids := make([]int64, fs.NArg())
	for i, a := range fs.Args() { // refused before the database is opened, as the other commands' ids are
		id, ok := parseID(c.stderr, "outbox retry", a, "syncd outbox list -state dead")
		if !ok {
			return exitUsage
		}
		ids[i] = id
	}
	return c.withWriter(ctx, *file, func(cfg *config.Config, db *backend) int {
		if c.refusedOtherFile(*file, cfg) { // configmatch.go
			return exitUsage
		}
		if *all {
			dead, err := db.ListOps(ctx, syncd.OpFilter{Target: targetName(cfg), State: syncd.OpDead, Limit: -1})
			if err != nil {
				return c.fail(err)
			}
			dead = slices.DeleteFunc(dead, func(op syncd.Op) bool { return op.DeadCause.GivenUp() || op.DeadCause.OtherAccount() })
			n, kept, givenUp, err := db.RetryAllDeadOps(ctx, targetName(cfg))
			if err != nil {
				return c.fail(err)
			}
			fmt.Fprintf(c.stdout, "%s pending again\n", syncd.Counted(n, "dead operation", "dead operations"))
			if n > 0 {
				ids, first := mappedOtherwise(ctx, cfg, db, dead)
				writeMappedOtherwise(c.stdout, clockOf(cfg), ids, first)
			}
			if givenUp > 0 { // sent again, each would undo what the operator did by hand
				fmt.Fprintf(c.stdout, "%s given up by hand (syncd outbox give-up) left as %s: syncd outbox "+
					"retry ID sends one again\n", syncd.Counted(givenUp, "operation", "operations"), syncd.Noun(givenUp, "it is", "they are"))
			}
			if kept > 0 {
				fmt.Fprintf(c.stdout, "%s of the account syncd wrote to before syncd crm forget-links left dead: "+
					"their CRM ids name other records, or none, in the one the token belongs to now, so no retry sends them; "+
					"erase those people in the earlier account by hand, then syncd outbox give-up each one not given up yet "+
					"(syncd outbox list -state dead shows them)\n", syncd.Counted(kept, "CRM erasure", "CRM erasures"))
			}
			return c.deadLeftForGone(ctx, cfg, db)
		}
		// Each id on its own: one an earlier id's retry revived (a
		// contact's updates that died together) is said so, not refused
		// as "pending, not dead", as it was retried one at a time.
		code, retried := exitOK, []syncd.Op(nil)
		by := map[int64]int64{} // id -> the id given whose retry revived it
		for _, id := range ids {
			if first, ok := by[id]; ok { // named too, or twice: what was asked is done
				with := fmt.Sprintf(" with operation %d", first)
				if first == id {
					with = ""
				}
				fmt.Fprintf(c.stdout, "operation %d pending again%s, above\n", id, with)
				continue
			}
			ops, st := c.retryOne(ctx, cfg, db, id)
			if st != exitOK {
				code = st
				continue
			}
			for _, op := range ops {
				by[op.ID] = id
			}
			retried = append(retried, ops...)
		}
		if len(retried) > 0 {
			mapped, first := mappedOtherwise(ctx, cfg, db, retried)
			writeMappedOtherwise(c.stdout, clockOf(cfg), mapped, first)
		}
		return code
	})
}

// retryOne makes dead operation id pending again, with what it needs,
// saying so: the operations made pending (id's first), or the exit
// status of a refusal or failure, said on stderr.
func (c *cli) retryOne(ctx context.Context, cfg *config.Config, db *backend, id int64) ([]syncd.Op, int) {
	if op, err := db.GetOp(ctx, id); err == nil && op.State == syncd.OpDead && op.Target != targetName(cfg) {
		fmt.Fprintf(c.stderr, "syncd outbox retry: operation %d is for %s, which crm.kind (%s) no longer names: "+
			"pending again it would wait for ever; %s\n", id, op.Target, targetName(cfg), dropOpHint(op, targetName(cfg)))
		return nil, exitUsage
	}
	if op, err := db.GetOp(ctx, id); err == nil && op.State == syncd.OpDead && op.DeadCause.OtherAccount() {
		fmt.Fprintf(c.stderr, "syncd outbox retry: %s\n", otherAccountErasure(op))
		return nil, exitUsage
	}
	with, err := db.RetryDeadOp(ctx, id)
	if err != nil {
		return nil, c.fail(notDead(ctx, db, clockOf(cfg), id, lostOpByRestore(ctx, db, id, err)))
	}
	if why := reusedOpID(ctx, db, id); why != "" {
		fmt.Fprintf(c.stderr, "syncd outbox retry: %s\n", why)
	}
	op, err := db.GetOp(ctx, id)
	if err != nil {
		return nil, c.fail(err)
	}
	fmt.Fprintf(c.stdout, "operation %d pending again%s\n", id, revivedWith(op.Kind, with, func(id int64) syncd.RecordKind {
		o, _ := db.GetOp(ctx, id)
		return o.Kind
	}))
	retried := []syncd.Op{op}
	for _, w := range with {
		if o, err := db.GetOp(ctx, w); err == nil {
			retried = append(retried, o)
		}
	}
	return retried, exitOK
}

// otherAccountErasure says why op, a CRM erasure of an earlier account
// (syncd crm forget-links made it dead), is not retried, and what to do.
func otherAccountErasure(op syncd.Op) string {
	what := fmt.Sprintf("operation %d is a CRM erasure of the account syncd wrote to before syncd crm forget-links: its CRM "+
		"ids (%s) name other records, or none, in the account the token belongs to now, so no retry sends it",
		op.ID, eraseIDs(op))
	if op.DeadCause == syncd.DeadOtherAccountGivenUp {
		return what + "; given up by hand already: nothing left to do"
	}
	return what + fmt.Sprintf("; erase the person in the earlier account by hand (these ids), and in this one if they are there, "+
		"then syncd outbox give-up %d", op.ID)
}

// eraseIDs names the CRM records erase operation op erases.
func eraseIDs(op syncd.Op) string {
	var ids []string
	contact, deals := op.EraseTargets()
	if contact != "" {
		ids = append(ids, "contact "+contact)
	}
	if len(deals) > 0 {
		ids = append(ids, syncd.Noun(len(deals), "deal ", "deals ")+strings.Join(deals, " "))
	}
	if keys := op.EraseDealKeys(); len(keys) > 0 { // deals syncd had no id of
		ids = append(ids, syncd.Noun(len(keys), "the deal holding lead id ", "the deals holding lead ids ")+strings.Join(keys, ", "))
	}
	return strings.Join(ids, ", ")
}

// revivedWith says which operations a retry of one of kind revived with it:
// for a contact, its updates that failed with it (a contact's updates are
// sent as one write and die as one; retried alone, one was sent without
// the later values) and its deals; for a deal, its contact's dead
// operation, with those that failed with that one, and the contact's
// other deals.
func revivedWith(kind syncd.RecordKind, with []int64, kindOf func(int64) syncd.RecordKind) string {
	if len(with) == 0 {
		return ""
	}
	var contact, deals []int64
	for _, id := range with {
		if kindOf(id) == syncd.RecordDeal {
			deals = append(deals, id)
		} else {
			contact = append(contact, id)
		}
	}
	slices.Sort(contact)
	slices.Sort(deals)
	if kind == syncd.RecordContact {
		said, and := "", ", with"
		if len(contact) > 0 {
			said, and = fmt.Sprintf(", with %s %s of the same contact, which failed with it (a contact's updates go as one write, in order)",
				syncd.Noun(len(contact), "operation", "operations"), joinIDs(contact)), " and"
		}
		if len(deals) > 0 {
			said += fmt.Sprintf("%s the deal %s that died waiting for it or %s given up: %s", and,
				syncd.Noun(len(deals), "operation", "operations"), syncd.Noun(len(deals), "was", "were"), joinIDs(deals))
		}
		return said
	}
	said := fmt.Sprintf(", with its contact's dead operation %s (the deal needs its contact in the CRM)", joinIDs(contact))
	if len(contact) > 1 {
		said = fmt.Sprintf(", with its contact's dead operations %s, which failed together (the deal needs its contact in the CRM)", joinIDs(contact))
	}
	if len(deals) > 0 {
		said += fmt.Sprintf(" and the contact's other deal %s that died waiting for it or %s given up: %s",
			syncd.Noun(len(deals), "operation", "operations"), syncd.Noun(len(deals), "was", "were"), joinIDs(deals))
	}
	return said
}

// joinIDs lists operation ids, comma-separated.
func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// notDeadPending says when op, pending, not dead, is sent: being sent
// now under a lease, after the operation it waits behind, or at its next
// attempt (or at once by syncd sync); its next attempt, come already,
// said nothing of the first two.
func notDeadPending(ctx context.Context, st store, clk clock, op syncd.Op) error {
	h := newHolds(ctx, st)
	if h.leased(op) {
		return syncd.Errorf(syncd.ENotFound, "operation %d is pending, not dead: it is being sent now "+
			"(%s; syncd outbox show %d)", op.ID, leaseText(clk, op), op.ID)
	}
	if _, waits := h.waitsFor(op); waits { // syncd sync does not send it before that one either
		return syncd.Errorf(syncd.ENotFound, "operation %d is pending, not dead: it is sent by itself (next attempt %s; "+
			"see syncd status)", op.ID, nextText(clk, op, h, true))
	}
	next, held := nextAttempt(op, h)
	return syncd.Errorf(syncd.ENotFound, "operation %d is pending, not dead: it is sent by itself "+
		"(next attempt %s%s; see syncd status), or at once by syncd sync", op.ID, clk.show(next), held.why(clk, true))
}

// notDead is err, no dead operation id, saying what operation id is when
// it is there but pending or done: nothing to retry.
func notDead(ctx context.Context, st store, clk clock, id int64, err error) error {
	if syncd.ErrorCode(err) != syncd.ENotFound {
		return err
	}
	op, gerr := st.GetOp(ctx, id)
	switch {
	case gerr != nil:
		return err
	case op.State == syncd.OpPending:
		return notDeadPending(ctx, st, clk, op)
	case op.State == syncd.OpDone:
		return syncd.Errorf(syncd.ENotFound, "operation %d is done, not dead: it reached the CRM (crm id %s); "+
			"to write its record again with other values, fix the mapping and run syncd replay", id, op.CRMID)
	}
	return err
}

// diedWith is the ids of the dead updates of op's contact that died with
// op, a dead contact update, in one finish (the same update time and dead
// cause: the store's RetryDeadOp and GiveUpOp take them with it); none for
// any other operation, or when they cannot be read. outbox show of one of
// them said nothing of the others, which a retry or give-up of it now takes.
func diedWith(ctx context.Context, db store, op syncd.Op) []int64 {
	if op.State != syncd.OpDead || op.Kind != syncd.RecordContact {
		return nil
	}
	dead, err := db.ListOps(ctx, syncd.OpFilter{Target: op.Target, State: syncd.OpDead, Kind: syncd.RecordContact, Limit: -1})
	if err != nil {
		return nil
	}
	var ids []int64
	for _, o := range dead {
		if o.ID != op.ID && o.Key == op.Key && o.UpdatedAt.Equal(op.UpdatedAt) && o.DeadCause == op.DeadCause {
			ids = append(ids, o.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
