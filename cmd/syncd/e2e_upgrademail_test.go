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
// 2026-11-30 (here taken as made once that day was over: the fixture's
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
	res, err := raw.Exec(`UPDATE reports SET created_at = '2026-12-01T05:00:02.500000Z', mailed_at = '2026-12-01T05:00:04.500000Z'
		WHERE day = '2026-11-30' AND mail_state = 'sent'`)
	raw.Close()
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("the mailed day of the fixture: %v, %d rows", err, n)
	}
	smtp := mailtest.Start(t, "", "")
	config, _ := upgradeConfig(t, dir, u)
	conf, _ := os.ReadFile(config)
	// Every day from 2026-12-01 whose report was due (at 06:00 in
	// Copenhagen the day after) was missed; the catch-up reaches back to
	// 2026-11-30 whenever this runs.
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	missed, back := 0, 1
	for day := time.Date(2026, 12, 2, 6, 0, 0, 0, loc); day.Before(time.Now()); day = day.AddDate(0, 0, 1) {
		missed++
	}
	for day := time.Date(2026, 11, 30, 12, 0, 0, 0, loc); day.AddDate(0, 0, back).Before(time.Now()); {
		back++
	}
	os.WriteFile(config, append(conf, fmt.Sprintf("report:\n  time_zone: Europe/Copenhagen\n  catch_up_days: %d\n%s",
		back, mailTo(smtp.Host, smtp.Port))...), 0o600)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	waitFor(t, "the missed days mailed", func() bool { return strings.Count(d.log(), `"report mailed"`) >= missed })
	time.Sleep(time.Second) // anything more would be mailed at once with them
	days := map[string]int{}
	for _, m := range smtp.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		subject := p.Subject
		for _, day := range []string{"30 Nov", "1 Dec", "2 Dec", "3 Dec", "4 Dec"} {
			if strings.Contains(subject, " "+day+" ") {
				days[day]++
			}
		}
	}
	if days["30 Nov"] != 0 || len(smtp.Messages()) != missed {
		t.Errorf("mails after the upgrade: %d (%v), want the %d days missed once each, and not 30 Nov, mailed before it", len(smtp.Messages()), days, missed)
	}
}
