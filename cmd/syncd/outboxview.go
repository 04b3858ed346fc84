package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	LeaseUntil    string            `json:"lease_until,omitempty"`
	LastError     string            `json:"last_error,omitempty"`
	CRMID         string            `json:"crm_id,omitempty"`
	MappingFile   string            `json:"mapping_file"`
	MappingHash   string            `json:"mapping_hash"`
	CreatedAt     string            `json:"created_at"`
	UpdatedAt     string            `json:"updated_at"`
	Properties    map[string]string `json:"properties,omitempty"`
}

// pauses tells until when the adapter of each target is paused, read from
// the store once per target: a pending operation is not tried before then,
// whatever its own next attempt says (a pause hands back the operations
// it stopped, due at once). A pause that cannot be read counts as none.
type pauses struct {
	ctx   context.Context
	db    store
	now   time.Time
	until map[string]time.Time
}

func newPauses(ctx context.Context, db store) *pauses {
	return &pauses{ctx: ctx, db: db, now: time.Now(), until: map[string]time.Time{}}
}

// of is until when target's adapter is paused; zero when it is not (and
// for a nil p).
func (p *pauses) of(target string) time.Time {
	if p == nil {
		return time.Time{}
	}
	until, ok := p.until[target]
	if !ok {
		var err error
		if until, _, err = p.db.AdapterPause(p.ctx, target); err != nil || !until.After(p.now) {
			until = time.Time{}
		}
		p.until[target] = until
	}
	return until
}

// nextAttempt is when a pending op is tried next, and until when its
// adapter's pause holds it back when that is later than its own next
// attempt (zero otherwise).
func nextAttempt(op syncd.Op, p *pauses) (next, paused time.Time) {
	if op.State != syncd.OpPending {
		return op.NextAttemptAt, time.Time{}
	}
	if until := p.of(op.Target); until.After(op.NextAttemptAt) {
		return until, until
	}
	return op.NextAttemptAt, time.Time{}
}

func toJSON(clk clock, op syncd.Op, withProps bool, p *pauses) opJSON {
	next, paused := nextAttempt(op, p)
	j := opJSON{
		ID: op.ID, EventID: op.EventID, Target: op.Target, Kind: string(op.Kind), Key: op.Key,
		ContactKey: op.ContactKey, State: string(op.State), Attempts: op.Attempts,
		NextAttemptAt: clk.rfc(next), PausedUntil: clk.rfc(paused), LeaseUntil: clk.rfc(op.LeaseUntil), LastError: op.LastError,
		CRMID: op.CRMID, MappingFile: op.MappingFile, MappingHash: op.MappingHash,
		CreatedAt: clk.rfc(op.CreatedAt), UpdatedAt: clk.rfc(op.UpdatedAt),
	}
	if withProps {
		j.Properties = op.Properties
	}
	return j
}

// printOps writes a list of operations for `syncd outbox list`: a table, or
// with asJSON JSON lines (one object per op, properties left out); the
// table's heading is above them when heading is set. A pending operation
// whose adapter p says is paused is tried at the pause's end: "(paused)"
// in the table.
func printOps(w io.Writer, clk clock, ops []syncd.Op, asJSON, heading bool, p *pauses) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, op := range ops {
			if err := enc.Encode(toJSON(clk, op, false, p)); err != nil {
				return err
			}
		}
		return nil
	}
	tw := newPageTable(w, heading)
	fmt.Fprintln(tw, "ID\tSTATE\tTARGET\tKIND\tKEY\tATTEMPTS\tNEXT ATTEMPT\tCRM ID\tLAST ERROR")
	for _, op := range ops {
		next := ""
		if op.State == syncd.OpPending {
			at, paused := nextAttempt(op, p)
			next = clk.show(at)
			if !paused.IsZero() {
				next += " (paused)"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", op.ID, op.State, op.Target, op.Kind, op.Key,
			op.Attempts, next, op.CRMID, oneLine(op.LastError, 80))
	}
	return tw.Flush()
}

// printOp writes one operation in full for `syncd outbox show`: labelled
// lines, or with asJSON one JSON object, properties included; a pause of
// its adapter (p) as printOps.
func printOp(w io.Writer, clk clock, op syncd.Op, asJSON bool, p *pauses) error {
	j := toJSON(clk, op, true, p)
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	}
	human := func(t time.Time) string { // for a person, as every command prints times
		if t.IsZero() {
			return ""
		}
		return clk.show(t)
	}
	next, paused := nextAttempt(op, p)
	j.NextAttemptAt, j.LeaseUntil = human(next), human(op.LeaseUntil)
	if !paused.IsZero() {
		j.NextAttemptAt += " (the adapter is paused until then: syncd status)"
	}
	j.CreatedAt, j.UpdatedAt = human(op.CreatedAt), human(op.UpdatedAt)
	if op.State != syncd.OpPending {
		j.NextAttemptAt, j.LeaseUntil = "", "" // meaningless once done or dead
	}
	tw := newTable(w)
	rows := [][2]string{
		{"id", fmt.Sprint(j.ID)}, {"event", fmt.Sprint(j.EventID)}, {"target", j.Target}, {"kind", j.Kind},
		{"key", j.Key}, {"contact key", j.ContactKey}, {"state", j.State}, {"attempts", fmt.Sprint(j.Attempts)},
		{"next attempt", j.NextAttemptAt}, {"lease until", j.LeaseUntil}, {"crm id", j.CRMID},
		{"last error", oneLine(j.LastError, 0)}, {"mapping", j.MappingFile + " (" + j.MappingHash + ")"},
		{"created", j.CreatedAt}, {"updated", j.UpdatedAt},
	}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
		}
	}
	names := make([]string, 0, len(op.Properties))
	for name := range op.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprintln(tw, "properties:\t")
	}
	for _, name := range names {
		fmt.Fprintf(tw, "  %s:\t%s\n", name, oneLine(op.Properties[name], 0))
	}
	return tw.Flush()
}

// oneLine keeps a value on one table row, cut to limit runes when limit > 0.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); limit > 0 && len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}
