package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// opJSON is how an operation is shown by `syncd outbox list/show -json`.
type opJSON struct {
	ID            int64             `json:"id"`
	EventID       int64             `json:"event_id"`
	Target        string            `json:"target"`
	Kind          string            `json:"kind"`
	Key           string            `json:"key"`
	ContactKey    string            `json:"contact_key,omitempty"`
	State         string            `json:"state"`
	Attempts      int               `json:"attempts"`
	NextAttemptAt string            `json:"next_attempt_at,omitempty"`
	PausedUntil   string            `json:"paused_until,omitempty"`
	FailingSince  string            `json:"crm_failing_since,omitempty"`
	LeaseUntil    string            `json:"lease_until,omitempty"`
	WaitsFor      int64             `json:"waits_for,omitempty"` // the pending operation it goes after (holds.waitsFor)
	LastError     string            `json:"last_error,omitempty"`
	DeadCause     string            `json:"dead_cause,omitempty"` // syncd's own reason for a dead one (syncd.DeadCause)
	CRMID         string            `json:"crm_id,omitempty"`
	MappingFile   string            `json:"mapping_file"`
	MappingHash   string            `json:"mapping_hash"`
	CreatedAt     string            `json:"created_at"`
	UpdatedAt     string            `json:"updated_at"`
	Properties    map[string]string `json:"properties,omitempty"`
}

// hold is what keeps a target's pending operations from being tried
// before their own next attempt says: a pause of its adapter, or the
// syncer's cool-down while every CRM call fails (a pause hands back the
// operations it stopped due at once, and an outage leaves them due).
type hold struct {
	Until  time.Time // nothing is tried before then; zero: no hold
	Paused bool      // a pause; else a cool-down
	Since  time.Time // a cool-down's outage began then
}

// holds reads the hold of each target from the store, once per target;
// one that cannot be read counts as none. What the operations of a page
// wait behind it reads once for the page (holds.page).
type holds struct {
	ctx   context.Context
	db    store
	now   time.Time
	of    map[string]hold
	asked map[int64]bool     // the page's operations asked of, by id (holds.page)
	waits map[int64]syncd.Op // what each of them waits behind, if any
}

func newHolds(ctx context.Context, db store) *holds {
	return &holds{ctx: ctx, db: db, now: time.Now(), of: map[string]hold{}}
}

// target is target's hold now: the later of a pause and a cool-down
// (none for a nil h).
func (h *holds) target(target string) hold {
	if h == nil {
		return hold{}
	}
	if got, ok := h.of[target]; ok {
		return got
	}
	var got hold
	if p, err := h.db.AdapterPause(h.ctx, target); err == nil && p.Until.After(h.now) {
		got = hold{Until: p.Until, Paused: true}
	}
	if f := crmFailingOf(h.ctx, h.db, target); f.Until.After(h.now) && f.Until.After(got.Until) {
		got = hold{Until: f.Until, Since: f.Since}
	}
	h.of[target] = got
	return got
}

// nextAttempt is when op is tried next, with the hold that defers it past
// its own next attempt (zero when none does, and for an op not pending).
func nextAttempt(op syncd.Op, h *holds) (time.Time, hold) {
	if op.State != syncd.OpPending {
		return op.NextAttemptAt, hold{}
	}
	if held := h.target(op.Target); held.Until.After(op.NextAttemptAt) {
		return held.Until, held
	}
	return op.NextAttemptAt, hold{}
}

// leased reports whether a lease holds op now: a syncer sends it, or one
// that stopped mid-send held it, and nothing else sends it before the
// lease ends (its next attempt, in the past, says nothing of that).
func (h *holds) leased(op syncd.Op) bool {
	now := time.Now()
	if h != nil {
		now = h.now
	}
	return op.State == syncd.OpPending && op.LeaseUntil.After(now)
}

