package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// mappedOtherwise returns those of ops (dead contact and deal operations
// about to be retried) that their event maps otherwise with the mappings
// as they are now, and the earliest such event's receipt: retried, they go
// with the values they were mapped with, which the CRM refused or which
// the contact refused took with it, while
// `syncd replay` would send the lead as mapped now. Nothing when the
// mappings do not load or an event cannot be read: the retry is said
// without the note.
func mappedOtherwise(ctx context.Context, cfg *config.Config, db *backend, ops []syncd.Op) (ids []int64, first time.Time) {
	rules, err := loadRules(cfg, targetName(cfg))
	if err != nil {
		return nil, time.Time{}
	}
	for _, op := range ops {
		if op.EventID == 0 || (op.Kind != syncd.RecordContact && op.Kind != syncd.RecordDeal) {
			continue
		}
		ev, err := db.Event(ctx, op.EventID)
		if err != nil || !ev.ErasedAt.IsZero() || !ev.PurgedAt.IsZero() || len(ev.Payload) == 0 {
			continue
		}
		_, was := op.StoredProps()
		same := false
		for _, now := range rules.Map(ev).Ops {
			if _, h := now.StoredProps(); now.Target == op.Target && now.Kind == op.Kind && now.Key == op.Key && h == was {
				same = true
			}
		}
		if same {
			continue
		}
		ids = append(ids, op.ID)
		if first.IsZero() || ev.ReceivedAt.Before(first) {
			first = ev.ReceivedAt
		}
	}
	return ids, first
}

// writeMappedOtherwise notes the retried operations the mappings now map
// otherwise (mappedOtherwise), and the replay that sends them as mapped now.
func writeMappedOtherwise(w io.Writer, clk clock, ids []int64, first time.Time) {
	if len(ids) == 0 {
		return
	}
	const most = 20
	named := joinIDs(ids[:min(len(ids), most)])
	if len(ids) > most {
		named += fmt.Sprintf(" and %d more", len(ids)-most)
	}
	show := "syncd outbox show ID"
	if len(ids) == 1 {
		show = fmt.Sprintf("syncd outbox show %d", ids[0])
	}
	fmt.Fprintf(w, "note: the mappings as they are now map %s %s otherwise: retried, %s with the values %s "+
		"mapped with (%s); to send %s as mapped now, run syncd replay -since '%s' (-dry-run first), which replaces %s\n",
		syncd.Noun(len(ids), "operation", "operations"), named, syncd.Noun(len(ids), "it goes", "they go"),
		syncd.Noun(len(ids), "it was", "they were"), show, syncd.Noun(len(ids), "its lead", "their leads"),
		clk.show(first), syncd.Noun(len(ids), "it", "them"))
}
