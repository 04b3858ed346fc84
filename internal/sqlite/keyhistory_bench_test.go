package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkClaimBesideAKeysHistory measures the claim of one contact's
// operation when that contact has N other operations in the outbox, each
// with other properties: done (a client who enquired N times, within the
// outbox's retention) or still pending (a backlog of one address, all of
// which the claim then takes as the contact's run of updates). The
// claim's probe for an older pending operation on the same record reads
// the record's operations through outbox_once (migration 0013), so this is
// the case where it reads the most:
//
//	go test ./internal/sqlite -run '^$' -bench ClaimBesideAKeysHistory
func BenchmarkClaimBesideAKeysHistory(b *testing.B) {
	for _, n := range []int{100, 1000, 4000} {
		for _, state := range []string{"done", "pending"} {
			b.Run(fmt.Sprintf("%s=%d", state, n), func(b *testing.B) {
				ctx := context.Background()
				db := openTest(b)
				enqueueOneKey(b, db, n+1)
				if state == "done" { // all but the newest
					if _, err := sqlite.RawWriter(db).Exec(`UPDATE outbox SET state = 'done' WHERE id < (SELECT max(id) FROM outbox)`); err != nil {
						b.Fatal(err)
					}
				}
				want := 1 // the newest, beside N done
				if state == "pending" {
					want = n + 1 // the oldest and its updates behind it, as one run
				}
				var took time.Duration
				for b.Loop() {
					start := time.Now()
					ops, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 100, time.Minute)
					took += time.Since(start)
					if err != nil || len(ops) != want {
						b.Fatalf("claimed %d, %v; want %d", len(ops), err, want)
					}
					if _, err := sqlite.RawWriter(db).Exec(`UPDATE outbox SET lease_until = NULL`); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(took.Microseconds())/float64(b.N), "µs/claim")
			})
		}
	}
}

// enqueueOneKey enqueues n contact operations of one email, each with
// other properties, as the mapper does.
func enqueueOneKey(b *testing.B, db *sqlite.DB, n int) {
	const key = "one@example.com"
	ms := make([]syncd.Mapping, 0, n)
	for j := range n {
		res, err := sqlite.RawWriter(db).Exec(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at)
			VALUES ('lb', 'lokalebasen', 'enquiry_created', ?, X'7B7D', 'strict', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')`,
			fmt.Sprintf("sha256:%d", j))
		if err != nil {
			b.Fatal(err)
		}
		id, _ := res.LastInsertId()
		ms = append(ms, syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: []syncd.Op{{Target: "hubspot",
			Kind: syncd.RecordContact, Key: key, KeyKind: syncd.KeyEmail, MappingFile: "m.yaml", MappingHash: "h",
			Properties: map[string]string{"email": key, "firstname": fmt.Sprint("Anna ", j)}}}})
	}
	if _, err := db.RecordMappings(context.Background(), ms); err != nil {
		b.Fatal(err)
	}
}
