package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkEraseSearch measures finding one person among 200,000 stored
// events of ~700 bytes (the search erase and export run), as the SQLite
// store's benchmark of the same name:
//
//	go test ./internal/postgres -run '^$' -bench EraseSearch -benchtime 3x
func BenchmarkEraseSearch(b *testing.B) {
	ctx := context.Background()
	db, conn := benchDB(b)
	defer db.Close()
	defer conn.Close(ctx)
	_, err := conn.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'lb', 'lokalebasen', 'enquiry_created', 'sha256:' || g,
			convert_to('{"payload":{"client":{"email":"person' || g || '@example.com","comment":"' ||
				encode(sha512(int4send(g)), 'hex') || repeat('x', 472) || '"}}}', 'UTF8'),
			'strict', $1, $1, 'ignored' FROM generate_series(1, 200000) g`, time.Now().UTC())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE events`); err != nil {
		b.Fatal(err)
	}
	s := syncd.Subject{ID: "person777@example.com", Keys: []string{"person777@example.com"},
		Patterns: []string{"person777@example.com", `person777\u0040example.com`, "person777%40example.com",
			"+4520123456", "+45 20 12 34 56", "20 12 34 56", "20123456", "004520123456"},
		Phones: []string{"20123456", "4520123456", "004520123456"}}
	b.ResetTimer()
	for range b.N {
		pd, err := db.PersonData(ctx, s)
		if err != nil || len(pd.Events) != 1 {
			b.Fatalf("%d events, %v", len(pd.Events), err)
		}
	}
}
