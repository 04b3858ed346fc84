package postgres

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
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
func removedBy(t testing.TB, plan, node string) int {
	removed, _ := readBy(t, plan, node)
	return removed
}

// readBy returns the rows the plan's nodes on node read and left by
// their filter, and all they read (those they returned too).
func readBy(t testing.TB, plan, node string) (removed, read int) {
	t.Helper()
	lines, n := strings.Split(plan, "\n"), 0
	for i, l := range lines {
		if !strings.Contains(l, node) {
			continue
		}
		var rows, loops int
		if strings.Contains(l, "(never executed)") {
			continue
		}
		if _, actual, ok := strings.Cut(l, "(actual "); !ok {
			t.Fatalf("no actual rows: %q", l)
		} else if _, err := fmt.Sscanf(actual[strings.Index(actual, "rows="):], "rows=%d loops=%d)", &rows, &loops); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		read += rows * loops
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
	return n, read + n
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
				for j, q := range []string{claimHeadSQL, claimSQL} { // the head, and all when it had none
					for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
						args := []any{now.Add(time.Minute), "hubspot", kind, int64(100), now, int64(claimHead * 100)}
						if q == claimSQL {
							args = args[:5]
						}
						plan := planOf(t, conn, fmt.Sprintf("claim_%s_%s_%d", kind, mode[6:9], j), mode, q, args)
						if n := removedBy(t, plan, " on outbox o ") + removedBy(t, plan, " on outbox h "); n > 0 || !strings.Contains(plan, "rows=100 loops=1") {
							t.Errorf("claim of %ss, statistics %s, %s, statement %d: %d operations read and left (want none), plan:\n%s",
								kind, stats, mode, j+1, n, plan)
						}
					}
				}
			}
		})
	}
}

// TestSweepReadsOnlyTheMarkedDeals: a claim of deals that comes up short
// takes off, every 10 s at most, the marks no pending contact holds
// (sweepWaits, for an older syncd's finish during an upgrade). That
// sweep read every pending deal to find the marked ones, a walk of the
// whole outbox once analyzed, and, with the statistics never taken, asked
// of each marked deal whether its contact is pending by reading every
// pending contact (12.5 s at 5,000 marked, 2026-12-07), inside the
// claim's transaction. It now reads the marked deals alone, from an index
// of their own (outbox_waiting, migration 0020), and seeks each one's
// contact. Here 20,000 deals are pending, unmarked, beside 300 marked
// whose contact a CRM refused and 200 whose mark no contact holds: the
// sweep reads the 500 and unmarks the 200.
func TestSweepReadsOnlyTheMarkedDeals(t *testing.T) {
	t.Parallel()
	for _, stats := range []string{"never", "analyzed"} {
		t.Run(stats, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
				`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
				SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 20500) g`,
				// leads 1-300: the contact refused, the deal marked; 301-500: the
				// contact done, the deal marked still; the rest: the contact done,
				// the deal pending
				`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
					mapping_hash, state, next_attempt_at, created_at, updated_at, waits)
				SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
					repeat('p', 300), 'h', 'eaf.yaml', 'h', CASE WHEN k.kind = 'deal' OR e.id <= 300 THEN 'pending' ELSE 'done' END,
					now(), now(), now(), k.kind = 'deal' AND e.id <= 500
				FROM events e, (VALUES ('contact'), ('deal')) k(kind) ORDER BY e.id, k.kind`}
			if stats == "analyzed" {
				seed = append(seed, `ANALYZE outbox`)
			}
			_, conn := seededConn(t, seed...)
			for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
				plan := planOf(t, conn, "sweep_"+mode[6:9], mode, clearAllWaitsSQL, nil)
				if _, n := readBy(t, plan, " on outbox d "); n != 500 || strings.Contains(plan, "Seq Scan") ||
					!strings.Contains(plan, "using outbox_waiting on outbox d") ||
					!strings.Contains(plan, "Index Cond: ((target = d.target) AND (kind = 'contact'::text) AND (key = d.contact_key))") {
					t.Errorf("sweep, statistics %s, %s: %d deals read; want the 500 marked ones alone, each one's contact sought; plan:\n%s",
						stats, mode, n, plan)
				}
			}
			if _, err := conn.Exec(ctx, `SET plan_cache_mode = auto`); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(ctx, clearAllWaitsSQL); err != nil {
				t.Fatal(err)
			}
			var marked, first, last int64
			if err := conn.QueryRow(ctx, `SELECT count(*), min(event_id), max(event_id) FROM outbox WHERE waits`).Scan(&marked, &first, &last); err != nil {
				t.Fatal(err)
			}
			if marked != 300 || first != 1 || last != 300 {
				t.Errorf("after the sweep, %d deals marked, of leads %d to %d; want the 300 of leads 1 to 300", marked, first, last)
			}
		})
	}
}

