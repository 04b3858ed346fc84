package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRestoredBackupReportSaysLeadsWereLost: a lead answered after the
// backup was taken is not in the restored database, and its sender does
// not send it again. The day's report, made from the restore, listed the
// leads the backup held as if they were all, without a word. Now it
// carries an alarm from when the backup was taken until the restore.
func TestRestoredBackupReportSaysLeadsWereLost(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	backup := backUp(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // answered, then lost with the restore
	waitForRecords(t, fake, d, 2, 2, "the two leads")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	summary, _ := todaysReport(t, config, dir, "today.xlsx").GetRows("Summary")
	var alarms []string
	for _, row := range summary {
		if len(row) > 0 && strings.HasPrefix(row[0], "ALARM: ") {
			alarms = append(alarms, strings.ReplaceAll(row[0], "\n", " "))
		}
	}
	if joined := strings.Join(alarms, "\n"); !strings.Contains(joined, "restored from a backup") ||
		!strings.Contains(joined, "not in its database, nor in this report") || !strings.Contains(joined, "until ") {
		t.Errorf("the report of the day of the restore, whose leads after the backup are lost: alarms %q", alarms)
	}
}

// startWithTheLead starts a daemon in dir on a stand-in HubSpot (set up)
// and posts the Estate Agent Feeds example lead: the start of the restore
// tests. It returns the CRM, the configuration, the database's path and
// the daemon.
func startWithTheLead(t *testing.T, dir string) (*crmfake.Server, string, string, *daemon) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	return fake, config, filepath.Join(dir, "data", "syncd.db"), d
}

// backUp runs syncd backup of config's database and returns the copy's path.
func backUp(t *testing.T, config string) string {
	t.Helper()
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	return backup
}
