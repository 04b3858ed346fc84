package sqlite_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkRecordMappings is the mapper's write alone: one op is one
// RecordMappings transaction of 100 stored events (-cycle.batch), each mapped to a contact
// and a deal operation (cycleOps), under a context that can be cancelled as
// the mapping worker's is. The mappings are built before the timer starts,
// so ns/op, B/op and allocs/op are the store's own: divide by 100 for a
// lead. cpu-ns/op is the process's CPU time (getrusage), which a shared
// machine disturbs less than the wall time of ns/op. The README's "Fifteenth session" compares it across the store's
// two ways of writing (database/sql and the driver's connection):
//
//	go test ./internal/sqlite -run '^$' -bench RecordMappings -benchtime 100x -benchmem -count 6
func BenchmarkRecordMappings(b *testing.B) {
	db, err := sqlite.Open(context.Background(), b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cycleIntake(b, db, b.N*(*cycleBatch))
	batches := make([][]syncd.Mapping, 0, b.N)
	cycleMap(b, db, func(_ context.Context, ms []syncd.Mapping) error {
		batches = append(batches, ms)
		return nil
	})
	ctx := daemonContext(b)
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
