package main

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// gone is what the store recorded of a body dropped: when syncd erase
// dropped it, when the retention purge did (each zero if not), and the
// retention key that decided the purge.
type gone struct {
	erased, purged time.Time
	retention      string
	dismissed      time.Time // a quarantined body dismissed as no lead (syncd events dismiss)
	restore        time.Time // the row a restore wrote to hold the ids before it, which never had a body
	// repairedAs is the event a quarantined body was repaired as: one whose
	// body is gone, neither erased nor purged, was dismissed before it was
	// repaired from a copy, the repair's time written over the dismissal's.
	repairedAs int64
}

func eventGone(ev syncd.Event) gone {
	return gone{erased: ev.ErasedAt, purged: ev.PurgedAt, retention: "retention.event_days", restore: restoreRowAt(ev.Kind, ev.ReceivedAt)}
}

func quarantineGone(q syncd.Quarantine) gone {
	return gone{erased: q.ErasedAt, purged: q.PurgedAt, retention: "retention.quarantine_days", dismissed: q.DismissedAt,
		restore: restoreRowAt(q.Kind, q.ReceivedAt), repairedAs: q.ResolvedEvent}
}

// restoreRowAt is when a restore wrote its row, of kind restore, holding
// the event or quarantine ids before it; zero for any other row.
func restoreRowAt(k syncd.Kind, at time.Time) time.Time {
	if k != syncd.KindRestore {
		return time.Time{}
	}
	return at
}

// say says why the body is gone: dismissed as no lead (what the retention
// did to its empty body after is no news), erased by syncd erase, purged
// by the retention, or both in the order they happened.
func (g gone) say(clk clock) string {
	if !g.restore.IsZero() {
		return "none: this row holds the ids before it, skipped when this restored backup was first written to at " + clk.show(g.restore)
	}
	if g.firstDismissed() {
		return "dismissed by syncd events dismiss at " + clk.show(g.dismissed) + ": no lead"
	}
	erased := "erased by syncd erase at " + clk.show(g.erased) + exportShows
	purged := "purged by the retention (" + g.retention + ") at " + clk.show(g.purged)
	switch {
	case !g.erased.IsZero() && !g.purged.IsZero() && g.erased.Before(g.purged):
		return erased + ", then " + purged
	case !g.erased.IsZero() && !g.purged.IsZero():
		return purged + ", then " + erased
	case !g.erased.IsZero():
		return erased
	case !g.purged.IsZero():
		return purged
	}
	if g.repairedAs != 0 {
		return fmt.Sprintf("dropped when it was dismissed (syncd events dismiss), before it was repaired from a copy as event %d "+
			"(syncd events show %d)", g.repairedAs, g.repairedAs)
	}
	return "the body is gone, but the database does not say why"
}

// cell is a BODY cell of a listing: held, or how and when it went (the
// first of erase and purge, when both).
func (g gone) cell(clk clock, empty bool) string {
	switch {
	case !g.restore.IsZero():
		return "none (restore)"
	case g.firstDismissed():
		return "dismissed " + clk.show(g.dismissed)
	case !g.erased.IsZero() && (g.purged.IsZero() || g.erased.Before(g.purged)):
		return "erased " + clk.show(g.erased)
	case !g.purged.IsZero():
		return "purged " + clk.show(g.purged)
	case empty && g.repairedAs != 0:
		return "dismissed" // when, the repair wrote over
	case empty:
		return "gone"
	}
	return "held"
}

// addTimes adds erased_at and purged_at to a JSON object, when set.
func (g gone) addTimes(clk clock, m map[string]any) {
	if !g.erased.IsZero() {
		m["erased_at"] = clk.rfc(g.erased)
	}
	if !g.purged.IsZero() {
		m["purged_at"] = clk.rfc(g.purged)
	}
}

// payloadGone says why an event holds no payload; the rows syncd erase -crm
// and a restore keep never had one.
func payloadGone(clk clock, ev syncd.Event) string {
	if ev.Kind == syncd.KindErasure {
		return "none: this row holds the CRM erase operations syncd erase -crm queued at " + clk.show(ev.ErasedAt)
	}
	return eventGone(ev).say(clk)
}

// bodyCell is an event's BODY cell in `events list`.
func bodyCell(clk clock, ev syncd.Event) string {
	if ev.Kind == syncd.KindErasure {
		return "none (erase -crm)"
	}
	return eventGone(ev).cell(clk, len(ev.Payload) == 0)
}

// firstDismissed says whether the body was dismissed before anything else
// dropped it.
func (g gone) firstDismissed() bool {
	return !g.dismissed.IsZero() && (g.erased.IsZero() || g.dismissed.Before(g.erased))
}

// notHeld says whether the body is gone for good, erased or purged (not
// dismissed first: a dismissed body's record is what the operator looks
// for, and shows as such).
func (g gone) notHeld() bool {
	return !g.firstDismissed() && (!g.erased.IsZero() || !g.purged.IsZero())
}

