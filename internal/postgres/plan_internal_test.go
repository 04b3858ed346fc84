package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

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
	t.Parallel()
	_, conn := seededConn(t, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), CASE WHEN g % 2000 = 0 THEN 'pending' ELSE 'mapped' END
		FROM generate_series(1, 20000) g`, `ANALYZE events`, `SET plan_cache_mode = force_generic_plan`)
	for i, after := range []int64{0, 5000} {
		q, args := eventsQuery(syncd.EventFilter{MapState: syncd.MapPending, AfterID: after, Limit: 100})
		plan := genericPlan(t, conn, fmt.Sprintf("pending%d", i), q, args)
		if !strings.Contains(plan, "events_pending") || strings.Contains(plan, "events_pkey") || strings.Contains(plan, "Seq Scan") {
			t.Errorf("pending events after %d: generic plan\n%s\nwant a scan of events_pending", after, plan)
		}
	}
}

// seededConn opens a fresh database at the current schema, runs seed on a
// connection of its own and returns the store and that connection, for
// reading plans; both close with the test.
func seededConn(t *testing.T, seed ...string) (*DB, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	for _, q := range seed {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return db, conn
}

// seedEvents are 15,000 mapped events for seedOps.
const seedEvents = `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
	SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 15000) g`

// seedOps inserts each seeded event's contact and deal operations, with
// ~300 bytes of properties: one event's in 1,000 dead (one in 2,000 given
// up), one's in 700 pending, the rest done; created and updated are SQL
// over the event e.
func seedOps(created, updated string) string {
	return `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
		state, dead_cause, next_attempt_at, created_at, updated_at)
	SELECT e.id, 'hubspot', k.kind, k.kind || e.id, '', repeat('p', 300), 'h', 'eaf.yaml', 'h',
		CASE WHEN e.id % 1000 = 0 THEN 'dead' WHEN e.id % 700 = 0 THEN 'pending' ELSE 'done' END,
		CASE WHEN e.id % 2000 = 0 THEN 'given_up' ELSE '' END, now(), ` + created + `, ` + updated + `
	FROM events e, (VALUES ('contact'), ('deal')) k(kind)`
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

// TestOutboxDepthsReadNoWholeTable: /metrics (every scrape, on every
// instance) and syncd status count the outbox by state, and counted so in
// one query that walked the table, every operation with its properties
// (60-250 ms at 200,000 operations, each scrape). Pending operations and
// dead letters come from their partial indexes and the done ones from
// outbox_done (TestOutboxDepthsReadNoDoneOperation); the counts are those
// of the walk.
func TestOutboxDepthsReadNoWholeTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, conn := seededConn(t, seedEvents, seedOps("now() - e.id * interval '1 second'", "now()"), `VACUUM ANALYZE outbox`)
	for i, c := range []struct {
		q    string
		want []string // one of
		args []any
	}{
		{depthSQL.targets, []string{"Index Only Scan using outbox_once"}, nil},
		{depthSQL.pending, []string{"using outbox_claim", "using outbox_pending_key"}, // both hold pending ones only
			[]any{"2026-12-01 00:00:00+00"}},
		{depthSQL.dead, []string{"using outbox_dead"}, nil},
		{depthSQL.done, []string{"on outbox_done"}, nil},
	} {
		plan := genericPlan(t, conn, fmt.Sprintf("depth%d", i), c.q, c.args)
		if !slices.ContainsFunc(c.want, func(w string) bool { return strings.Contains(plan, w) }) || strings.Contains(plan, "Seq Scan on outbox ") {
			t.Errorf("plan of\n%s\n%s\nwant one of %q and no walk of the table", c.q, plan, c.want)
		}
	}
	var want syncd.OutboxDepth
	var oldest time.Time
	err := conn.QueryRow(ctx, `SELECT target, count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'done'),
		count(*) FILTER (WHERE state = 'dead'), count(*) FILTER (WHERE dead_cause = 'given_up'),
		min(created_at) FILTER (WHERE state = 'pending') FROM outbox GROUP BY target`).
		Scan(&want.Target, &want.Pending, &want.Done, &want.Dead, &want.GivenUp, &oldest)
	if err != nil {
		t.Fatal(err)
	}
	want.OldestPending = oldest.UTC()
	got, err := db.OutboxDepths(ctx)
	if err != nil || len(got) != 1 || got[0] != want {
		t.Errorf("depths %+v, %v; want %+v", got, err, want)
	}
}

// TestOutboxListReadsItsIndex: `syncd outbox list -state pending` (or
// dead) pages through the operations with one prepared statement, and
// from its sixth run on a connection PostgreSQL plans it generically, not
// knowing the state asked for: that plan walked every operation by id,
// properties and all, to find the few pending or dead ones (the trap
// TestPendingEventsReadTheirIndex found in the mapper's poll). The
// statement names the state, so any plan reads the partial index of the
// pending, or dead, operations.
func TestOutboxListReadsItsIndex(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, seedEvents, seedOps("now()", "now()"), `VACUUM ANALYZE outbox`, `SET plan_cache_mode = force_generic_plan`)
	for i, c := range []struct {
		f    syncd.OpFilter
		want []string // one of
	}{
		{syncd.OpFilter{State: syncd.OpPending, Newest: true, Limit: 500}, []string{"outbox_claim", "outbox_pending_key"}},
		{syncd.OpFilter{State: syncd.OpPending, Newest: true, Limit: 500, BeforeID: 20000}, []string{"outbox_claim", "outbox_pending_key"}},
		{syncd.OpFilter{State: syncd.OpDead, Newest: true, Limit: 500}, []string{"outbox_dead", "outbox_finished"}},
		{syncd.OpFilter{State: syncd.OpDead, Target: "hubspot", Kind: syncd.RecordDeal, Newest: true, Limit: 500}, []string{"outbox_dead", "outbox_finished"}},
	} {
		list, largs := opsQuery(c.f)
		count, cargs := opsCount(c.f)
		for j, q := range []struct {
			sql  string
			args []any
		}{{list, largs}, {count, cargs}} {
			plan := genericPlan(t, conn, fmt.Sprintf("ops%d_%d", i, j), q.sql, q.args)
			if !slices.ContainsFunc(c.want, func(w string) bool { return strings.Contains(plan, w) }) ||
				walksByID(plan) || strings.Contains(plan, "Seq Scan") {
				t.Errorf("%+v: generic plan of\n%s\n%s\nwant a scan of one of %q", c.f, q.sql, plan, c.want)
			}
		}
	}
}

// walksByID reports whether plan reads outbox_pkey other than to fetch a
// row by its id (a page's rows, once their ids are known).
func walksByID(plan string) bool {
	lines := strings.Split(plan, "\n")
	for i, line := range lines {
		if strings.Contains(line, "outbox_pkey") && (i+1 == len(lines) || !strings.Contains(lines[i+1], "Index Cond: (id = ")) {
			return true
		}
	}
	return false
}

// TestPurgeBatchesReadTheirIndex: the retention purge deletes finished
// operations, CRM links and create intents 500 at a time, the same
// statement batch after batch. Its plans (generic from the sixth batch,
// and custom ones too once most rows are past the cut-off, as at the first
// purge after the retention was shortened) matched each batch's rows
// against the whole table: a hash join over a walk of every operation
// (properties and all) or link, for every 500 deleted. Each batch finds
// its rows by the index of their time and deletes them by id (or row
// address), whatever the plan.
func TestPurgeBatchesReadTheirIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, conn := seededConn(t, seedEvents, seedOps("now() - e.id * interval '1 minute'", "now() - e.id * interval '1 minute'"),
		`INSERT INTO crm_links (target, kind, key, crm_id, updated_at) SELECT target, kind, key, id::text, updated_at FROM outbox`,
		`INSERT INTO crm_intents (target, kind, key, sent_at) SELECT target, kind, key, updated_at FROM outbox`,
		`VACUUM ANALYZE`)
	for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
		if _, err := conn.Exec(ctx, `SET plan_cache_mode = `+mode); err != nil {
			t.Fatal(err)
		}
		for name, q := range map[string]string{"outbox": purgeSQL.Outbox, "links": purgeSQL.Links, "intents": purgeSQL.Intents} {
			for _, cut := range []string{"2000-01-01 00:00:00+00", "2100-01-01 00:00:00+00"} { // none, or every row past it
				plan := genericPlan(t, conn, fmt.Sprintf("purge_%s_%s_%s", mode[6:9], name, cut[:4]), q, []any{cut, int64(purgeBatch)})
				if strings.Contains(plan, "Seq Scan") {
					t.Errorf("%s, cut-off %s, plan (%s) of\n%s\n%s\nwant no walk of a whole table", name, cut, mode, q, plan)
				}
			}
		}
	}
}

// TestPendingOfATargetSeekItsIndex: what `syncd sync` and `syncd crm
// check` read of one CRM's pending operations seeks that CRM's in
// outbox_claim, in any plan. The filters were written `($1 = ” OR target
// = $1)`, and a generic plan (from a statement's sixth run on a
// connection) had no index condition to narrow by: it read every pending
// operation of every CRM. Either partial index of the pending operations
// (outbox_claim, outbox_pending_key) leads with the target. PendingLeft, the line `syncd sync` ends with,
// counts them in the same index.
func TestPendingOfATargetSeekItsIndex(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, seedEvents, seedOps("now()", "now()"), `VACUUM ANALYZE outbox`, `SET plan_cache_mode = force_generic_plan`)
	type query struct {
		sql  string
		args []any
	}
	var qs []query
	for _, f := range []syncd.OpFilter{
		{State: syncd.OpPending, Target: "hubspot", Limit: -1},
		{State: syncd.OpPending, Target: "hubspot", Kind: syncd.RecordDeal, Newest: true, Limit: 500, BeforeID: 20000},
	} {
		list, largs := opsQuery(f)
		count, cargs := opsCount(f)
		qs = append(qs, query{list, largs}, query{count, cargs})
	}
	qs = append(qs, query{pendingLeftSQL, []any{"hubspot", "2026-12-01 00:00:00+00"}})
	for i, q := range qs {
		plan := genericPlan(t, conn, fmt.Sprintf("target%d", i), q.sql, q.args)
		if !strings.Contains(plan, "outbox_claim") && !strings.Contains(plan, "outbox_pending_key") ||
			!strings.Contains(plan, "Index Cond: (target = $1)") && !strings.Contains(plan, "Index Cond: ((target = $1)") ||
			strings.Contains(plan, "Seq Scan") || walksByID(plan) {
			t.Errorf("generic plan of\n%s\n%s\nwant a seek of the target in a pending index", q.sql, plan)
		}
	}
}

