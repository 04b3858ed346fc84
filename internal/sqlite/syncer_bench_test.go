package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkIntakeBesideSyncer measures the intake's Store latency from 8
// clients, without HTTP, while a syncer loop finishes and claims batches
// of 100 operations (no CRM), and as the baseline in the same run with the
// same database and nothing else writing: what the write gate and the
// shared cores cost a sender's answer, without the noise of a whole
// pipeline.
//
//	go test ./internal/sqlite -run '^$' -bench IntakeBesideSyncer -benchtime 1x
func BenchmarkIntakeBesideSyncer(b *testing.B) {
	for _, syncer := range []bool{false, true} {
		name := map[bool]string{false: "alone", true: "beside-syncer"}[syncer]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				p50, p99, claimed := intakeBesideSyncer(b, syncer)
				b.ReportMetric(p50, "p50-ms")
				b.ReportMetric(p99, "p99-ms")
				b.Logf("%s: Store p50 %.2f ms, p99 %.2f ms; %d operations claimed meanwhile", name, p50, p99, claimed)
			}
		})
	}
}

func intakeBesideSyncer(b *testing.B, syncer bool) (p50, p99 float64, claimed int) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(sqlite.IntakeOptions{})
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	go in.Run(rctx)
	const pending = 20000
	ms := make([]syncd.Mapping, 0, 500)
	for i := range pending {
		r, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "x",
			Key: fmt.Sprintf("sha256:seed-%d", i), Body: []byte(`{}`), Parse: syncd.ParseStrict})
		if err != nil {
			b.Fatal(err)
		}
		key := fmt.Sprintf("c%d@example.com", i)
		ms = append(ms, syncd.Mapping{EventID: r.ID, State: syncd.MapMapped, Ops: []syncd.Op{{Target: "hubspot",
			Kind: syncd.RecordContact, Key: key, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": key, "firstname": "Anna", "lastname": "Jensen"}}}})
		if len(ms) == cap(ms) {
			if _, err := db.RecordMappings(ctx, ms); err != nil {
				b.Fatal(err)
			}
			ms = ms[:0]
		}
	}
	syncing, stopSync := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		var done []syncd.Op
		for syncer && syncing.Err() == nil {
			ops, err := db.FinishAndClaimOps(ctx, done, "hubspot", syncd.RecordContact, 100, time.Minute)
			if err != nil {
				b.Error(err)
				return
			}
			claimed += len(ops)
			for i := range ops {
				ops[i].State, ops[i].CRMID = syncd.OpDone, fmt.Sprint(ops[i].ID)
			}
			done = ops
		}
	})
	var (
		mu  sync.Mutex
		lat []time.Duration
	)
	var clients sync.WaitGroup
	for c := range 8 {
		clients.Go(func() {
			for i := range 400 {
				t0 := time.Now()
				_, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "x",
					Key: fmt.Sprintf("sha256:load-%d-%d", c, i), Body: []byte(`{}`), Parse: syncd.ParseStrict})
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		})
	}
	clients.Wait()
	stopSync()
	wg.Wait()
	slices.Sort(lat)
	ms2 := func(d time.Duration) float64 { return float64(d) / 1e6 }
	return ms2(lat[len(lat)/2]), ms2(lat[len(lat)*99/100]), claimed
}
