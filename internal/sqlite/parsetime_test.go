package sqlite

import (
	"database/sql"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestParseTimeFastPath: the stored format's fast path reads what
// time.Parse reads, and leaves to it (to fail) what it would refuse.
func TestParseTimeFastPath(t *testing.T) {
	at := time.Date(2024, 2, 29, 23, 59, 59, 999999000, time.UTC)
	for i := range 2000 {
		want := at.Add(time.Duration(i) * 7919 * time.Minute).Add(time.Duration(i*104729) * time.Microsecond)
		if got := parseTime(sql.NullString{String: syncd.FormatTime(want), Valid: true}); !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("parseTime(%s) = %v", syncd.FormatTime(want), got)
		}
	}
	for _, s := range []string{"2026-02-30T10:00:00.000000Z", "2026-13-01T10:00:00.000000Z", "2026-01-01T24:00:00.000000Z",
		"2026-01-01 10:00:00.000000Z", "2026-01-01T10:00:00.00000aZ", "2026-01-01T10:00:00Z", "2026-00-01T10:00:00.000000Z",
		"2026-01-01T10:60:00.000000Z", "2026-01-01T10:00:00.000000+"} {
		if _, ok := parseStored(s); ok {
			t.Errorf("parseStored(%q) took it", s)
		}
		want, _ := syncd.ParseTime(s)
		if got := parseTime(sql.NullString{String: s, Valid: true}); !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, time.Parse %v", s, got, want)
		}
	}
}

func BenchmarkParseTime(b *testing.B) {
	s := sql.NullString{String: "2026-03-10T12:34:56.123456Z", Valid: true}
	b.Run("stored", func(b *testing.B) {
		for b.Loop() {
			parseTime(s)
		}
	})
	b.Run("time.Parse", func(b *testing.B) {
		for b.Loop() {
			syncd.ParseTime(s.String)
		}
	})
}