// TestDeadPagesSeekTheirIDs: a page of `syncd outbox list -state dead`
// (500, newest first, below the last id listed; of one target or kind or
// none) found the dead letters through outbox_dead, by the time they
// died, and sorted them whole, properties and all, to keep 500: every
// page read every dead letter (tens of thousands after the CRM was down).
// Their ids have an index of their own (migration 0010): a page is a seek
// from the last id listed, and no row is sorted.
func TestDeadPagesSeekTheirIDs(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, seedEvents, seedOps("now()", "now()"), `VACUUM ANALYZE outbox`, `SET plan_cache_mode = force_generic_plan`)
	for i, f := range []syncd.OpFilter{
		{State: syncd.OpDead, Newest: true, Limit: 500},
		{State: syncd.OpDead, Newest: true, Limit: 500, BeforeID: 20000},
		{State: syncd.OpDead, Limit: 500, AfterID: 20000},
		{State: syncd.OpDead, Target: "hubspot", Kind: syncd.RecordDeal, Newest: true, Limit: 500, BeforeID: 20000},
	} {
		q, args := opsQuery(f)
		plan := genericPlan(t, conn, fmt.Sprintf("dead%d", i), q, args)
		if strings.Contains(plan, "Sort") || strings.Contains(plan, "Seq Scan") || !strings.Contains(plan, "using outbox_dead_id") {
			t.Errorf("%+v: generic plan\n%s\nwant a seek of the dead letters' ids, no sort", f, plan)
		}
	}
}

