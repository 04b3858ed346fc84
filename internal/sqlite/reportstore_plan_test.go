package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttentionPlanReadsNoWholeTable: Needs attention reads the day's
// events by their received time and the dead operations through
// outbox_dead (dead letters only), never every row of the outbox (which
// holds all the days the retention keeps).
func TestAttentionPlanReadsNoWholeTable(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.r.Query(`EXPLAIN QUERY PLAN `+repAttentionSQL, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	dead := false
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
		if strings.HasPrefix(detail, "SCAN ") {
			t.Errorf("plan step %q reads a whole table", detail)
		}
		dead = dead || strings.HasPrefix(detail, "SEARCH o USING INDEX outbox_dead (updated_at>? AND updated_at<?)")
	}
	if !dead {
		t.Error("the dead letters are not sought through outbox_dead by time")
	}
	if t.Failed() {
		t.Logf("plan:\n%s", strings.Join(plan, "\n"))
	}
}
