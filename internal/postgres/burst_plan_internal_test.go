package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// statsStates are the three states of the planner's statistics that a
// statement the daemon repeats must be planned well under: taken over a
// year's history of finished leads, then a burst of pending ones they
// have not seen (a big day under autovacuum's 10%); never taken (a new
// database, or one migrate-store filled); taken after the burst.
var statsStates = []string{"history", "never", "burst"}

// burstConn seeds a fresh database at the current schema with 13,000
// finished leads (each a mapped event, a done contact and deal operation
// and their CRM links; 2,000 quarantined bodies dealt with, 40 waiting)
// and a burst of 2,000 leads whose operations are pending (none under a
// lease), with the statistics as stats says (statsStates). Autovacuum is
// off on every table: the statistics are those the test took.
func burstConn(t *testing.T, stats string) *pgx.Conn {
	t.Helper()
	leads := func(first, last int, state string) []string {
		return []string{fmt.Sprintf(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
			SELECT g, 'eaf', 'eaf', 'email_lead', 'eaf:' || g, '\x7b7d'::bytea, 'strict', now(), now(), 'mapped'
			FROM generate_series(%d, %d) g`, first, last),
			fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
				mapping_hash, state, next_attempt_at, created_at, updated_at)
			SELECT g, 'hubspot', k.kind, CASE WHEN k.kind = 'contact' THEN 'c' || g || '@x.dk' ELSE 'eaf:' || g END,
				CASE WHEN k.kind = 'deal' THEN 'c' || g || '@x.dk' ELSE '' END, repeat('p', 300), 'h', 'eaf.yaml', 'h', '%s',
				now() - interval '1 hour', now(), now()
			FROM generate_series(%d, %d) g, (VALUES ('contact'), ('deal')) k(kind)`, state, first, last)}
	}
	seed := []string{}
	for _, table := range []string{"events", "outbox", "crm_links", "crm_intents", "quarantine", "intake_keys", "state"} {
		seed = append(seed, `ALTER TABLE `+table+` SET (autovacuum_enabled = false)`)
	}
	seed = append(seed, leads(1, 13000, "done")...)
	seed = append(seed, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at) SELECT target, kind, key, id::text, now() FROM outbox`,
		`INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at, resolved_at, changed_of)
		SELECT 'eaf', 'eaf', '\x00'::bytea, md5(g::text), 'invalid', now(), now(), CASE WHEN g % 50 <> 0 THEN now() END, 0
		FROM generate_series(1, 2000) g`)
	if stats == "history" {
		seed = append(seed, `ANALYZE`)
	}
	seed = append(seed, leads(13001, 15000, "pending")...)
	if stats == "burst" {
		seed = append(seed, `ANALYZE`)
	}
	_, conn := seededConn(t, seed...)
	return conn
}

// planOf returns the plan of q run with args on conn, planned as mode
// (plan_cache_mode) says, in a transaction rolled back: EXPLAIN ANALYZE
// of a prepared statement.
func planOf(t *testing.T, conn *pgx.Conn, name, mode, q string, args []any) string {
	t.Helper()
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `SET plan_cache_mode = `+mode); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `PREPARE `+name+` AS `+q); err != nil {
		t.Fatalf("prepare %s: %v", q, err)
	}
	lits := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil:
			lits[i] = "NULL"
		case int64, int:
			lits[i] = fmt.Sprint(v)
		case string:
			lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case time.Time:
			lits[i] = "'" + v.UTC().Format(time.RFC3339Nano) + "'"
		case []string:
			lits[i] = "'{" + strings.Join(v, ",") + "}'"
		case []int64:
			lits[i] = "'{" + strings.Join(strings.Fields(strings.Trim(fmt.Sprint(v), "[]")), ",") + "}'"
		case []int32:
			lits[i] = "'{" + strings.Join(strings.Fields(strings.Trim(fmt.Sprint(v), "[]")), ",") + "}'"
		case []time.Time:
			ts := make([]string, len(v))
			for j, t := range v {
				ts[j] = `"` + t.UTC().Format(time.RFC3339Nano) + `"`
			}
			lits[i] = "'{" + strings.Join(ts, ",") + "}'"
		default:
			t.Fatalf("argument %d of %s: %T", i+1, q, a)
		}
	}
	exec := `EXPLAIN (ANALYZE) EXECUTE ` + name
	if len(lits) > 0 {
		exec += `(` + strings.Join(lits, ", ") + `)`
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	rows, _ := tx.Query(ctx, exec)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", exec, err)
	}
	return strings.Join(lines, "\n")
}

// finishArgs are finishOpsSQL's arguments for n operations of
// burstConn's burst, each done with a CRM id.
func finishArgs(now time.Time, n int) []any {
	ids, states, attempts, nexts := make([]int64, n), make([]string, n), make([]int32, n), make([]time.Time, n)
	errs, crmIDs, causes := make([]string, n), make([]string, n), make([]string, n)
	for i := range n {
		ids[i], states[i], attempts[i], nexts[i] = int64(2*13000+1+i), "done", 1, now
		errs[i], crmIDs[i], causes[i] = `""`, fmt.Sprint(9+i), `""`
	}
	return []any{now, ids, states, attempts, nexts, errs, crmIDs, causes}
}

// TestHotStatementsSeekWhateverTheStatistics: statements the daemon
// repeats, per operation sent, per batch, per sync run or every 15 s,
// seek what they look for in an index under each state of the
// statistics (statsStates) and either plan (custom, and generic as from
// a prepared statement's sixth run), never reading the burst or the
// history whole:
//
//   - finish: a batch of claimed operations' outcomes, each found by its
//     id; with the statistics of the history, a partial index of the
//     pending ones looked empty and each finish walked the burst for its
//     id;
//   - links for: a batch's CRM links, each key sought; never analyzed,
//     the keys were a filter on every link of the kind;
//   - last sync drained: whether a lease holds a pending operation,
//     sought among the leased ones (migration 0017); it read every
//     pending operation, or, planned generically, the whole outbox;
//   - quarantine waiting: the bodies that wait for a person, counted in
//     their partial index (migration 0017); it read every body kept.
func TestHotStatementsSeekWhateverTheStatistics(t *testing.T) {
	t.Parallel()
	now := time.Now()
	cases := []struct {
		name, q string
		args    []any
		want    string // the plan seeks so
	}{
		{"finish", finishOpsSQL, finishArgs(now, 100), "Index Cond: (id = "},
		{"links for", linksForSQL, []any{"hubspot", "contact", []string{"c1@x.dk", "c13005@x.dk", "nobody@x.dk"}}, "AND (key = "},
		{"last sync drained", setLastSyncDrainedSQL, []any{"last_sync.hubspot", "x", now, "hubspot", now}, "using outbox_leased"},
		{"quarantine waiting", storesql.QuarantineWaitingSQL, nil, "using quarantine_waiting"},
	}
	for _, stats := range statsStates {
		t.Run(stats, func(t *testing.T) {
			t.Parallel()
			conn := burstConn(t, stats)
			for i, c := range cases {
				for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
					plan := planOf(t, conn, fmt.Sprintf("hot%d_%s", i, mode[6:9]), mode, c.q, c.args)
					if !strings.Contains(plan, c.want) || strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "Rows Removed by Filter") {
						t.Errorf("%s, statistics %s, %s:\n%s\nwant a seek (%q), no row read and left", c.name, stats, mode, plan, c.want)
					}
				}
			}
		})
	}
}
