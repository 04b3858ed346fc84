package postgres

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// notDueConn seeds a fresh database at the current schema with a CRM
// that refuses: 5,000 leads whose contact it refused (pending, retried,
// due in an hour) and whose deal waits for it, marked so (migration
// 0019); 3,000 whose deal it refused (its contact done); then 500 leads
// whose contact is due and 500 whose deal is due (the other done). The
// statistics are never taken, or taken after the seed, as stats says
// ("never", "analyzed"); autovacuum is off on the outbox.
func notDueConn(t *testing.T, stats string) *pgx.Conn {
	t.Helper()
	seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
		`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 9000) g`}
	// state and next attempt of each lead's contact (c) and deal (d) by its event's id
	ops := func(first, last int, c, cNext, d, dNext string) string {
		return fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
			mapping_hash, state, attempts, next_attempt_at, created_at, updated_at, waits)
		SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
			repeat('p', 300), 'h', 'eaf.yaml', 'h', k.state, 1, now() + k.next, now(), now(),
			k.kind = 'deal' AND k.state = 'pending' AND '%[1]s' = 'pending' AND %[2]s > interval '0'
		FROM events e, (VALUES ('contact', '%[1]s', %[2]s), ('deal', '%[3]s', %[4]s)) k(kind, state, next)
		WHERE e.id BETWEEN %[5]d AND %[6]d ORDER BY e.id, k.kind`, c, cNext, d, dNext, first, last)
	}
	hour, due := `interval '1 hour'`, `interval '-1 hour'`
	seed = append(seed, ops(1, 5000, "pending", hour, "pending", due), ops(5001, 8000, "done", due, "pending", hour),
		ops(8001, 8500, "pending", due, "done", due), ops(8501, 9000, "done", due, "pending", due))
	if stats == "analyzed" {
		seed = append(seed, `ANALYZE outbox`)
	}
	_, conn := seededConn(t, seed...)
	return conn
}

// removedBy returns the rows the plan's nodes on node (as EXPLAIN
// names them, "on outbox o ") read and left by their filter.
func removedBy(t *testing.T, plan, node string) int {
	t.Helper()
	lines, n := strings.Split(plan, "\n"), 0
	for i, l := range lines {
		if !strings.Contains(l, node) {
			continue
		}
		for _, d := range lines[i+1:] { // the node's details, before its children
			if d := strings.TrimSpace(d); strings.HasPrefix(d, "->") || strings.HasPrefix(d, "SubPlan") || strings.HasPrefix(d, "InitPlan") {
				break
			}
			if _, r, ok := strings.Cut(d, "Rows Removed by Filter: "); ok {
				k, err := strconv.Atoi(strings.TrimSpace(r))
				if err != nil {
					t.Fatalf("%q: %v", d, err)
				}
				n += k
			}
		}
	}
	return n
}

// TestClaimReadsNoOperationNotDue: a claim read the pending operations in
// id order and left those whose next attempt had not come: the contacts
// (and deals) a CRM refused, retried with a back-off, are the oldest
// pending, so every claim of contacts read each of them again, one row
// and a page of the table each, before the first it could take. The
// claim now seeks the due ones by their due time (outbox_due, migration
// 0020): whatever the statistics and either plan, it reads no operation
// whose time has not come.
func TestClaimReadsNoOperationNotDue(t *testing.T) {
	t.Parallel()
	for _, stats := range []string{"never", "analyzed"} {
		t.Run(stats, func(t *testing.T) {
			t.Parallel()
			conn := notDueConn(t, stats)
			now := time.Now()
			for _, kind := range []string{"contact", "deal"} {
				for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
					args := []any{now.Add(time.Minute), "hubspot", kind, int64(100), now}
					plan := planOf(t, conn, fmt.Sprintf("claim_%s_%s", kind, mode[6:9]), mode, claimSQL, args)
					if n := removedBy(t, plan, " on outbox o "); n > 0 || !strings.Contains(plan, "rows=100 loops=1") {
						t.Errorf("claim of %ss, statistics %s, %s: %d operations read and left (want none), plan:\n%s",
							kind, stats, mode, n, plan)
					}
				}
			}
		})
	}
}