// waitsFor is the pending operation op, pending and held by no lease,
// waits behind (a deal its contact's, else an older one on the same
// record): whatever its next attempt says, no syncer takes it before that
// one is done. None for a nil h, or when the store cannot tell. For an
// operation of the page (holds.page) it is what the store said for the
// page.
func (h *holds) waitsFor(op syncd.Op) (syncd.Op, bool) {
	if h == nil || op.State != syncd.OpPending || h.leased(op) {
		return syncd.Op{}, false
	}
	if h.asked[op.ID] {
		w, ok := h.waits[op.ID]
		return w, ok
	}
	w, ok, err := h.db.WaitsFor(h.ctx, op)
	return w, ok && err == nil
}

// page asks the store once what each of ops, the page about to be
// printed, waits behind (holds.waitsFor), in place of the page before's:
// asked one by one, `syncd outbox list` spent 45 of its 48 s over 100,000
// pending operations on it. When the store cannot tell, none waits.
func (h *holds) page(ops []syncd.Op) {
	if h == nil {
		return
	}
	var ask []syncd.Op
	for _, op := range ops {
		if op.State == syncd.OpPending && !h.leased(op) {
			ask = append(ask, op)
		}
	}
	h.asked, h.waits = make(map[int64]bool, len(ask)), nil
	if len(ask) == 0 {
		return
	}
	for _, op := range ask {
		h.asked[op.ID] = true
	}
	if w, err := h.db.WaitsForEach(h.ctx, ask); err == nil {
		h.waits = w
	}
}

// waitText says which operation op waits behind, w: what list shows (its
// next attempt, already come, says nothing of it), and show (long).
func waitText(op, w syncd.Op, long bool) string {
	whose := "on the same record"
	if op.Kind == syncd.RecordDeal && w.Kind == syncd.RecordContact {
		whose = "its contact"
	}
	if op.Kind == syncd.RecordContact { // sent with it, merged, as the claim takes a contact's updates
		if !long {
			return fmt.Sprintf("with operation %d (%s)", w.ID, whose)
		}
		return fmt.Sprintf("with operation %d, %s, in one write (a contact's pending updates go together, in order: "+
			"syncd outbox show %d)", w.ID, whose, w.ID)
	}
	if !long {
		return fmt.Sprintf("after operation %d (%s)", w.ID, whose)
	}
	why := "writes to one record go in order"
	if whose == "its contact" {
		why = "a deal goes once its contact is in the CRM"
	}
	return fmt.Sprintf("once operation %d, %s, is done (%s: syncd outbox show %d)", w.ID, whose, why, w.ID)
}

// leaseText is what list says of an operation a lease holds.
func leaseText(clk clock, op syncd.Op) string {
	return "being sent, lease until " + clk.show(op.LeaseUntil)
}

// why says, for a person, what holds an operation back, after its time:
// what list (short) or show and retry say.
func (held hold) why(clk clock, short bool) string {
	switch {
	case held.Until.IsZero():
		return ""
	case held.Paused && short:
		return " (paused)"
	case held.Paused:
		return " (the adapter is paused until then: syncd status)"
	case short:
		return " (CRM failing)"
	}
	return " (every CRM call failing since " + clk.show(held.Since) + ": tried again then, by itself)"
}

func toJSON(clk clock, op syncd.Op, withProps bool, h *holds) opJSON {
	next, held := nextAttempt(op, h)
	j := opJSON{
		ID: op.ID, EventID: op.EventID, Target: op.Target, Kind: string(op.Kind), Key: op.Key,
		ContactKey: op.ContactKey, State: string(op.State), Attempts: op.Attempts,
		NextAttemptAt: clk.rfc(next), LeaseUntil: clk.rfc(op.LeaseUntil), LastError: op.LastError, DeadCause: string(op.DeadCause),
		CRMID: op.CRMID, MappingFile: op.MappingFile, MappingHash: op.MappingHash,
		CreatedAt: clk.rfc(op.CreatedAt), UpdatedAt: clk.rfc(op.UpdatedAt),
	}
	if op.State != syncd.OpPending {
		j.NextAttemptAt = "" // nothing tries a done or dead one again, as the text says by leaving it out
	}
	if held.Paused {
		j.PausedUntil = clk.rfc(held.Until)
	} else {
		j.FailingSince = clk.rfc(held.Since)
	}
	if w, ok := h.waitsFor(op); ok {
		j.WaitsFor = w.ID
	}
	if withProps {
		j.Properties = shownProperties(op)
	}
	return j
}

