package main_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestUpgradeMailsNoDayAgain: the v6 fixture's syncd mailed the report of
// a day (its 2026-11-30, here moved to three days ago and taken as made
// once that day was over: the fixture's
// was made during it, a partial day, which today's syncd makes whole and
// mails again by design). Today's syncd, started on that database with
// the same mail settings, mails the days it missed since, once each, and
// not that day again: the upgrade's migrations keep what was mailed.
func TestUpgradeMailsNoDayAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	u := loadUpgradeFixture(t, "../../testdata/upgrade/v6-ba9134d.sql", dir)
	raw, err := sql.Open("sqlite3", filepath.Join(dir, "data", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	// The mailed day moved to three days ago, so that as many days are
	// missed whenever this runs: from the fixture's own day, the days to
	// make and mail grew by one a day.
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	now := time.Now().In(loc)
	mailedDay := time.Date(now.Year(), now.Month(), now.Day()-3, 0, 0, 0, 0, loc)
	made := mailedDay.AddDate(0, 0, 1).Add(6*time.Hour + 2500*time.Millisecond).UTC()
	const stamp = "2006-01-02T15:04:05.000000Z"
	res, err := raw.Exec(`UPDATE reports SET day = ?, created_at = ?, mailed_at = ?
		WHERE day = '2026-11-30' AND mail_state = 'sent'`,
		mailedDay.Format(time.DateOnly), made.Format(stamp), made.Add(2*time.Second).Format(stamp))
	raw.Close()
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("the mailed day of the fixture: %v, %d rows", err, n)
	}
	smtp := mailtest.Start(t, "", "")
	config, _ := upgradeConfig(t, dir, u)
	conf, _ := os.ReadFile(config)
	// Every day after the mailed one whose report was due (at 06:00 in
	// Copenhagen the day after) was missed; the catch-up reaches back to
	// the mailed day.
	missed, back := 0, 1
	for day := mailedDay.AddDate(0, 0, 2).Add(6 * time.Hour); day.Before(time.Now()); day = day.AddDate(0, 0, 1) {
		missed++
	}
	for day := mailedDay.Add(12 * time.Hour); day.AddDate(0, 0, back).Before(time.Now()); {
		back++
	}
	os.WriteFile(config, append(conf, fmt.Sprintf("report:\n  time_zone: Europe/Copenhagen\n  catch_up_days: %d\n%s",
		back, mailTo(smtp.Host, smtp.Port))...), 0o600)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	waitFor(t, "the missed days mailed", func() bool { return strings.Count(d.log(), `"report mailed"`) >= missed })
	time.Sleep(time.Second) // anything more would be mailed at once with them
	var subjects []string
	again := 0
	for _, m := range smtp.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, p.Subject)
		if strings.Contains(p.Subject, " "+mailedDay.Format("2 Jan")+" ") {
			again++
		}
	}
	if again != 0 || len(subjects) != missed {
		t.Errorf("mails after the upgrade: %q, want the %d days missed once each, and not %s, mailed before it",
			subjects, missed, mailedDay.Format("2 Jan"))
	}
}
