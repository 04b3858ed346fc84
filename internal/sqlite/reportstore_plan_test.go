package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
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
	plan := queryPlan(t, db, repAttentionSQL, "a", "b")
	dead := false
	for _, detail := range plan {
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

// TestOutboxDepthsReadNoWholeTable: the outbox's depths (every metrics
// scrape, `syncd status`) never read the outbox table whole: it holds every
// operation the retention keeps. They walk the partial indexes of pending
// operations and of dead letters, and counting every operation reads the
// smallest index, outbox_event.
func TestOutboxDepthsReadNoWholeTable(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, q := range map[string]string{"targets": depthSQL.targets, "pending": depthSQL.pending,
		"dead": depthSQL.dead, "all": depthSQL.all, "allOf": depthSQL.allOf} {
		plan := queryPlan(t, db, q, "hubspot")
		for _, detail := range plan {
			switch detail {
			case "SCAN outbox USING INDEX outbox_claim", "SCAN outbox USING INDEX outbox_dead",
				"SCAN outbox USING COVERING INDEX outbox_event":
				continue
			}
			if strings.HasPrefix(detail, "SCAN outbox") {
				t.Errorf("%s: plan step %q reads the outbox whole", name, detail)
			}
		}
		if t.Failed() {
			t.Logf("%s plan:\n%s", name, strings.Join(plan, "\n"))
		}
	}
}

// queryPlan is the detail column of EXPLAIN QUERY PLAN for query, a step a
// line.
func queryPlan(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	var plan []string
	for _, s := range planSteps(t, db, query, args...) {
		plan = append(plan, s.detail)
	}
	return plan
}

// planStep is one row of EXPLAIN QUERY PLAN: its id, its parent's (0 for
// the top) and what it does.
type planStep struct {
	id, parent int
	detail     string
}

// planSteps is the plan of query, as SQLite gives it, step by step.
func planSteps(t *testing.T, db *DB, query string, args ...any) []planStep {
	t.Helper()
	rows, err := db.r.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []planStep
	for rows.Next() {
		var s planStep
		var unused int
		if err := rows.Scan(&s.id, &s.parent, &unused, &s.detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestOpStateFiltersReadTheirIndex: listing and counting the pending or
// dead operations (`syncd outbox list -state dead`) reads their partial
// index, not the whole outbox by id.
func TestOpStateFiltersReadTheirIndex(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for state, index := range map[syncd.OpState]string{syncd.OpDead: "outbox_dead", syncd.OpPending: "outbox_claim"} {
		f := OpFilter{State: state, Target: "hubspot", Newest: true, Limit: 100}
		list, largs := opsQuery(f)
		count, cargs := opCount(f)
		for _, q := range []struct {
			sql  string
			args []any
		}{{list, largs}, {count, cargs}} {
			plan := queryPlan(t, db, q.sql, q.args...)
			if !slices.ContainsFunc(plan, func(step string) bool {
				return strings.HasPrefix(step, "S") && strings.Contains(step, "outbox USING") && strings.Contains(step, "INDEX "+index)
			}) || slices.ContainsFunc(plan, func(step string) bool {
				return strings.HasPrefix(step, "SCAN outbox") && !strings.Contains(step, index)
			}) {
				t.Errorf("%s: plan %q, want a read of %s", state, plan, index)
			}
		}
	}
}

// TestOpCountsReadNoWholeTable: the count under `syncd outbox list` (how
// many older operations it left out), of every state and of done ones,
// reads no more of the outbox table than the rows listed: pending and dead
// letters come from their partial indexes, and the rest from the smallest
// index, as OutboxDepths counts them. The count walked the table, every
// operation the retention keeps with its properties: 1.4 s from a cold
// cache for a year's 250,000 operations, where the listing took 0.07 s.
func TestOpCountsReadNoWholeTable(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []OpFilter{{}, {BeforeID: 1000}, {State: syncd.OpDone}, {State: syncd.OpDone, BeforeID: 1000}} {
		query, args := opCount(f)
		plan := queryPlan(t, db, query, args...)
		for _, detail := range plan {
			switch {
			case strings.Contains(detail, "USING COVERING INDEX"), strings.Contains(detail, "USING INDEX outbox_claim"),
				strings.Contains(detail, "USING INDEX outbox_dead"), strings.Contains(detail, "(rowid>?)"):
				continue // an index, or the rows from the oldest listed on
			}
			if strings.HasPrefix(detail, "SCAN outbox") || strings.HasPrefix(detail, "SEARCH outbox") {
				t.Errorf("%+v: plan step %q reads the outbox table", f, detail)
			}
		}
		if t.Failed() {
			t.Logf("%+v plan:\n%s", f, strings.Join(plan, "\n"))
		}
	}
}

// TestPendingPagesReadOnlyTheirRows: `syncd outbox list -state pending
// -limit 0` reads the pending operations 500 at a time, newest first, and
// `syncd sync` listed those of its CRM. Each page read every pending
// operation, properties and all, and sorted them by id to keep 500: the
// filters were written `(?2 = ” OR target = ?2)`, which no index
// narrows, and the rows were sorted whole (207 s for 100,000 pending
// operations). Now a target is a seek in outbox_claim, the page's ids
// come from the index alone, and only their rows are read, by id.
func TestPendingPagesReadOnlyTheirRows(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []OpFilter{
		{State: syncd.OpPending, Newest: true, Limit: 500},
		{State: syncd.OpPending, Newest: true, Limit: 500, BeforeID: 20000},
		{State: syncd.OpPending, Target: "hubspot", Limit: -1},
		{State: syncd.OpDead, Target: "hubspot", Kind: syncd.RecordDeal, Newest: true, Limit: 500},
	} {
		query, args := opsQuery(f)
		plan := queryPlan(t, db, query, args...)
		if len(plan) == 0 || plan[0] != "SEARCH outbox USING INTEGER PRIMARY KEY (rowid=?)" {
			t.Errorf("%+v: plan %q, want the page's rows read by id", f, plan)
		}
		for _, step := range plan {
			if strings.Contains(step, "INDEX outbox_claim") && !strings.Contains(step, "COVERING INDEX") {
				t.Errorf("%+v: plan step %q reads each matching row whole", f, step)
			}
			if f.Target != "" && strings.Contains(step, "outbox_claim") && !strings.Contains(step, "(target=?") {
				t.Errorf("%+v: plan step %q reads every pending operation, not the target's", f, step)
			}
		}
		if t.Failed() {
			t.Logf("%s", query)
		}
	}
}

// TestUntargetedPendingPagesSeekFromTheLast: a page of `syncd outbox list
// -state pending` (no target, no kind) read every pending operation's
// entry in outbox_claim, by target and kind, and sorted their ids to keep
// the 500 below the page before's last: quadratic in what is pending. Now
// it finds the targets and kinds there are by seeks, and each pair's next
// ids by a seek from the last id listed: no step scans the index.
func TestUntargetedPendingPagesSeekFromTheLast(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []OpFilter{
		{State: syncd.OpPending, Newest: true, Limit: 500},
		{State: syncd.OpPending, Newest: true, Limit: 500, BeforeID: 20000},
		{State: syncd.OpPending, Limit: 500, AfterID: 20000},
		{State: syncd.OpPending, Target: "hubspot", Newest: true, Limit: 500, BeforeID: 20000},
		{State: syncd.OpPending, Kind: syncd.RecordDeal, Newest: true, Limit: 500, BeforeID: 20000},
	} {
		query, args := opsQuery(f)
		plan := queryPlan(t, db, query, args...)
		idSeek := false
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN") && strings.Contains(step, "outbox_claim") {
				t.Errorf("%+v: plan step %q reads every pending operation's entry", f, step)
			}
			idSeek = idSeek || strings.Contains(step, "COVERING INDEX outbox_claim (target=? AND kind=?")
		}
		if !idSeek {
			t.Errorf("%+v: no step seeks a target and kind's ids", f)
		}
		if !idSeek || strings.Contains(strings.Join(plan, "\n"), "SCAN outbox USING COVERING INDEX outbox_claim") {
			t.Logf("%+v plan:\n%s", f, strings.Join(plan, "\n"))
		}
	}
}

// TestPendingLeftReadsThePendingOnce: what `syncd sync` and `syncd
// status` say is left (PendingLeft) read the target's pending operations
// twice, once to count them and once for the earliest due; now once.
func TestPendingLeftReadsThePendingOnce(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan := queryPlan(t, db, pendingLeftSQL, "hubspot", "2026-12-01T00:00:00.000000000Z")
	passes := 0
	for _, step := range plan {
		if strings.Contains(step, "outbox_claim") {
			passes++
		}
	}
	if passes != 1 {
		t.Errorf("%d passes over the pending operations, want 1; plan:\n%s", passes, strings.Join(plan, "\n"))
	}
}
