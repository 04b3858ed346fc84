package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkClusterEventsCount measures what syncd status reads of the
// whole cluster on every instance it is asked on: the events and the
// quarantined bodies every instance stored since the asked instance
// started, on a database of 1,000,000 events received one a second (11.6
// days; a busy agency's year, or a fleet's months). "all" is an instance
// started before the first of them, "hour" one started an hour before
// the last (each count is of the events, then of the quarantined bodies,
// as status reads them):
//
//	go test ./internal/postgres -run '^$' -bench ClusterEventsCount -benchtime 20x
func BenchmarkClusterEventsCount(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	db, conn := benchDB(b)
	defer db.Close()
	first := time.Now().UTC().Add(-n * time.Second)
	_, err := conn.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state, mapped_at)
		SELECT 'lb', 'lokalebasen', 'enquiry_created', 'k' || g, convert_to(repeat('Jane Erasmus ', 40), 'UTF8'), 'strict',
			$1::timestamptz + g * interval '1 second', $1::timestamptz + g * interval '1 second', 'done', $1::timestamptz
		FROM generate_series(1, $2::int) g`, first, n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE events`); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	for _, c := range []struct {
		name  string
		since time.Time
		want  int
	}{
		{"all", first, n},
		{"hour", first.Add((n - 3600) * time.Second), 3601},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := syncd.EventFilter{Since: c.since}
			for b.Loop() {
				events, err := db.CountEvents(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.CountQuarantined(ctx, f); err != nil {
					b.Fatal(err)
				}
				if events < c.want-2 || events > c.want+2 {
					b.Fatalf("%d events counted, want %d", events, c.want)
				}
			}
		})
	}
}