// TestFinishReadsNoIndexOfTheMarkedDeals: the finish that ends contacts'
// last pending operations takes the marks off their deals (clearWaits),
// finding each contact's pending deals in outbox_deal_contact. Beside an
// index of the marked deals alone (outbox_waiting, for the sweep), and
// the statistics taken before a CRM refused the contacts (or never), it
// read every marked deal in that index instead, at each finish of
// contacts: 2.4 s a finish at 5,000 marked, planned generically. That
// index's condition names a contact, which the finish's statement does
// not: it cannot use it. (Never analyzed, it read every pending deal in
// outbox_deal_contact, as it did before migration 0020: the next test.)
func TestFinishReadsNoIndexOfTheMarkedDeals(t *testing.T) {
	t.Parallel()
	for _, stats := range []string{"never", "before the marks"} {
		t.Run(stats, func(t *testing.T) {
			t.Parallel()
			seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
				`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
				SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 10000) g`,
				`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
					mapping_hash, state, next_attempt_at, created_at, updated_at)
				SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
					repeat('p', 300), 'h', 'eaf.yaml', 'h', 'pending', now(), now(), now()
				FROM events e, (VALUES ('contact'), ('deal')) k(kind) ORDER BY e.id, k.kind`}
			if stats == "before the marks" {
				seed = append(seed, `ANALYZE outbox`)
			}
			// a CRM refused the first 5,000 contacts: their deals are marked
			seed = append(seed, `UPDATE outbox SET waits = true WHERE kind = 'deal' AND event_id <= 5000`,
				`UPDATE outbox SET next_attempt_at = now() + interval '1 hour', attempts = 1 WHERE kind = 'contact' AND event_id <= 5000`)
			_, conn := seededConn(t, seed...)
			var targets, keys []string // a batch of contacts sent, none refused
			for i := 6001; i <= 6100; i++ {
				targets, keys = append(targets, "hubspot"), append(keys, fmt.Sprint("contact", i))
			}
			for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
				plan := planOf(t, conn, "clear_"+mode[6:9], mode, clearWaitsSQL, []any{targets, keys})
				_, n := readBy(t, plan, " on outbox w ")
				if testing.Verbose() {
					t.Logf("finish, statistics %s, %s: %d deals read", stats, mode, n)
				}
				if strings.Contains(plan, "outbox_waiting") || !strings.Contains(plan, "using outbox_deal_contact on outbox w") {
					t.Errorf("finish, statistics %s, %s: %d deals read; want the contacts' deals found in outbox_deal_contact; plan:\n%s",
						stats, mode, n, plan)
				}
			}
		})
	}
}

// TestFinishSeeksEachContactsDeals: the finish that retries contacts marks
// their pending deals as waiting (markWaits), and the one that ends their
// last pending operation takes the marks off (clearWaits). Each found its
// contacts' deals by joining them with every pending deal: on a database
// never analyzed (a new one, before autovacuum's first look) PostgreSQL
// read every pending deal of outbox_deal_contact at each such finish, the
// contacts' keys a filter (10,000 deals at 10,000 pending, 286 ms a
// finish). Here 10,000 leads are pending, 5,000 of them refused and
// marked, 50 of those since sent: whatever the statistics and either
// plan, a finish of 100 contacts reads no more than their 100 deals (and
// the 50 it locks again by id) and one pending operation a contact.
func TestFinishSeeksEachContactsDeals(t *testing.T) {
	t.Parallel()
	for _, stats := range []string{"never", "before the marks", "analyzed"} {
		t.Run(stats, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
				`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
				SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 10000) g`,
				`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
					mapping_hash, state, next_attempt_at, created_at, updated_at)
				SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
					repeat('p', 300), 'h', 'eaf.yaml', 'h', 'pending', now(), now(), now()
				FROM events e, (VALUES ('contact'), ('deal')) k(kind) ORDER BY e.id, k.kind`}
			if stats == "before the marks" {
				seed = append(seed, `ANALYZE outbox`)
			}
			// a CRM refused the first 5,000 contacts, their deals marked; the
			// last 50 of them are since sent, their deals marked still
			seed = append(seed, `UPDATE outbox SET waits = true WHERE kind = 'deal' AND event_id <= 5000`,
				`UPDATE outbox SET next_attempt_at = now() + interval '1 hour', attempts = 1 WHERE kind = 'contact' AND event_id <= 5000`,
				`UPDATE outbox SET state = 'done' WHERE kind = 'contact' AND event_id BETWEEN 4951 AND 5000`)
			if stats == "analyzed" {
				seed = append(seed, `ANALYZE outbox`)
			}
			_, conn := seededConn(t, seed...)
			batch := func(ranges ...[2]int) (targets, keys []string) {
				for _, r := range ranges {
					for i := r[0]; i <= r[1]; i++ {
						targets, keys = append(targets, "hubspot"), append(keys, fmt.Sprint("contact", i))
					}
				}
				return targets, keys
			}
			for _, c := range []struct {
				name, q string
				first   int // the first lead of the 50 whose deals the statement returns
				batch   [][2]int
			}{
				// 50 contacts sent whose deals are marked, 50 whose are not
				{"clear", clearWaitsSQL, 4951, [][2]int{{4951, 5000}, {6001, 6050}}},
				// 50 contacts refused again whose deals are marked, 50 refused first
				{"mark", markWaitsSQL, 6001, [][2]int{{1, 50}, {6001, 6050}}},
			} {
				targets, keys := batch(c.batch...)
				for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
					plan := planOf(t, conn, c.name+"_"+mode[6:9], mode, c.q, []any{targets, keys})
					_, deals := readBy(t, plan, " on outbox d ")
					_, seen := readBy(t, plan, " on outbox w ")
					_, contacts := readBy(t, plan, " on outbox p ")
					if deals+seen > 150 || contacts > 100 || strings.Contains(plan, "Seq Scan") {
						t.Errorf("%s, statistics %s, %s: %d deals and %d contacts read; want at most the 100 contacts' deals, 50 of them again, and a pending operation a contact; plan:\n%s",
							c.name, stats, mode, deals+seen, contacts, plan)
					}
				}
				rows, _ := conn.Query(ctx, c.q, targets, keys)
				ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
				if err != nil {
					t.Fatal(err)
				}
				var leads []int
				if err := conn.QueryRow(ctx, `SELECT array_agg(event_id ORDER BY id) FROM outbox WHERE id = ANY($1)`, ids).Scan(&leads); err != nil {
					t.Fatal(err)
				}
				if len(ids) != 50 || !slices.IsSorted(ids) || len(leads) != 50 || leads[0] != c.first || leads[49] != c.first+49 {
					t.Errorf("%s, statistics %s: deals %v of leads %v; want the 50 of leads %d to %d, in id order", c.name, stats, ids, leads, c.first, c.first+49)
				}
			}
		})
	}
}

