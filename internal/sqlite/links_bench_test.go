package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkLinksOfABatch reads the links of a 100-lead batch (80 linked,
// 20 new) among 10,000 links: "one-by-one" with Link for each key, as the
// CRM adapters did, "batch" with LinksFor. Run:
//
//	go test ./internal/sqlite -run '^$' -bench LinksOfABatch -benchmem
func BenchmarkLinksOfABatch(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "syncd.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 10000 {
		key := fmt.Sprintf("lead%05d@example.com", i)
		if err := db.linkSet(ctx, tx, db.now(), "hubspot", syncd.RecordContact, key, fmt.Sprint(1000+i), ""); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = fmt.Sprintf("lead%05d@example.com", 9920+i) // the last 20 have none
	}
	b.Run("one-by-one", func(b *testing.B) {
		for range b.N {
			for _, k := range keys {
				if _, err := db.Link(ctx, "hubspot", syncd.RecordContact, k); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("batch", func(b *testing.B) {
		for range b.N {
			if got, err := db.LinksFor(ctx, "hubspot", syncd.RecordContact, keys); err != nil || len(got) != 80 {
				b.Fatalf("%d links, %v", len(got), err)
			}
		}
	})
}
