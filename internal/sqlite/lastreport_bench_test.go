package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkLastReport compares what status and each /metrics scrape read
// to find the last report, with a year of reports kept (rows are never
// deleted): LastReport's one row against every report with its summary
// and mail, as they read before.
//
//	go test ./internal/sqlite -run '^$' -bench LastReport -benchmem
func BenchmarkLastReport(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	first := time.Date(2025, 11, 30, 6, 0, 0, 0, time.UTC)
	for i := range 365 {
		at := first.AddDate(0, 0, i)
		rec := syncd.ReportRecord{Day: at.AddDate(0, 0, -1).Format(time.DateOnly), Path: "/var/lib/syncd/reports/x.xlsx",
			CreatedAt: at, Leads: 40, Mail: syncd.MailSent, Subject: "syncd: 40 leads",
			Summary: strings.Repeat("Leads received: 40\n", 20), HTML: strings.Repeat("<tr><td>Lokalebasen</td><td>12</td></tr>\n", 60)}
		if err := db.RecordReport(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("every report (before)", func(b *testing.B) {
		for range b.N {
			if rs, err := db.Reports(ctx, ""); err != nil || len(rs) != 365 {
				b.Fatal(len(rs), err)
			}
		}
	})
	b.Run("last report", func(b *testing.B) {
		for range b.N {
			if r, err := db.LastReport(ctx, true); err != nil || r.Day != "2026-11-28" {
				b.Fatal(r, err)
			}
		}
	})
}
