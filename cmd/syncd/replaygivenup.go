package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// givenUpLeft is the store a replay reads its events through: it leaves
// out the events of leads the operator gave up by hand (`syncd outbox
// give-up`: dealt with by hand in the CRM). Mapped again, such a lead would
// go to the CRM a second time, beside the one entered by hand, as a
// lead recorded with `syncd events done` would; `syncd outbox retry` of
// its operation, then the replay, sends it.
type givenUpLeft struct {
	mapping.ReplayStore
	givenUp map[int64][]int64 // event id -> its contact and deal operations given up by hand
	left    []int64           // the events left out, in id order
}

// newGivenUpLeft reads which events of target have a contact or deal
// operation given up by hand, for a replay through st.
func newGivenUpLeft(ctx context.Context, st store, target string) (*givenUpLeft, error) {
	ops, err := st.ListOps(ctx, syncd.OpFilter{Target: target, State: syncd.OpDead, Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("operations given up by hand: %w", err)
	}
	g := &givenUpLeft{ReplayStore: st, givenUp: map[int64][]int64{}}
	for _, op := range ops {
		if op.DeadCause == syncd.DeadGivenUp && op.EventID != 0 &&
			(op.Kind == syncd.RecordContact || op.Kind == syncd.RecordDeal) {
			g.givenUp[op.EventID] = append(g.givenUp[op.EventID], op.ID)
		}
	}
	return g, nil
}

// ReplayEvents returns up to limit of the events the replay asks for that
// have no operation given up by hand, noting those it leaves out. It
// returns fewer only when no more are left, as the replay takes it.
func (g *givenUpLeft) ReplayEvents(ctx context.Context, since time.Time, source string, afterID int64, limit int) ([]syncd.Event, error) {
	var keep []syncd.Event
	for len(keep) < limit {
		want := limit - len(keep)
		evs, err := g.ReplayStore.ReplayEvents(ctx, since, source, afterID, want)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			afterID = ev.ID
			if _, ok := g.givenUp[ev.ID]; ok {
				g.left = append(g.left, ev.ID)
				continue
			}
			keep = append(keep, ev)
		}
		if len(evs) < want {
			break
		}
	}
	return keep, nil
}

// count adds the events left out to sum, among those unchanged.
func (g *givenUpLeft) count(sum *mapping.ReplaySummary) {
	sum.Events += len(g.left)
	sum.Unchanged += len(g.left)
}

// write says which leads the replay left as given up by hand, if any.
func (g *givenUpLeft) write(w io.Writer) {
	if len(g.left) == 0 {
		return
	}
	const most = 20
	named := make([]string, 0, min(len(g.left), most))
	for _, id := range g.left[:min(len(g.left), most)] {
		named = append(named, fmt.Sprintf("event %d (%s %s)", id,
			syncd.Noun(len(g.givenUp[id]), "operation", "operations"), joinIDs(g.givenUp[id])))
	}
	more := ""
	if len(g.left) > most {
		more = fmt.Sprintf(" and %d more", len(g.left)-most)
	}
	fmt.Fprintf(w, "replay: left %s given up by hand (syncd outbox give-up: dealt with by hand in the CRM), "+
		"not sent again: %s%s; to send one all the same, syncd outbox retry its operation, then replay again\n",
		syncd.Counted(len(g.left), "lead", "leads"), strings.Join(named, ", "), more)
}
