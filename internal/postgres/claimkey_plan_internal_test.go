package postgres

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestClaimSeeksEachKeyNeverAnalyzed: on a database whose outbox was
// never analyzed (a new one's first burst, before autovacuum's first
// look), the claim's looks at each due row's record (an older pending
// operation, p; a contact's updates behind it, f and b; a deal's pending
// contact, c) read outbox_claim (target, kind, id), the key a filter:
// every pending operation of the kind on one side of the due row, for
// each due row (BenchmarkClaimInstances -claim.waiting 5000 -claim.never:
// 0.9-2.4 s a claim of contacts, a drain of 97-185 s; 2026-12-07). The
// seed is that drain's: 5,000 leads whose contact a CRM refused (due in
// an hour, their deals marked as waiting), then 5,000 leads due, keys as
// emails. Each look now seeks its record's key (outbox_once), under
// either plan, in the claim of contacts and of deals: it reads that
// record's operations alone (the deals due here all wait for their
// contact: a claim of deals takes none, and asks each due deal's).
func TestClaimSeeksEachKeyNeverAnalyzed(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, unsentBacklog()...)
	now := time.Now()
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		plan := planOf(t, conn, "sweep_"+mode[6:9], mode, clearAllWaitsSQL, nil)
		if read := lookRows(t, plan, " on outbox p "); read > 10 {
			t.Errorf("sweep of the marks, never analyzed, %s: a look at a marked deal's contact read %d rows (want at most 10), plan:\n%s", mode, read, plan)
		}
	}
	for _, kind := range []string{"contact", "deal"} {
		for j, q := range []string{claimHeadSQL, claimSQL} { // the head, and all when it had none
			for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
				args := []any{now.Add(time.Minute), "hubspot", kind, int64(100), now, int64(claimHead * 100)}
				if q == claimSQL {
					args = args[:5]
				}
				plan := planOf(t, conn, fmt.Sprintf("claim_%s_%s_%d", kind, mode[6:9], j), mode, q, args)
				var looks []string
				for _, node := range []string{" on outbox p ", " on outbox f", " on outbox b ", " on outbox c"} {
					if read := lookRows(t, plan, node); read > 10 {
						looks = append(looks, fmt.Sprintf("%s: %d rows", strings.TrimSpace(node), read))
					}
				}
				if len(looks) > 0 || kind == "contact" && !strings.Contains(plan, "rows=100 loops=1") {
					t.Errorf("claim of 100 %ss, never analyzed, %s, statement %d: a look at a due row's record read %s (want at most 10, its record's), plan:\n%s",
						kind, mode, j+1, strings.Join(looks, ", "), plan)
				} else if testing.Verbose() {
					t.Logf("%ss, %s, statement %d:\n%s", kind, mode, j+1, plan)
				}
			}
		}
	}
}

// unsentBacklog seeds a never-analyzed outbox as BenchmarkClaimInstances
// -claim.waiting 5000 -claim.never drains it: 5,000 leads whose contact a
// CRM refused (due in an hour, their deals marked as waiting), then 5,000
// leads due, keys as emails (with shorter keys PostgreSQL took another
// index, and the plans read what they should before the fixes too).
func unsentBacklog() []string {
	seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
		`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 10000) g`}
	ops := func(first, last int, next string) string {
		return fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
			mapping_hash, state, attempts, next_attempt_at, created_at, updated_at, waits)
		SELECT e.id, 'hubspot', k.kind, k.kind || lpad(e.id::text, 7, '0') || '@example.com',
			CASE WHEN k.kind = 'deal' THEN 'contact' || lpad(e.id::text, 7, '0') || '@example.com' ELSE '' END,
			repeat('p', 300), 'h', 'eaf.yaml', 'h', 'pending', 0, now() + CASE WHEN k.kind = 'contact' THEN %[1]s ELSE interval '-1 hour' END,
			now(), now(), k.kind = 'deal' AND %[1]s > interval '0'
		FROM events e, (VALUES ('contact'), ('deal')) k(kind)
		WHERE e.id BETWEEN %[2]d AND %[3]d ORDER BY e.id, k.kind`, next, first, last)
	}
	seed = append(seed, ops(1, 5000, `interval '1 hour'`), ops(5001, 10000, `interval '-1 hour'`))
	return seed
}

// TestPendingLeftSeeksEachKeyNeverAnalyzed: syncd sync's closing count
// (PendingLeft) asks of each pending operation whether it waits behind
// another; on the never-analyzed backlog of unsentBacklog each look walked
// outbox_claim, the key a filter: 5,000 rows a look, 19.7-22.4 s for the
// count at 20,000 pending (EXPLAIN ANALYZE, 2026-12-07). Each look now
// reads its record's rows alone.
func TestPendingLeftSeeksEachKeyNeverAnalyzed(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, unsentBacklog()...)
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		plan := planOf(t, conn, "pending_left_"+mode[6:9], mode, pendingLeftSQL, []any{"hubspot", time.Now()})
		for _, node := range []string{" on outbox p ", " on outbox c "} {
			if read := lookRows(t, plan, node); read > 10 {
				t.Errorf("pending left, never analyzed, %s: a look%sread %d rows (want at most 10, its record's), plan:\n%s",
					mode, node, read, plan)
			}
		}
	}
}

// lookRows returns the most rows one of the plan's nodes on node (as
// EXPLAIN names them, "on outbox p ") read in one loop: those it
// returned and those its filter left, as EXPLAIN gives both, a loop.
func lookRows(t *testing.T, plan, node string) int {
	t.Helper()
	lines, n := strings.Split(plan, "\n"), 0
	for i, l := range lines {
		if !strings.Contains(l, node) || strings.Contains(l, "(never executed)") {
			continue
		}
		var rows, loops int
		_, actual, ok := strings.Cut(l, "(actual ")
		if !ok {
			t.Fatalf("no actual rows: %q", l)
		}
		if _, err := fmt.Sscanf(actual[strings.Index(actual, "rows="):], "rows=%d loops=%d)", &rows, &loops); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		for _, d := range lines[i+1:] { // the node's details, before its children
			d = strings.TrimSpace(d)
			if strings.HasPrefix(d, "->") || strings.HasPrefix(d, "SubPlan") || strings.HasPrefix(d, "InitPlan") {
				break
			}
			var removed int
			if _, err := fmt.Sscanf(d, "Rows Removed by Filter: %d", &removed); err == nil {
				rows += removed
			}
		}
		n = max(n, rows)
	}
	return n
}