// TestPendingLeftReadsThePendingOnce: what `syncd sync` says is left
// (PendingLeft) read the target's pending operations three times: to
// count them, then for the earliest due, hash-joined against them all
// again (and every target's pending contacts). Now one pass counts them
// and keeps the earliest, asking of each whether it waits with a seek of
// its record in a pending index.
func TestPendingLeftReadsThePendingOnce(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, seedEvents, seedOps("now()", "now()"), `VACUUM ANALYZE outbox`, `SET plan_cache_mode = force_generic_plan`)
	plan := genericPlan(t, conn, "pending_left", pendingLeftSQL, []any{"hubspot", "2026-12-01 00:00:00+00"})
	if n := strings.Count(plan, "Index Cond: (target = $1)"); n != 1 || strings.Contains(plan, "Hash") ||
		strings.Contains(plan, "Seq Scan") || !strings.Contains(plan, "Index Cond: ((target = o.target) AND (kind = o.kind) AND (key = o.key))") {
		t.Errorf("%d passes over the target's pending operations, want 1 and a seek of each one's record; plan:\n%s", n, plan)
	}
}

// TestUntargetedPendingPagesSortNoRows: a page of `syncd outbox list
// -state pending` (no target, or no kind; 500, below the last id listed)
// found every pending operation through outbox_claim, by target and
// kind, and sorted them whole to keep 500: quadratic in what is pending.
// Now each target and kind's next ids are a seek in outbox_claim from the
// last id listed: no row is sorted, only the page's ids.
func TestUntargetedPendingPagesSortNoRows(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, seedEvents, seedOps("now()", "now()"), `VACUUM ANALYZE outbox`, `SET plan_cache_mode = force_generic_plan`)
	for i, f := range []syncd.OpFilter{
		{State: syncd.OpPending, Newest: true, Limit: 500},
		{State: syncd.OpPending, Newest: true, Limit: 500, BeforeID: 20000},
		{State: syncd.OpPending, Limit: 500, AfterID: 20000},
		{State: syncd.OpPending, Kind: syncd.RecordDeal, Newest: true, Limit: 500, BeforeID: 20000},
	} {
		q, args := opsQuery(f)
		plan := genericPlan(t, conn, fmt.Sprintf("untargeted%d", i), q, args)
		for _, line := range strings.Split(plan, "\n") {
			if strings.Contains(line, "->  Sort ") || strings.HasPrefix(line, "Sort ") {
				if !strings.Contains(line, "width=8)") { // a bigint: the ids
					t.Errorf("%+v: sorts rows, not ids: %q", f, line)
				}
			}
		}
		if strings.Contains(plan, "Seq Scan") || !strings.Contains(plan, "Index Cond: ((target = p.t) AND (kind = p.k)") {
			t.Errorf("%+v: no seek of each target and kind's ids", f)
		}
		if t.Failed() || testing.Verbose() {
			t.Logf("%+v plan:\n%s", f, plan)
		}
	}
}

