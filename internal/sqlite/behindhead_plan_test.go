package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestClaimFindsWhereAContactsRunStopsOnce: the claim of a contact takes
// its due updates behind it, up to the first one not due or leased
// (behindHeadSQL). Where that run stops was a subquery of the WHERE on
// the updates, which SQLite ran again for each of them, each time reading
// the contact's pending operations: a claim of one address's backlog of
// 4,001 updates took 5.6 s, 1,001 took 335 ms, holding the writer
// (BenchmarkClaimBesideAKeysHistory, pending cases). The stop is now read
// once for each contact claimed, in a materialized CTE, before the
// updates are walked: 70 ms and 19 ms.
func TestClaimFindsWhereAContactsRunStopsOnce(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := map[int]planStep{}
	var plan []string
	for _, s := range planSteps(t, db, behindHeadSQL, "a", "b", "[1]") {
		steps[s.id] = s
		plan = append(plan, s.detail)
	}
	found := false
	for _, s := range steps {
		if !strings.Contains(s.detail, "SCALAR SUBQUERY") {
			continue
		}
		found = true
		once := false
		for p, seen := s.parent, 0; p != 0 && seen < len(steps); p, seen = steps[p].parent, seen+1 {
			once = once || strings.HasPrefix(steps[p].detail, "MATERIALIZE")
		}
		if !once {
			t.Errorf("the run's stop (%s) is read where the updates are walked, again for each", s.detail)
		}
	}
	if !found {
		t.Error("no subquery reads where the run stops")
	}
	if t.Failed() {
		t.Logf("plan:\n%s", strings.Join(plan, "\n"))
	}
}
