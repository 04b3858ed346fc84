package sqlite_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkRecordMappings is the mapper's write alone: one op is one
// RecordMappings transaction of 100 stored events, each mapped to a contact
// and a deal operation (cycleOps), under a context that can be cancelled as
// the mapping worker's is. The mappings are built before the timer starts,
// so ns/op, B/op and allocs/op are the store's own: divide by 100 for a
// lead. cpu-ns/op is the process's CPU time (getrusage), which a shared
// machine disturbs less than the wall time of ns/op. The README's "Fifteenth session" compares it across the store's
// two ways of writing (database/sql and the driver's connection):
//
//	go test ./internal/sqlite -run '^$' -bench RecordMappings -benchtime 100x -benchmem -count 6
func BenchmarkRecordMappings(b *testing.B) {
	const perBatch = 100
	db, err := sqlite.Open(context.Background(), b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cycleIntake(b, db, b.N*perBatch)
	ctx := daemonContext(b)
	batches := make([][]syncd.Mapping, 0, b.N)
	for after := int64(0); ; {
		evs, err := db.PendingEvents(ctx, after, perBatch)
		if err != nil {
			b.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		ms := make([]syncd.Mapping, len(evs))
		for i, ev := range evs {
			ms[i] = syncd.Mapping{EventID: ev.ID, State: syncd.MapMapped, Ops: cycleOps(ev.ID)}
			after = ev.ID
		}
		batches = append(batches, ms)
	}
	if len(batches) != b.N {
		b.Fatalf("%d batches of events stored, want %d", len(batches), b.N)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu, _ := cpuOf(func() {
		for i := range b.N {
			n, err := db.RecordMappings(ctx, batches[i])
			if err != nil {
				b.Fatal(err)
			}
			if n != 2*len(batches[i]) {
				b.Fatalf("%d operations inserted, want %d", n, 2*len(batches[i]))
			}
		}
	})
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}
