package main_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReportAfterAReloadShowsPhonesAsTheMappingsReadThem: `systemctl
// reload syncd` after a source's default_country changed had the
// mappings read a phone without a country code in the new country, but
// the daemon's reports went on showing it in the country it started
// with: "52 25 05 59", sent to the CRM as +4652250559 (by a mapping
// writing it to HubSpot's mobilephone, which the Leads sheet does not take
// its phone from), showed as +45 52 25 05 59, a Danish number, until a
// restart. The daily report made after the reload shows it as the
// mappings read it, +46 522 505 59.
func TestReportAfterAReloadShowsPhonesAsTheMappingsReadThem(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	cph := mustZone(t, "Europe/Copenhagen")
	now := time.Now().In(cph)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, cph)
	if now.Sub(today) < 15*time.Minute || today.AddDate(0, 0, 1).Sub(now) < 15*time.Minute {
		t.Skip("within 15 minutes of midnight in Copenhagen: the report's day would change under the test")
	}
	yesterday := today.AddDate(0, 0, -1)
	// The daily run of yesterday's report is one to two minutes on (at
	// least a minute: the daemon starts, reloads and maps the lead before
	// it, a few seconds on a quiet machine), and makes the report then.
	// Two to three minutes made this the package's longest test, which
	// the whole package waited for.
	run := now.UTC().Truncate(time.Minute).Add(time.Minute)
	if run.Sub(now) < time.Minute {
		run = run.Add(time.Minute)
	}

	dir := t.TempDir()
	maps := filepath.Join(dir, "mappings")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	rule, err := os.ReadFile("../../mappings/hubspot/lokalebasen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const phone = "      phone: {expr: 'phone(payload.client.phone)'}\n"
	if !strings.Contains(string(rule), phone) {
		t.Fatalf("the shipped Lokalebasen mapping no longer writes %q", phone)
	}
	rule = []byte(strings.Replace(string(rule), phone, "      mobilephone: {expr: 'phone(payload.client.phone)'}\n", 1))
	if err := os.WriteFile(filepath.Join(maps, "lokalebasen.yaml"), rule, 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "syncd.yaml")
	write := func(country string) {
		t.Helper()
		yaml := fmt.Sprintf(`listen: 127.0.0.1:0
data_dir: %s
sources:
  lokalebasen:
    kind: lokalebasen
    tokens: [%s]
    default_country: %s
mapping:
  dir: %s
report:
  schedule: "CRON_TZ=UTC %d %d * * *"
`, filepath.Join(dir, "data"), e2eLBToken, country, maps, run.Minute(), run.Hour())
		if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("DK")
	// Installed yesterday morning: yesterday's report is due at the run.
	makeDB(t, dir)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetStateValue(context.Background(), "installed_at", syncd.FormatTime(yesterday.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	db.Close()

	d := start(t, config)
	write("SE")
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	id := postTestdata(t, d, "lokalebasen/enquiry_created.json").ID
	sqlDB := openDB(t, filepath.Join(dir, "data", "syncd.db"))
	var sent string
	waitFor(t, "the lead's contact in the outbox", func() bool {
		return sqlDB.QueryRow(`SELECT properties FROM outbox WHERE event_id = ? AND kind = 'contact'`, id).Scan(&sent) == nil
	})
	if !strings.Contains(sent, `"mobilephone":"+4652250559"`) {
		t.Fatalf("the reloaded mapping did not read the phone as Swedish: nothing to test\n%s", sent)
	}
	// Received yesterday, the day the run reports.
	when := syncd.FormatTime(yesterday.Add(12 * time.Hour))
	if _, err := sqlDB.Exec(`UPDATE events SET received_at = ?1, last_delivery_at = ?1 WHERE id = ?2`, when, id); err != nil {
		t.Fatal(err)
	}

	if time.Now().After(run) {
		t.Fatalf("the lead was received and moved to yesterday only at %s, after the report's run at %s",
			time.Now().UTC().Format(time.TimeOnly), run.Format(time.TimeOnly))
	}
	workbook := filepath.Join(dir, "data", "reports", "leads-"+yesterday.Format(time.DateOnly)+".xlsx")
	for deadline := run.Add(2 * time.Minute); ; time.Sleep(time.Second) {
		if _, err := os.Stat(workbook); err == nil && strings.Contains(d.log(), `"message":"report made"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no report %s by %s:\n%s", workbook, deadline.Format(time.TimeOnly), d.log())
		}
	}
	text := workbookText(t, workbook)
	if !strings.Contains(text, "+46 522 505 59") || strings.Contains(text, "+45 52 25 05 59") {
		t.Errorf("the report after the reload does not show the phone as the mappings read it (+46 522 505 59):\n%s", text)
	}
}
