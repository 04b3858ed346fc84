package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestFileSpaceCountsWhatAPurgeFreed: a big day's bodies purged leave the
// file its size, most of it free pages, which FileSpace tells: syncd purge
// says so, where before nothing told an operator why the file of a day of
// 50,000 leads stayed 150 MB once they were purged.
func TestFileSpaceCountsWhatAPurgeFreed(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	pad := strings.Repeat("a grand view over the city, ", 300) // ~8 kB a body
	for i := range 500 {
		inc := incoming(fmt.Sprintf("big-%d", i))
		inc.Body = []byte(`{"event_type":"enquiry_created","comment":"` + pad + `"}`)
		inc.ReceivedAt = clk.Now()
		r, err := in.Store(ctx, inc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordMapping(ctx, r.ID, syncd.MapIgnored, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	size, free, err := db.FileSpace(ctx)
	if err != nil || size < 4e6 || free > size/10 {
		t.Fatalf("before the purge: %d bytes, %d free, %v; want 4 MB or more, little of it free", size, free, err)
	}
	clk.Advance(91 * day)
	if p, err := db.Purge(ctx, syncd.Retention{Events: 90 * day}); err != nil || p.Events != 500 {
		t.Fatalf("purge: %+v, %v", p, err)
	}
	after, freed, err := db.FileSpace(ctx)
	if err != nil || after != size || freed < size/2 {
		t.Errorf("after the purge: %d bytes, %d free, %v; want %d bytes, half or more free", after, freed, err, size)
	}
}
