package syncer

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestScheduleIsReadInItsZone: a sync.schedule with hours ("*/10 7-17 * *
// 1-5", office hours) was read in UTC whatever report.time_zone said, so
// in Copenhagen it ran from 09:00 to 19:50 in summer. It is read in the
// zone given, and a time the clocks skip runs as they jump.
func TestScheduleIsReadInItsZone(t *testing.T) {
	t.Parallel()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	crm := dryrun.New(zerolog.Nop(), 0)
	s, err := New(Options{Store: db, CRM: crm, Schedule: "0 7 * * *", Location: cph})
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	if got, want := s.sched.Next(from), time.Date(2026, 6, 2, 7, 0, 0, 0, cph); !got.Equal(want) {
		t.Errorf("next run after %v: %v, want %v", from, got, want)
	}
	s, err = New(Options{Store: db, CRM: crm, Schedule: "30 2 * * *", Location: cph})
	if err != nil {
		t.Fatal(err)
	}
	from = time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
	if got, want := s.sched.Next(from), time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("next run after %v: %v, want %v (as the clocks jump)", from, got, want)
	}
}