// shownProperties are op's properties as outbox show prints them: an
// erasure's sealed emails and phones of the person (syncd.EraseOps) as how
// many there are, not their hashes, which test a guess of them.
func shownProperties(op syncd.Op) map[string]string {
	v, ok := op.Properties["person_keys"]
	if op.Kind != syncd.RecordErase || !ok {
		return op.Properties
	}
	out := maps.Clone(op.Properties)
	out["person_keys"] = fmt.Sprintf("%d sealed (the person's emails and phones, in their written forms: "+
		"to tell a CRM record holding someone else's data too)", max(len(strings.Fields(v))-1, 0))
	return out
}

// nextText is when a pending operation no lease holds is tried next, for
// a person (short in list): its next attempt, or the hold's end, and after
// which operation when it waits behind one (holds.waitsFor); only the
// latter once its next attempt has come.
func nextText(clk clock, op syncd.Op, h *holds, short bool) string {
	at, held := nextAttempt(op, h)
	text := clk.show(at) + held.why(clk, short)
	w, ok := h.waitsFor(op)
	switch {
	case !ok:
		return text
	case at.After(h.now):
		return text + ", and " + waitText(op, w, !short)
	}
	return waitText(op, w, !short) // its own time has come: only that one holds it
}

// printOps writes a list of operations for `syncd outbox list`: a table, or
// with asJSON JSON lines (one object per op, properties left out); the
// table's heading is above them when heading is set. A pending operation
// that h says is held back is tried when the hold ends: "(paused)" or
// "(CRM failing)" in the table; one a lease holds is "being sent".
func printOps(w io.Writer, clk clock, ops []syncd.Op, asJSON, heading bool, h *holds) error {
	h.page(ops)
	if asJSON {
		for _, op := range ops {
			if err := writeJSON(w, toJSON(clk, op, false, h), false); err != nil {
				return err
			}
		}
		return nil
	}
	tw := newPageTable(w, heading)
	fmt.Fprintln(tw, "ID\tSTATE\tTARGET\tKIND\tKEY\tATTEMPTS\tNEXT ATTEMPT\tCRM ID\tLAST ERROR")
	for _, op := range ops {
		next := ""
		switch {
		case h.leased(op):
			next = leaseText(clk, op)
		case op.State == syncd.OpPending:
			next = nextText(clk, op, h, true)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", op.ID, stateText(op, true), op.Target, op.Kind, listedKey(op.Key),
			op.Attempts, next, op.CRMID, oneLine(op.LastError, 80))
	}
	return tw.Flush()
}

// listedKey is key as the table of operations shows it: a hash cut to its
// first 12 hex digits and "…" (a Lokalebasen deal's key is the sha256 of
// its body, 64 digits that pushed every other column of the table off an
// 80-column screen); syncd outbox show ID and -json give it whole.
func listedKey(key string) string {
	i := strings.Index(key, "sha256:")
	if i < 0 || len(key) <= i+len("sha256:")+12 {
		return key
	}
	return key[:i+len("sha256:")+12] + "…"
}

