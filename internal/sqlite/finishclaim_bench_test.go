package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkFinishAndClaim is the syncer's write alone: one op is one
// FinishAndClaimOps transaction that finishes the 100 operations (-cycle.batch)
// claimed by the op before as done, each with a CRM id (a crm_links row),
// and claims the next 100, contacts first and then their deals, under a
// context that can be cancelled as the sync worker's is. The events and
// their operations are stored before the timer starts, so ns/op, B/op and
// allocs/op are the store's own: divide by 100 for an operation, by 50 for
// a lead. cpu-ns/op is the process's CPU time (getrusage), which a shared
// machine disturbs less than the wall time of ns/op. The README's
// "Fifteenth session" compares it across the store's two ways of writing
// (database/sql and the driver's connection):
//
//	go test ./internal/sqlite -run '^$' -bench FinishAndClaim -benchtime 100x -benchmem -count 6
func BenchmarkFinishAndClaim(b *testing.B) {
	db, err := sqlite.Open(context.Background(), b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	leads := (b.N**cycleBatch + 1) / 2
	cycleIntake(b, db, leads)
	cycleMap(b, db, func(ctx context.Context, ms []syncd.Mapping) error {
		_, err := db.RecordMappings(ctx, ms)
		return err
	})
	ctx := daemonContext(b)
	var finished []syncd.Op
	contacts := leads
	b.ReportAllocs()
	b.ResetTimer()
	cpu, _ := cpuOf(func() {
		for range b.N {
			kind := syncd.RecordContact
			if contacts == 0 {
				kind = syncd.RecordDeal
			}
			ops, err := db.FinishAndClaimOps(ctx, finished, "hubspot", kind, *cycleBatch, time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			if len(ops) == 0 {
				b.Fatalf("no %s operation claimed", kind)
			}
			if kind == syncd.RecordContact {
				contacts -= len(ops)
			}
			finished = finished[:0]
			for _, op := range ops {
				op.State, op.CRMID = syncd.OpDone, fmt.Sprint(op.ID)
				finished = append(finished, op)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	if err := db.FinishOps(ctx, finished); err != nil {
		b.Fatal(err)
	}
}
