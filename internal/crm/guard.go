package crm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Guard makes a non-idempotent create safe to resend on a CRM without
// uniqueness. Before the create it records an intent in Links; a later
// attempt that finds the intent but cannot find the record by search waits
// until search has had time to index it (Settle) before creating again, so
// a create whose answer was lost is found instead of repeated.
type Guard struct {
	Links  syncd.Links
	Target string           // CRM adapter name, the Links target
	Settle time.Duration    // how long the CRM's search may lag behind a create
	Now    func() time.Time // clock
}

// IntentKind is the Links kind under which intents to create kind are kept,
// apart from the ids themselves.
func IntentKind(kind syncd.RecordKind) syncd.RecordKind { return kind + "_intent" }

// Begin is called once a lookup found no record: it returns nil when a
// create may be sent (the intent is then recorded), or an ErrWait
// CRMError with RetryAfter while an earlier create may still be invisible
// to search.
func (g Guard) Begin(ctx context.Context, kind syncd.RecordKind, key string) error {
	v, err := g.Links.Link(ctx, g.Target, IntentKind(kind), key)
	if err != nil {
		return RetryErr(fmt.Sprintf("read intent: %v", err))
	}
	now := g.Now()
	if v != "" {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil && now.Sub(t) < g.Settle {
			return &syncd.CRMError{Class: syncd.ErrWait, Code: "CREATE_UNSETTLED",
				Message: "an earlier create may not be searchable yet", RetryAfter: t.Add(g.Settle).Sub(now)}
		}
	}
	if err := g.Links.SetLink(ctx, g.Target, IntentKind(kind), key, now.UTC().Format(time.RFC3339Nano)); err != nil {
		return RetryErr(fmt.Sprintf("record intent: %v", err))
	}
	return nil
}

// Abandon clears the intent after the CRM answered that it created nothing
// (a 4xx), so the next attempt need not wait.
func (g Guard) Abandon(ctx context.Context, kind syncd.RecordKind, key string) {
	_ = g.Links.SetLink(ctx, g.Target, IntentKind(kind), key, "")
}

// MemLinks is an in-memory syncd.Links, for tests, the dry run, and
// adapters configured without a store (ids are then remembered only while
// the process runs).
type MemLinks struct {
	mu sync.Mutex
	m  map[string]string
}

// Link returns the id recorded for (target, kind, key), or "".
func (l *MemLinks) Link(_ context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.m[target+"\x00"+string(kind)+"\x00"+key], nil
}

// SetLink records id for (target, kind, key).
func (l *MemLinks) SetLink(_ context.Context, target string, kind syncd.RecordKind, key, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]string{}
	}
	l.m[target+"\x00"+string(kind)+"\x00"+key] = id
	return nil
}
