package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestInstalledAtOfAnUpgradedDatabaseIsItsFirstDelivery: a database an
// older syncd made before the first start was recorded (v2, v3) holds
// what that syncd received, yet the first start of this one recorded its
// own time as the installation: the daemon then made none of the reports
// it had missed (the days before "ended before syncd was installed"), a
// report made by hand of a day of leads was titled "4 leads (before syncd
// was installed)", the day of the upgrade said what was sent before it
// did not reach syncd, and the week's average left out the days before.
// The installation is now the first delivery such a database holds (an
// event or a quarantined body); a new database's is still its first
// start, and a recorded one stays.
func TestInstalledAtOfAnUpgradedDatabaseIsItsFirstDelivery(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		fixture string
		want    time.Time // its first delivery, or the first start it recorded
	}{
		{"v2-cfdf852.sql", time.Date(2026, 11, 30, 15, 16, 28, 725682000, time.UTC)},
		{"v3-c419c01.sql", time.Date(2026, 11, 30, 15, 15, 8, 182480000, time.UTC)},
		{"v9-8862de7.sql", time.Date(2026, 12, 1, 23, 44, 50, 706461000, time.UTC)}, // recorded: kept
	} {
		path := restoreDump(t, filepath.Join("..", "..", "testdata", "upgrade", c.fixture))
		db, err := sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
		if err != nil {
			t.Fatal(err)
		}
		upgraded := time.Date(2026, 12, 2, 10, 1, 27, 0, time.UTC)
		db.Now = func() time.Time { return upgraded }
		got, err := db.InstalledAt(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(c.want) {
			t.Errorf("%s: installed at %v, the upgrade's start; want %v", c.fixture, got, c.want)
		}
		db.Now = func() time.Time { return upgraded.Add(48 * time.Hour) }
		if again, err := db.InstalledAt(ctx); err != nil || !again.Equal(got) {
			t.Errorf("%s: a later start says %v, %v; want %v as recorded", c.fixture, again, err, got)
		}
		db.Close()
	}
}