// TestClaimOfDealsReadsTheHead: a claim of deals read the due deals in
// order, first due first, and sought each one's contact, until it had
// its hundred: in a backlog, the deals whose contacts are pending, not
// yet sent (neither refused nor marked), were all read at each claim of
// deals that found fewer, behind the few the contacts just sent let go
// (0.45-2 s a claim at 105,000 leads, 2026-12-07). A claim now reads the
// first thousand due (ten per one asked for), and all of them only when
// it found none there. Here 50 deals are claimable first, 20,000 leads
// wait for their contacts behind them and 50 more deals are claimable
// behind those: the first claim takes the first 50 reading some
// thousand rows (40,000 before), the second, finding none among the
// first thousand (the 50 leased, the rest waiting), reads on and takes
// the 50 behind; whatever the statistics.
func TestClaimOfDealsReadsTheHead(t *testing.T) {
	t.Parallel()
	for _, stats := range []string{"never", "analyzed"} {
		t.Run(stats, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			seed := []string{`ALTER TABLE outbox SET (autovacuum_enabled = false)`,
				`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
				SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 20100) g`,
				// leads 1-50 and 20051-20100: the contact sent, the deal due;
				// the rest: both pending, the contact not yet sent
				`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
					mapping_hash, state, next_attempt_at, created_at, updated_at)
				SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
					'{"p": "' || repeat('p', 300) || '"}', 'h', 'eaf.yaml', 'h',
					CASE WHEN k.kind = 'contact' AND (e.id <= 50 OR e.id > 20050) THEN 'done' ELSE 'pending' END,
					now() - interval '1 hour' - CASE WHEN e.id <= 50 THEN interval '1 hour' ELSE interval '0' END, now(), now()
				FROM events e, (VALUES ('contact'), ('deal')) k(kind) ORDER BY e.id, k.kind`}
			if stats == "analyzed" {
				seed = append(seed, `ANALYZE outbox`)
			}
			a, conn := seededConn(t, seed...)
			// one session, whose statistics it flushes when asked
			db, err := Open(ctx, a.cfg.ConnString()+"&pool_max_conns=1")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			rowsRead := func() int64 {
				t.Helper()
				if _, err := db.pool.Exec(ctx, `SELECT pg_stat_force_next_flush()`); err != nil {
					t.Fatal(err)
				}
				if _, err := db.pool.Exec(ctx, `SELECT 1`); err != nil { // idle after it: flushed
					t.Fatal(err)
				}
				time.Sleep(100 * time.Millisecond)
				var n int64
				if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
					t.Fatal(err)
				}
				if err := conn.QueryRow(ctx, `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
					FROM pg_stat_user_tables WHERE relid = 'outbox'::regclass`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			for i, want := range [][2]int64{{1, 50}, {20051, 20100}} {
				before := rowsRead()
				ops, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 100, time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				read := rowsRead() - before
				var leads []int64
				for _, op := range ops {
					leads = append(leads, op.EventID)
				}
				if len(leads) != 50 || leads[0] != want[0] || leads[49] != want[1] {
					t.Errorf("claim %d, statistics %s: deals of leads %v; want the 50 of leads %d to %d", i+1, stats, leads, want[0], want[1])
				}
				if testing.Verbose() {
					t.Logf("claim %d, statistics %s: %d rows read", i+1, stats, read)
				}
				if i == 0 && read > 5000 {
					t.Errorf("claim 1, statistics %s: %d rows read; want those of the first thousand due deals and their contacts (some 3,000)", stats, read)
				}
			}
		})
	}
}
