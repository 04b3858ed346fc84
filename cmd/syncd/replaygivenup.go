package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// givenUpOps are the contact and deal operations of target given up by
// hand (syncd outbox give-up: dealt with by hand in the CRM), by event id:
// a replay leaves those events (mapping.ReplayOptions.GivenUp), and names
// them with these operations.
func givenUpOps(ctx context.Context, st store, target string) (map[int64][]int64, error) {
	ops, err := st.ListOps(ctx, syncd.OpFilter{Target: target, State: syncd.OpDead, Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("operations given up by hand: %w", err)
	}
	out := map[int64][]int64{}
	for _, op := range ops {
		if op.DeadCause == syncd.DeadGivenUp && op.EventID != 0 &&
			(op.Kind == syncd.RecordContact || op.Kind == syncd.RecordDeal) {
			out[op.EventID] = append(out[op.EventID], op.ID)
		}
	}
	return out, nil
}

// writeGivenUpLeft says which leads the replay left as given up by hand
// (left, with their operations in ops), if any.
func writeGivenUpLeft(w io.Writer, left []int64, ops map[int64][]int64) {
	if len(left) == 0 {
		return
	}
	const most = 20
	named := make([]string, 0, min(len(left), most))
	for _, id := range left[:min(len(left), most)] {
		named = append(named, fmt.Sprintf("event %d (%s %s)", id,
			syncd.Noun(len(ops[id]), "operation", "operations"), joinIDs(ops[id])))
	}
	more := ""
	if len(left) > most {
		more = fmt.Sprintf(" and %d more", len(left)-most)
	}
	fmt.Fprintf(w, "replay: left %s given up by hand (syncd outbox give-up: dealt with by hand in the CRM), "+
		"not sent again: %s%s; to send one all the same, syncd outbox retry its operation, then syncd replay again\n",
		syncd.Counted(len(left), "lead", "leads"), strings.Join(named, ", "), more)
}