// TestUnattendedLeadsReadTheirIndex: syncd status counts and names the
// unmappable leads that wait for a person, whatever their age, at every
// run; without an index on the mapping state that read every event of a
// year. The condition is the partial index's (migration 0011), word for
// word, so a generic plan reads events_unmappable_waiting alone.
func TestUnattendedLeadsReadTheirIndex(t *testing.T) {
	_, conn := seededConn(t, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), CASE WHEN g % 2000 = 0 THEN 'unmappable' ELSE 'mapped' END
		FROM generate_series(1, 20000) g`, `ANALYZE events`, `SET plan_cache_mode = force_generic_plan`)
	f := syncd.EventFilter{Unattended: true}
	where, args := eventWhere(f)
	newest, nargs := eventsQuery(syncd.EventFilter{Unattended: true, Newest: true, Limit: 5})
	for name, q := range map[string]string{"count": `SELECT count(*) FROM events` + where, "newest": newest} {
		a := args
		if name == "newest" {
			a = nargs
		}
		plan := genericPlan(t, conn, "unattended_"+name, q, a)
		if !strings.Contains(plan, "events_unmappable_waiting") || strings.Contains(plan, "Seq Scan") {
			t.Errorf("unmappable leads waiting, %s: generic plan\n%s\nwant a scan of events_unmappable_waiting", name, plan)
		}
	}
}

// TestLinksForSeeksEachKey: a batch's links (the CRM adapters read those of
// every record they write) are read in one query that seeks its keys in
// crm_links' primary key, whatever plan PostgreSQL keeps for it, never
// reading the table whole (it holds every link the retention keeps).
func TestLinksForSeeksEachKey(t *testing.T) {
	t.Parallel()
	_, conn := seededConn(t, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
		SELECT 'hubspot', k.kind, 'key-' || g, g::text, now() FROM generate_series(1, 20000) g, (VALUES ('contact'), ('deal')) k(kind)`,
		`VACUUM ANALYZE crm_links`, `SET plan_cache_mode = force_generic_plan`)
	plan := genericPlan(t, conn, "linksfor", linksForSQL, []any{"hubspot", "contact", "{key-1,key-2,key-3}"})
	if !strings.Contains(plan, "crm_links_pkey") || !strings.Contains(plan, "AND (key = k.key))") || strings.Contains(plan, "Seq Scan") {
		t.Errorf("generic plan of\n%s\n%s\nwant a seek of each key in crm_links_pkey", linksForSQL, plan)
	}
}