// showNotHeld is syncd events show -quarantined of q, whose body g says is
// erased or purged: the heading printed a blank line and no body, exit 0,
// the word "gone" on stderr alone. It says in the heading that the body is
// no longer held, why and when, and which erasure erased it (its audit's
// subject, as erase printed it) when the audit holds one at that time; the
// same on stderr; exit 3, the body named being held no more.
func (c *cli) showNotHeld(ctx context.Context, clk clock, db store, q syncd.Quarantine, g gone) int {
	why, _ := c.goneWhy(ctx, clk, db, g)
	fmt.Fprintf(c.stdout, "quarantine %d from %s at %s (%s): %s; its body is NO LONGER HELD: %s\n", q.ID, q.Source,
		clk.show(q.ReceivedAt), syncd.Counted(q.Deliveries, "delivery", "deliveries"), reasonShown(q), why)
	fmt.Fprintf(c.stderr, "syncd events show: quarantined body %d is gone: %s (exit 3: the body is no longer held)\n", q.ID, why)
	return exitNotFound
}

// goneWhy is why a body g tells of is gone, as events show -quarantined
// says it (gone.say), naming, of an erasure the audit holds at its time,
// the audit's subject (as that erase printed it), which it returns too
// ("" when none is known).
func (c *cli) goneWhy(ctx context.Context, clk clock, db store, g gone) (why, subject string) {
	return g.sayWith(clk, erasureSubjects(ctx, db, []gone{g}))
}

// sayWith is why g's body is gone, as goneWhy says it, the erasure's
// audit subject taken from subjects (erasureSubjects), which it returns
// too ("" when none is known).
func (g gone) sayWith(clk clock, subjects map[int64]string) (why, subject string) {
	why = g.say(clk)
	if g.erased.IsZero() || g.firstDismissed() {
		return why, ""
	}
	subject = subjects[g.erased.UnixNano()]
	if subject == idsDropped {
		return strings.Replace(why, exportShows, " (its audit entry keeps its time and counts alone: the identifiers it was "+
			"made under were dropped after retention.erasure_days, so syncd export no longer finds it)", 1), ""
	}
	if subject == "" {
		return why, ""
	}
	return strings.Replace(why, exportShows,
		" (the erasure audited as subject "+subject+", as that erase printed it; syncd export of the person shows it)", 1), subject
}

// exportShows is what gone.say adds to an erasure; sayWith words it
// otherwise when the audit tells more.
const exportShows = " (syncd export of the person shows the audit)"

// idsDropped is erasureSubjects' subject of an erasure whose audit entry
// lost its identifiers past retention.erasure_days (its subject hash
// among them): export no longer finds it, and events show said it did.
const idsDropped = "-"

// erasureSubjects is, by the time of each erasure that erased a body of
// gs (in UnixNano), the audit's subject of the one erasure the audit holds
// at that time (none where it holds none, or several, or does not read;
// idsDropped where its identifiers were dropped): one read of the audit,
// for one body or a page of a listing alike.
func erasureSubjects(ctx context.Context, db store, gs []gone) map[int64]string {
	var at []time.Time
	seen := map[int64]bool{}
	for _, g := range gs {
		if g.erased.IsZero() || g.firstDismissed() || seen[g.erased.UnixNano()] {
			continue
		}
		seen[g.erased.UnixNano()] = true
		at = append(at, g.erased)
	}
	if len(at) == 0 {
		return nil
	}
	ers, err := db.ErasuresAt(ctx, at)
	if err != nil {
		return nil
	}
	count, subjects := map[int64]int{}, map[int64]string{}
	for _, er := range ers {
		k := er.At.UnixNano()
		count[k]++
		subjects[k] = cmp.Or(er.SubjectHash, idsDropped)
	}
	for k, n := range count {
		if n != 1 {
			delete(subjects, k)
		}
	}
	return subjects
}

// addBodyGone adds to m, a quarantined body's JSON record, body_gone
// (why) and erasure_subject (subject, when known), as events show
// -quarantined -json and events list -quarantined -json give a body gone.
func addBodyGone(m map[string]any, why, subject string) {
	m["body_gone"] = why
	if subject != "" {
		m["erasure_subject"] = subject
	}
}

// showQuarantinedJSON is syncd events show -quarantined -json of q: its
// record, its body and what it waits for; of a body gone (g), body_gone
// saying why, as the text's heading says it, and erasure_subject, the
// audit's subject of the erasure that erased it. A body erased or purged
// exits 3, as the text does (it exited 0, a script reading "body": "" as
// an empty body still held); a dismissed one exits 0, as the text does,
// its record being what dismiss left.
func (c *cli) showQuarantinedJSON(ctx context.Context, cfg *config.Config, db store, q syncd.Quarantine, g gone) int {
	clk := clockOf(cfg)
	m := quarantineJSON(clk, q)
	m["body"] = string(q.Body)
	if q.ResolvedEvent == 0 && q.DismissedAt.IsZero() && len(q.Body) > 0 {
		m["waits"] = waitingWayOut(waitingBodyOf(q, cfg.Intake.MaxDepth))
	}
	if len(q.Body) > 0 {
		writeJSON(c.stdout, m, true)
		c.leadDataOthersMayRead()
		return exitOK
	}
	why, subject := c.goneWhy(ctx, clk, db, g)
	addBodyGone(m, why, subject)
	writeJSON(c.stdout, m, true)
	if !g.notHeld() {
		fmt.Fprintf(c.stderr, "syncd events show: quarantined body %d is gone: %s\n", q.ID, why)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "syncd events show: quarantined body %d is gone: %s (exit 3: the body is no longer held)\n", q.ID, why)
	return exitNotFound
}
