package crm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Intents records when a create of a record without a natural unique key
// was last sent, apart from the records' CRM ids (syncd.Links).
// *sqlite.DB implements it on its crm_intents table.
type Intents interface {
	// Intent returns when a create of (target, kind, key) was last sent;
	// zero if none is recorded.
	Intent(ctx context.Context, target string, kind syncd.RecordKind, key string) (time.Time, error)
	// SetIntent records that a create was sent at at; a zero at clears it.
	SetIntent(ctx context.Context, target string, kind syncd.RecordKind, key string, at time.Time) error
}

// IntentsOf is links itself when it also keeps intents (the store does),
// else a new in-memory Intents.
func IntentsOf(links syncd.Links) Intents {
	if in, ok := links.(Intents); ok {
		return in
	}
	return &MemLinks{}
}

// Guard makes a non-idempotent create safe to resend on a CRM without
// uniqueness. The create records an intent stamped with the moment it goes
// on the wire (after any wait for the rate limiter); a later attempt that
// finds the intent but cannot find the record by search waits until search
// has had time to index it (Settle) before creating again, so a create
// whose answer was lost is found instead of repeated.
type Guard struct {
	Intents Intents
	Target  string           // CRM adapter name
	Settle  time.Duration    // how long the CRM's search may lag behind a create
	Now     func() time.Time // clock
}

// Begin is called once a lookup found no record. When a create may be
// sent it returns the context to send it with, whose request records the
// intent at the moment it goes on the wire (WithSendHook): stamped before a
// wait for the rate limiter, the intent would make a later attempt search
// too early, find nothing and create the record twice. While an earlier
// create may still be invisible to search it returns an ErrWait CRMError
// with RetryAfter.
func (g Guard) Begin(ctx context.Context, kind syncd.RecordKind, key string) (context.Context, error) {
	t, err := g.Intents.Intent(ctx, g.Target, kind, key)
	if err != nil {
		return ctx, RetryErr(fmt.Sprintf("read intent: %v", err))
	}
	now := g.Now()
	if !t.IsZero() && now.Sub(t) < g.Settle {
		return ctx, &syncd.CRMError{Class: syncd.ErrWait, Code: "CREATE_UNSETTLED",
			Message: "an earlier create may not be searchable yet", RetryAfter: t.Add(g.Settle).Sub(now)}
	}
	return WithSendHook(ctx, func(sent time.Time) error {
		if err := g.Intents.SetIntent(ctx, g.Target, kind, key, sent); err != nil {
			return fmt.Errorf("record intent: %w", err)
		}
		return nil
	}), nil
}

// Abandon clears the intent after the CRM answered that it created nothing
// (a 4xx), so the next attempt need not wait, even when ctx ended as the
// CRM answered (Recording).
func (g Guard) Abandon(ctx context.Context, kind syncd.RecordKind, key string) {
	ctx, cancel := Recording(ctx)
	defer cancel()
	_ = g.Intents.SetIntent(ctx, g.Target, kind, key, time.Time{})
}

// MemLinks is an in-memory syncd.Links and Intents, for tests, the dry
// run, and adapters configured without a store (ids are then remembered
// only while the process runs).
type MemLinks struct {
	mu      sync.Mutex
	m       map[string]string
	intents map[string]time.Time
}

// Intent returns when a create of (target, kind, key) was last sent.
func (l *MemLinks) Intent(_ context.Context, target string, kind syncd.RecordKind, key string) (time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.intents[target+"\x00"+string(kind)+"\x00"+key], nil
}

// SetIntent records when a create was sent; a zero at clears it.
func (l *MemLinks) SetIntent(_ context.Context, target string, kind syncd.RecordKind, key string, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.intents == nil {
		l.intents = map[string]time.Time{}
	}
	k := target + "\x00" + string(kind) + "\x00" + key
	if at.IsZero() {
		delete(l.intents, k)
	} else {
		l.intents[k] = at
	}
	return nil
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
	if id == "" {
		delete(l.m, target+"\x00"+string(kind)+"\x00"+key)
		return nil
	}
	l.m[target+"\x00"+string(kind)+"\x00"+key] = id
	return nil
}
