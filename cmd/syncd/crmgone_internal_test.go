package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRemapSkipsEventsWhoseBodiesAreGone: outbox drop -remap maps only the
// events of the operations it dropped; one whose body the retention purged
// (its dead operations outlived event_days) or erase dropped cannot be
// mapped, and is named, not passed to the mapper as an empty event; the
// batches go on past it.
func TestRemapSkipsEventsWhoseBodiesAreGone(t *testing.T) {
	t.Parallel()
	purged := map[int64]bool{3: true, 4: true}
	only := &eventsOnly{ids: []int64{2, 3, 4, 5, 9}, get: func(_ context.Context, id int64) (syncd.Event, error) {
		ev := syncd.Event{ID: id}
		if purged[id] {
			ev.PurgedAt = time.Now()
		}
		return ev, nil
	}}
	var got []int64
	for after := int64(0); ; {
		evs, err := only.ReplayEvents(context.Background(), time.Time{}, "", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			got, after = append(got, ev.ID), ev.ID
		}
		if len(evs) < 2 {
			break
		}
	}
	if fmt.Sprint(got) != "[2 5 9]" || fmt.Sprint(only.gone) != "[3 4]" {
		t.Fatalf("replayed %v, gone %v; want [2 5 9] and [3 4]", got, only.gone)
	}
}
