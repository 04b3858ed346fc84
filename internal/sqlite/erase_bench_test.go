package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkEraseSearch measures finding one person among 200,000 stored
// events of ~700 bytes (the search erase and export run):
//
//	go test ./internal/sqlite -run '^$' -bench EraseSearch -benchtime 3x
func BenchmarkEraseSearch(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = sqlite.RawWriter(db).Exec(`WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 200000)
INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
SELECT 'lb', 'lokalebasen', 'enquiry_created', 'sha256:' || x,
  CAST('{"payload":{"client":{"email":"person' || x || '@example.com","comment":"' || hex(randomblob(300)) || '"}}}' AS BLOB),
  'strict', ?1, ?1, 'ignored' FROM i`, syncd.FormatTime(time.Now()))
	if err != nil {
		b.Fatal(err)
	}
	s := syncd.Subject{ID: "person777@example.com", Keys: []string{"person777@example.com"},
		Patterns: []string{"person777@example.com", `person777\u0040example.com`, "person777%40example.com",
			"+4520123456", "+45 20 12 34 56", "20 12 34 56", "20123456", "004520123456"},
		Phones: []string{"20123456", "4520123456", "004520123456"}}
	b.ResetTimer()
	for range b.N {
		pd, err := db.PersonData(context.Background(), s)
		if err != nil || len(pd.Events) != 1 {
			b.Fatalf("%d events, %v", len(pd.Events), err)
		}
	}
}