// printOp writes one operation in full for `syncd outbox show`: labelled
// lines, or with asJSON one JSON object, properties included; what holds
// it back (h) as printOps. with are the operations that died with it, one
// write (diedWith), which its state names.
func printOp(w io.Writer, clk clock, op syncd.Op, asJSON bool, h *holds, with []int64) error {
	j := toJSON(clk, op, true, h)
	if asJSON {
		return writeJSON(w, j, true)
	}
	human := func(t time.Time) string { // for a person, as every command prints times
		if t.IsZero() {
			return ""
		}
		return clk.show(t)
	}
	j.NextAttemptAt, j.LeaseUntil = nextText(clk, op, h, false), human(op.LeaseUntil)
	if h.leased(op) {
		j.NextAttemptAt = "once the lease below ends, if not done by then (being sent now, or held by a syncd that stopped mid-send)"
	}
	j.CreatedAt, j.UpdatedAt = human(op.CreatedAt), human(op.UpdatedAt)
	if op.State != syncd.OpPending {
		j.NextAttemptAt, j.LeaseUntil = "", "" // meaningless once done or dead
	}
	j.State = stateText(op, false)
	if len(with) > 0 {
		j.State = diedWithText(op, with)
	}
	mapping := "" // none for a CRM erasure (syncd erase -crm): the row is left out
	if j.MappingFile != "" || j.MappingHash != "" {
		mapping = j.MappingFile + " (" + j.MappingHash + ")"
	}
	tw := newTable(w)
	rows := [][2]string{
		{"id", fmt.Sprint(j.ID)}, {"event", fmt.Sprint(j.EventID)}, {"target", j.Target}, {"kind", j.Kind},
		{"key", j.Key}, {"contact key", j.ContactKey}, {"state", j.State}, {"attempts", fmt.Sprint(j.Attempts)},
		{"next attempt", j.NextAttemptAt}, {"lease until", j.LeaseUntil}, {"crm id", j.CRMID},
		{"last error", oneLine(j.LastError, 0)}, {"mapping", mapping},
		{"created", j.CreatedAt}, {"updated", j.UpdatedAt},
	}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
		}
	}
	props := shownProperties(op)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprintln(tw, "properties:\t")
	}
	for _, name := range names {
		fmt.Fprintf(tw, "  %s:\t%s\n", name, oneLine(props[name], 0))
	}
	return tw.Flush()
}

// stateText is an operation's state for a person (short in list): one
// given up by hand is dead in the store and in JSON (with its dead_cause),
// but given up, no alarm, as status and syncd_outbox_ops{state="given_up"}
// count it; it said dead, as a dead letter that needs attention. One done
// whose record a person deleted in the CRM says so in full.
func stateText(op syncd.Op, short bool) string {
	switch {
	case op.State == syncd.OpDone && op.DeadCause == syncd.DoneDeletedInCRM && !short:
		return "done: its record was found deleted in the CRM by a person since syncd wrote it, and left so " +
			"(nothing written, nothing made again; the report says so)"
	case op.State != syncd.OpDead || !op.DeadCause.GivenUp():
		return string(op.State)
	case short:
		return "given up"
	case op.DeadCause.OtherAccount():
		return "given up by hand (dead, no alarm): erased by hand in the earlier account, never sent"
	}
	return fmt.Sprintf("given up by hand (dead, no alarm): syncd outbox retry %d sends it again", op.ID)
}

// diedWithText is the state of op, a contact's update, with the others
// that died with it (with), one write, and what a retry or give-up of it
// does: said once. outbox show said the state ("given up by hand: syncd
// outbox retry N sends it again"), then in a line of its own the others
// and the retry again, which sends them all.
func diedWithText(op syncd.Op, with []int64) string {
	state, then := "dead", fmt.Sprintf("syncd outbox retry %d sends them all again, syncd outbox give-up %d gives them all up", op.ID, op.ID)
	if op.DeadCause.GivenUp() {
		state, then = "given up by hand (dead, no alarm)", fmt.Sprintf("syncd outbox retry %d sends them all again", op.ID)
	}
	return fmt.Sprintf("%s, with %s %s of the same contact, one write with it: %s",
		state, syncd.Noun(len(with), "operation", "operations"), joinIDs(with), then)
}

// oneLine keeps a value on one table row, cut to limit runes when limit > 0.
// A control character shows as a space, as a line break does (a sender's
// text reaches a terminal, which would run an escape sequence in it), runs
// of spaces as one, and the characters that would turn the rest of the
// row around are left out (syncd.OneLine), in a file or pipe too.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(syncd.OneLine(s)), " ")
	if r := []rune(s); limit > 0 && len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}
