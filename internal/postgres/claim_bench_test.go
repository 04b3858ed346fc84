package postgres_test

import (
	"context"

	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var claimLeads = flag.Int("claim.leads", 5000, "leads whose operations BenchmarkClaimInstances drains")
var claimWaiting = flag.Int("claim.waiting", 0, "leads stored first whose contacts a CRM refused, retried in an hour, their deals waiting for them")
var claimNoDone = flag.Bool("claim.nodone", false, "drop migration 0018's triggers (the done operations counted as they change) before the fill, to measure their cost")
var claimAnalyze = flag.Bool("claim.analyze", false, "ANALYZE once the leads are stored, before the drain, as autovacuum does in time")
var claimNever = flag.Bool("claim.never", false, "turn autovacuum off on the outbox before the fill, so that the drain runs on statistics never taken, as on a new database before autovacuum's first look")

// BenchmarkClaimInstances drains the outbox of -claim.leads leads (a
// contact and a deal operation each, stored through the intake and
// recorded as the mapper does) through FinishAndClaimOps, as the syncers
// of one instance and then of three do against one PostgreSQL database:
// each instance its own pool, claiming 100 at a time, contacts before
// deals (a deal waits for its contact), finishing each batch as done in
// its next claim. Each drain has a fresh database. It reports the
// operations finished a second by one instance and by three, and their
// ratio, and logs the WAL a lead's fill and an operation's drain wrote,
// and the drain's calls over 100 ms and its slowest.
// It fails if an operation is claimed twice (claims are disjoint: FOR
// UPDATE SKIP LOCKED) or left unclaimed, or a deal is claimed before its
// contact. The CRM is left out: this is
// the store's share of a sync, serial on the database. The statistics
// have not seen the burst (as on a new database, or a big day beside a
// year's history) unless -claim.analyze. With -claim.waiting N, N more
// leads are stored first whose contact operations are claimed and
// finished as retries, due in an hour (a CRM that refused them), so their
// deals, the oldest pending, wait for them throughout the drain. -claim.never
// keeps autovacuum off the outbox, whose statistics the drain then finds
// never taken, whether or not autovacuum would have looked in the fill's
// time. -claim.nodone
// drops migration 0018's triggers first, to measure what they cost:
//
//	go test ./internal/postgres -run '^$' -bench ClaimInstances -benchtime 1x
func BenchmarkClaimInstances(b *testing.B) {
	for range b.N {
		one := claimDrain(b, 1)
		three := claimDrain(b, 3)
		b.ReportMetric(one, "ops/s-1-instance")
		b.ReportMetric(three, "ops/s-3-instances")
		b.ReportMetric(three/one, "3/1")
	}
}

// claimDrain fills a fresh database with *claimLeads leads' operations
// and drains them with instances syncers, each with its own pool: the
// operations finished a second.
func claimDrain(b *testing.B, instances int) float64 {
	b.Helper()
	ctx := context.Background()
	b.StopTimer()
	dsn := pgtest.DSN(b)
	var dbs []*postgres.DB
	for range instances {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	n := *claimLeads
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	if *claimNoDone {
		for _, t := range []string{"insert", "update", "delete", "truncate"} {
			if _, err := conn.Exec(ctx, `DROP TRIGGER outbox_done_`+t+` ON outbox`); err != nil {
				b.Fatal(err)
			}
		}
	}
	if *claimNever {
		if _, err := conn.Exec(ctx, `ALTER TABLE outbox SET (autovacuum_enabled = false)`); err != nil {
			b.Fatal(err)
		}
	}
	filled, walFilled := time.Now(), walBytes(b, conn)
	claimFill(b, dbs[0], *claimWaiting+n)
	b.Logf("%d leads stored and mapped in %v, %.0f bytes of WAL a lead", *claimWaiting+n, time.Since(filled).Round(time.Millisecond),
		float64(walBytes(b, conn)-walFilled)/float64(*claimWaiting+n))
	claimRefuse(b, dbs[0], *claimWaiting)
	if *claimAnalyze {
		if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	walDrained := walBytes(b, conn)
	var finished atomic.Int64
	claimed := make([][]int64, instances)
	var wg sync.WaitGroup
	b.StartTimer()
	start := time.Now()
	var contacts sync.Map // the keys of the contacts claimed, by any instance
	var calls claimCalls
	for i, inst := range dbs {
		wg.Go(func() { claimed[i] = claimUntilDrained(b, inst, &finished, int64(2*n), &contacts, &calls) })
	}
	wg.Wait()
	took := time.Since(start)
	b.StopTimer()
	b.Logf("%d instances: %d operations drained in %v, %.0f bytes of WAL an operation; %d calls, %d of them over 100 ms, the slowest %v",
		instances, 2*n, took.Round(time.Millisecond), float64(walBytes(b, conn)-walDrained)/float64(2*n),
		calls.n.Load(), calls.slow.Load(), time.Duration(calls.max.Load()).Round(time.Millisecond))
	conn.Close(ctx)
	seen := make(map[int64]int, 2*n)
	for i, ids := range claimed {
		for _, id := range ids {
			if j, ok := seen[id]; ok {
				b.Fatalf("operation %d claimed by instance %d and by instance %d", id, j, i)
			}
			seen[id] = i
		}
	}
	if len(seen) != 2*n {
		b.Fatalf("%d operations claimed; want %d", len(seen), 2*n)
	}
	return float64(2*n) / took.Seconds()
}

// claimCalls counts the calls of FinishAndClaimOps in a drain, those
// over 100 ms, and the slowest's time in nanoseconds: a drain slow for a
// few statements that read too much is told from one slow throughout.
type claimCalls struct{ n, slow, max atomic.Int64 }

// add counts a call that took took.
func (c *claimCalls) add(took time.Duration) {
	c.n.Add(1)
	if took > 100*time.Millisecond {
		c.slow.Add(1)
	}
	for m := c.max.Load(); int64(took) > m && !c.max.CompareAndSwap(m, int64(took)); m = c.max.Load() {
	}
}

// claimUntilDrained is one instance's syncer: it claims contacts, then
// deals, 100 at a time, finishing each batch as done in its next claim,
// until finished counts want; it returns the ids it claimed. It adds the
// keys of the contacts it claims to contacts, and fails if it claims a
// deal whose contact no instance claimed before; calls counts its calls.
func claimUntilDrained(b *testing.B, db *postgres.DB, finished *atomic.Int64, want int64, contacts *sync.Map, calls *claimCalls) []int64 {
	ctx := context.Background()
	var ids []int64
	var done []syncd.Op
	for finished.Load() < want {
		progressed := false
		for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
			began := time.Now()
			ops, err := db.FinishAndClaimOps(ctx, done, "hubspot", kind, 100, time.Minute)
			calls.add(time.Since(began))
			if err != nil {
				b.Error(err)
				return ids
			}
			finished.Add(int64(len(done)))
			done = done[:0]
			for _, op := range ops {
				if op.Kind == syncd.RecordContact {
					contacts.Store(op.Key, true)
				} else if _, ok := contacts.Load(op.ContactKey); !ok {
					b.Errorf("deal %d claimed before its contact %s", op.ID, op.ContactKey)
				}
				ids = append(ids, op.ID)
				op.State, op.CRMID = syncd.OpDone, fmt.Sprint(op.ID)
				done = append(done, op)
			}
			progressed = progressed || len(ops) > 0
		}
		if !progressed && finished.Load() < want { // the rest is another instance's, or waits for its contacts
			time.Sleep(time.Millisecond)
		}
	}
	return ids
}

// claimFill stores n events through the intake and records each as
// mapped to a contact and a deal, 100 events a transaction, as the
// mapping worker does.
func claimFill(b *testing.B, db *postgres.DB, n int) {
	b.Helper()
	storetest.BenchIntake(b, db.NewIntake(postgres.IntakeOptions{}), n)
	storetest.BenchMap(b, context.Background(), 100, db.PendingEvents, func(ctx context.Context, ms []syncd.Mapping) error {
		_, err := db.RecordMappings(ctx, ms)
		return err
	}, func(id int64) []syncd.Op { return storetest.BenchLeadOps(id, fmt.Sprintf("lead%07d@example.com", id)) })
}

// walBytes is the server's WAL position in bytes: what a step wrote, on
// a cluster nothing else writes to, is the difference of two (autovacuum
// adds its own now and then).
func walBytes(b *testing.B, conn *pgx.Conn) int64 {
	b.Helper()
	var n int64
	if err := conn.QueryRow(context.Background(), `SELECT pg_current_wal_lsn() - '0/0'`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// claimRefuse claims the first n contact operations of the outbox (the
// oldest: those of the first leads stored) and finishes them as a CRM's
// refusal does, pending again, due in an hour.
func claimRefuse(b *testing.B, db *postgres.DB, n int) {
	b.Helper()
	ctx := context.Background()
	var retried []syncd.Op
	for left := n; left > 0; {
		ops, err := db.FinishAndClaimOps(ctx, retried, "hubspot", syncd.RecordContact, min(left, 100), time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if len(ops) == 0 {
			break
		}
		left -= len(ops)
		retried = retried[:0]
		for _, op := range ops {
			op.State, op.LastError, op.NextAttemptAt = syncd.OpPending, "CRM refused", time.Now().Add(time.Hour)
			retried = append(retried, op)
		}
	}
	if err := db.FinishOps(ctx, retried); err != nil {
		b.Fatal(err)
	}
}
