package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// pageSpy is a store that notes the limit of every listing read.
type pageSpy struct {
	store
	mu     sync.Mutex
	limits []int
}

func (s *pageSpy) note(limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, limit)
}

func (s *pageSpy) Events(ctx context.Context, f syncd.EventFilter) ([]syncd.Event, error) {
	s.note(f.Limit)
	return s.store.Events(ctx, f)
}

func (s *pageSpy) Quarantined(ctx context.Context, f syncd.EventFilter) ([]syncd.Quarantine, error) {
	s.note(f.Limit)
	return s.store.Quarantined(ctx, f)
}

func (s *pageSpy) ListOps(ctx context.Context, f syncd.OpFilter) ([]syncd.Op, error) {
	s.note(f.Limit)
	return s.store.ListOps(ctx, f)
}

// TestListingsReadInPages: `events list`, `events list -quarantined` and
// `outbox list` read what they list a page at a time, so that `-limit 0`
// over a year's events holds one page in memory, not the year (750 MB for
// 500,000 events, bodies and all, before the first line was printed),
// and every row still comes once, newest first.
func TestListingsReadInPages(t *testing.T) {
	t.Parallel()
	const events, quarantined = 2*listPage + 17, listPage + 3
	db := listingDB(t, events, quarantined, 0)
	ms := make([]syncd.Mapping, 0, events)
	for id := int64(1); id <= events; id++ {
		ms = append(ms, syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: []syncd.Op{{EventID: id, Target: "hubspot",
			Kind: syncd.RecordContact, Key: fmt.Sprintf("p%d@example.com", id), KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": fmt.Sprintf("p%d@example.com", id)}, MappingFile: "eaf.yaml", MappingHash: "h"}}})
	}
	if _, err := db.RecordMappings(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
	for name, list := range map[string]func(c *cli, spy *pageSpy) int{
		"events": func(c *cli, spy *pageSpy) int {
			return c.listEvents(context.Background(), spy, cph, syncd.EventFilter{Newest: true}, 0, false)
		},
		"quarantined": func(c *cli, spy *pageSpy) int {
			return c.listQuarantine(context.Background(), spy, cph, syncd.EventFilter{Newest: true}, 0, false)
		},
		"outbox": func(c *cli, spy *pageSpy) int {
			return c.listOps(context.Background(), spy, cph, syncd.OpFilter{Newest: true}, 0, false)
		},
	} {
		var out strings.Builder
		spy := &pageSpy{store: db}
		if code := list(&cli{stdout: &out, stderr: &out}, spy); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, out.String())
		}
		ids, more := listedIDs(t, out.String())
		want := events
		if name == "quarantined" {
			want = quarantined
		}
		inOrder := len(ids) == want
		for i := 1; inOrder && i < len(ids); i++ {
			var a, b int
			fmt.Sscan(ids[i-1], &a)
			fmt.Sscan(ids[i], &b)
			inOrder = a > b
		}
		if !inOrder || more != "" {
			t.Errorf("%s: listed %d rows (want %d, each once, newest first), more %q", name, len(ids), want, more)
		}
		for _, l := range spy.limits {
			if l <= 0 || l > listPage {
				t.Errorf("%s: read with limits %v: want pages of at most %d", name, spy.limits, listPage)
				break
			}
		}
	}
}

// TestEmptyListingsHaveTheirHeading: a listing with nothing to list is its
// heading, as before it was read a page at a time (it printed nothing).
func TestEmptyListingsHaveTheirHeading(t *testing.T) {
	t.Parallel()
	db := listingDB(t, 0, 0, 0)
	for name, list := range map[string]func(c *cli) int{
		"events": func(c *cli) int {
			return c.listEvents(context.Background(), db, cph, syncd.EventFilter{Newest: true}, 100, false)
		},
		"quarantined": func(c *cli) int {
			return c.listQuarantine(context.Background(), db, cph, syncd.EventFilter{Newest: true}, 100, false)
		},
		"outbox": func(c *cli) int {
			return c.listOps(context.Background(), db, cph, syncd.OpFilter{Newest: true}, 100, false)
		},
	} {
		var out strings.Builder
		if code := list(&cli{stdout: &out, stderr: &out}); code != exitOK || !strings.HasPrefix(out.String(), "ID ") ||
			strings.Count(out.String(), "\n") != 1 {
			t.Errorf("%s: exit %d, printed %q; want its heading alone", name, code, out.String())
		}
	}
}
