package main

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRestoredIntentsCountTheRestoreWhileRecent: on a restored backup a
// create with no intent counts as sent at the restore until the window
// ends; a recorded intent is always the one returned.
func TestRestoredIntentsCountTheRestoreWhileRecent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mem := &crm.MemLinks{}
	restoredAt := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	clock := restoredAt.Add(time.Minute)
	r := restoredIntents{Links: mem, Intents: mem, at: restoredAt, until: restoredAt.Add(30 * time.Minute),
		now: func() time.Time { return clock }}
	got := func(key string) time.Time {
		t.Helper()
		at, err := r.Intent(ctx, "pipedrive", syncd.RecordContact, key)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	if at := got("c:new"); !at.Equal(restoredAt) {
		t.Fatalf("no intent, just after the restore: %v, want the restore", at)
	}
	sent := restoredAt.Add(2 * time.Minute)
	if err := r.SetIntent(ctx, "pipedrive", syncd.RecordContact, "c:sent", sent); err != nil {
		t.Fatal(err)
	}
	if at := got("c:sent"); !at.Equal(sent) {
		t.Fatalf("a recorded intent: %v, want %v", at, sent)
	}
	clock = restoredAt.Add(30 * time.Minute)
	if at := got("c:new"); !at.IsZero() {
		t.Fatalf("no intent, past the window: %v, want none", at)
	}
	// The links of a batch are read through it as from the store.
	if err := r.SetLink(ctx, "pipedrive", syncd.RecordContact, "c:sent", "7"); err != nil {
		t.Fatal(err)
	}
	if links, err := r.LinksFor(ctx, "pipedrive", syncd.RecordContact, []string{"c:new", "c:sent"}); err != nil || len(links) != 1 || links["c:sent"] != "7" {
		t.Fatalf("links of a batch = %v, %v; want c:sent: 7", links, err)
	}
}