// TestClaimSeeksEachRecord: a big day beside a year's history. The
// statistics, last taken over finished operations, say none is pending
// (a burst under autovacuum's 10% changes them not), and the claim was
// planned for one pending row: its look for an older pending operation
// on each due row's record read every pending operation of the kind per
// row (0.8 s a claim of 100 at 5,000 pending; BenchmarkClaimInstances'
// first drain 12 times slower than after an ANALYZE). Each look at a
// record, in the claim of contacts and of deals, is now a seek of its
// key in an index, whatever the statistics; and the due rows are read in
// outbox_ready, which leaves out the deals marked as waiting for their
// contact (migration 0019). Once the statistics count the burst's pending
// contacts, the claim of deals hashed them all at each claim, from a walk
// of the whole table: it seeks each due deal's contact instead.
func TestClaimSeeksEachRecord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ops := func(first, last int, state string) string {
		return fmt.Sprintf(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
			mapping_hash, state, next_attempt_at, created_at, updated_at)
		SELECT e.id, 'hubspot', k.kind, k.kind || e.id, CASE WHEN k.kind = 'deal' THEN 'contact' || e.id ELSE '' END,
			repeat('p', 300), 'h', 'eaf.yaml', 'h', '%s', now() - interval '1 hour', now(), now()
		FROM events e, (VALUES ('contact'), ('deal')) k(kind) WHERE e.id BETWEEN %d AND %d`, state, first, last)
	}
	_, conn := seededConn(t, seedEvents, ops(1, 13000, "done"), `ANALYZE`, ops(13001, 15000, "pending"))
	for _, stats := range []string{"the burst unseen", "the burst analyzed"} {
		if stats == "the burst analyzed" {
			if _, err := conn.Exec(ctx, `ANALYZE outbox`); err != nil {
				t.Fatal(err)
			}
		}
		claimSeeks(t, conn, stats)
	}
}

// claimSeeks checks the plans of the claim of contacts and of deals, the
// statistics as stats says.
func claimSeeks(t *testing.T, conn *pgx.Conn, stats string) {
	t.Helper()
	for _, kind := range []string{"contact", "deal"} {
		claimSeeksIn(t, conn, stats, kind, claimHeadSQL, claimHead*100) // the head,
		claimSeeksIn(t, conn, stats, kind, claimSQL)                    // and all when it had none

	}
}

// claimSeeksIn checks the plan of the claim of kind, q (claimSQL, or
// claimHeadSQL and the head), the statistics as stats says.
func claimSeeksIn(t *testing.T, conn *pgx.Conn, stats, kind, q string, head ...any) {
	t.Helper()
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := tx.Query(ctx, `EXPLAIN (ANALYZE) `+q, append([]any{"2030-01-01 00:00:00+00", "hubspot", kind, 100, "2026-12-07 12:00:00+00"}, head...)...)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	tx.Rollback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(lines, "\n")
	for i, l := range lines {
		// the looks at a record: older pending operations (p), a contact's
		// updates behind it (f) and the first of those not due (b)
		if !strings.Contains(l, " on outbox p ") && !strings.Contains(l, " on outbox f") && !strings.Contains(l, " on outbox b ") {
			continue
		}
		if i+1 == len(lines) || !strings.Contains(lines[i+1], "Index Cond:") || !strings.Contains(lines[i+1], "key = ") {
			t.Errorf("claim of %ss: a look at a record that seeks no key:\n%s\n%s", kind, l, plan)
		}
	}
	if strings.Contains(plan, "Seq Scan") {
		t.Errorf("claim of %ss walks a table:\n%s", kind, plan)
	}
	// the head in its order, each row locked as it is taken: a sort above
	// the locks would lock every row of the head
	if strings.Contains(plan, "Sort") {
		t.Errorf("claim of %ss, %s, sorts what it locks:\n%s", kind, stats, plan)
	}
	// the pending operations marked as waiting (migration 0019) are not read
	if q == claimHeadSQL && (!strings.Contains(plan, "using outbox_due on outbox h") || !strings.Contains(plan, "using outbox_pkey on outbox o")) ||
		q == claimSQL && !strings.Contains(plan, "using outbox_due on outbox o") {
		t.Errorf("claim of %ss, %s, does not read the operations not marked as waiting, in outbox_due:\n%s", kind, stats, plan)
	}
	// nor every pending contact, hashed
	if strings.Contains(plan, "hashed SubPlan") {
		t.Errorf("claim of %ss, %s, hashes a subquery's rows:\n%s", kind, stats, plan)
	}
}
