package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// waitsCounted is a store that counts how often it is asked what an
// operation waits behind: one by one (WaitsFor), or a page at once
// (WaitsForEach).
type waitsCounted struct {
	store
	one, each int
}

func (s *waitsCounted) WaitsFor(ctx context.Context, op syncd.Op) (syncd.Op, bool, error) {
	s.one++
	return s.store.WaitsFor(ctx, op)
}

func (s *waitsCounted) WaitsForEach(ctx context.Context, ops []syncd.Op) (map[int64]syncd.Op, error) {
	s.each++
	return s.store.WaitsForEach(ctx, ops)
}

// TestOutboxListAsksWhatWaitsOncePerPage: `syncd outbox list -state
// pending -limit 0` asked the store what each operation it listed waits
// behind, one query per operation: 45 of the 48 s it took over 100,000
// pending operations. Now it asks once per page of 500, and says the same:
// each deal after its contact's operation, a newer operation on a record
// after the older one.
func TestOutboxListAsksWhatWaitsOncePerPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := listingDB(t, 1, 0, 0)
	const leads = 600 // a contact and a deal each, and a newer contact for one in three: 1,400, three pages
	var ops []syncd.Op
	for i := range leads {
		email := fmt.Sprintf("lead%d@example.com", i)
		ops = append(ops,
			syncd.Op{EventID: 1, Target: "hubspot", Kind: syncd.RecordContact, Key: email,
				Properties: map[string]string{"email": email}, MappingFile: "eaf.yaml", MappingHash: "h"},
			syncd.Op{EventID: 1, Target: "hubspot", Kind: syncd.RecordDeal, Key: "deal-" + email, ContactKey: email,
				Properties: map[string]string{"dealname": email}, MappingFile: "eaf.yaml", MappingHash: "h"})
		if i%3 == 0 {
			ops = append(ops, syncd.Op{EventID: 1, Target: "hubspot", Kind: syncd.RecordContact, Key: email,
				Properties: map[string]string{"email": email, "firstname": "Renamed"}, MappingFile: "eaf.yaml", MappingHash: "h"})
		}
	}
	if n, err := db.RecordMapping(ctx, 1, syncd.MapMapped, "", ops); err != nil || n != len(ops) {
		t.Fatalf("%d of %d operations stored: %v", n, len(ops), err)
	}
	st := &waitsCounted{store: db}
	var out strings.Builder
	c := &cli{stdout: &out, stderr: &out}
	if code := c.listOps(ctx, st, cph, syncd.OpFilter{State: syncd.OpPending, Newest: true}, 0, false); code != exitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	ids, _ := listedIDs(t, out.String())
	if len(ids) != len(ops) {
		t.Fatalf("%d operations listed, want %d", len(ids), len(ops))
	}
	afterContact, afterSame := strings.Count(out.String(), "(its contact)"), strings.Count(out.String(), "(on the same record)")
	if afterContact != leads || afterSame != leads/3 {
		t.Errorf("%d listed after their contact's operation, %d after an older one on the record; want %d and %d",
			afterContact, afterSame, leads, leads/3)
	}
	pages := (len(ops) + listPage - 1) / listPage
	if st.one != 0 || st.each > pages {
		t.Errorf("asked what an operation waits behind %d times one by one and %d times a page at once, "+
			"for %d operations in %d pages; want at most once per page", st.one, st.each, len(ids), pages)
	}
}
