package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPendingEventsReadTheirIndex: every instance's mapper asks for the
// pending events every two seconds with the same prepared statement, and
// from its sixth run PostgreSQL plans it generically, not knowing the
// state asked for: with the state a parameter, that plan walked the whole
// events table in id order to find none pending (27 ms a poll at 100,000
// events, reading every body, on every instance, for good). The query
// names 'pending', so any plan reads the partial index of pending events.
func TestPendingEventsReadTheirIndex(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), CASE WHEN g % 2000 = 0 THEN 'pending' ELSE 'mapped' END
		FROM generate_series(1, 20000) g`)
	if err == nil {
		_, err = conn.Exec(ctx, `ANALYZE events`)
	}
	if err == nil {
		_, err = conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`)
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, after := range []int64{0, 5000} {
		q, args := eventsQuery(syncd.EventFilter{MapState: syncd.MapPending, AfterID: after, Limit: 100})
		plan := genericPlan(t, conn, fmt.Sprintf("pending%d", i), q, args)
		if !strings.Contains(plan, "events_pending") || strings.Contains(plan, "events_pkey") || strings.Contains(plan, "Seq Scan") {
			t.Errorf("pending events after %d: generic plan\n%s\nwant a scan of events_pending", after, plan)
		}
	}
}

// genericPlan prepares q as name on conn (set to plan generically) and
// returns the plan of its execution with args.
func genericPlan(t *testing.T, conn *pgx.Conn, name, q string, args []any) string {
	t.Helper()
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `PREPARE `+name+` AS `+q); err != nil {
		t.Fatalf("prepare %s: %v", q, err)
	}
	lits := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int64:
			lits[i] = fmt.Sprint(v)
		case string:
			lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		default:
			t.Fatalf("argument %d of %s: %T", i+1, q, a)
		}
	}
	exec := `EXPLAIN EXECUTE ` + name
	if len(lits) > 0 {
		exec += `(` + strings.Join(lits, ", ") + `)`
	}
	rows, _ := conn.Query(ctx, exec)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", exec, err)
	}
	return strings.Join(lines, "\n")
}
