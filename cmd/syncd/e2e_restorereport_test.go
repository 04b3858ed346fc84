package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestRestoredBackupDoesNotMailTheReportAgain follows the README's restore
// steps with a backup taken before the daily report: the restored database
// does not record the report the daemon made after the backup, so its next
// start used to make that report again from the older data, replace the
// workbook in the reports directory with it and mail it a second time.
// Now the start says the database is a restored backup, keeps the
// workbook as it is and mails nothing; the next backup's restore is
// recognised again.
func TestRestoredBackupDoesNotMailTheReportAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n"+mailTo(smtp.Host, smtp.Port))
	db := filepath.Join(dir, "data", "syncd.db")
	installedDaysAgo(t, db, 3) // the daemon makes and mails yesterday's report at start
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)

	d := start(t, config)
	waitFor(t, "the report's mail", func() bool { return len(smtp.Messages()) == 1 })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	books, _ := filepath.Glob(filepath.Join(dir, "data", "reports", "leads-*.xlsx"))
	if len(books) != 1 {
		t.Fatalf("workbooks: %v", books)
	}
	made, err := os.ReadFile(books[0])
	if err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	time.Sleep(10 * time.Millisecond) // a workbook made again would have a later time
	d = start(t, config)
	time.Sleep(2 * time.Second) // the catch-up runs at start: give it time to mail, as it did
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("the report was mailed %d times\n%s", n, d.log())
	}
	if now, err := os.ReadFile(books[0]); err != nil || !bytes.Equal(now, made) {
		t.Fatalf("the workbook made before the restore was replaced (%v)\n%s", err, d.log())
	}
	if strings.Contains(d.log(), `"message":"report made"`) || !strings.Contains(d.log(), "restored from a backup") {
		t.Fatalf("the report was made again, or the start did not say it runs on a restored backup\n%s", d.log())
	}

	// A backup of the restored database, restored in turn, is one again.
	syncdOK(t, "backup", "-config", config, "-out", backup)
	restore(t, backup, db)
	d = start(t, config)
	waitFor(t, "the second restore to be recognised", func() bool {
		return strings.Contains(d.log(), "restored from a backup")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// restore puts backup in place of the database at db as the README's
// restore steps do: the WAL and its index removed, the copy installed.
func restore(t *testing.T, backup, db string) {
	t.Helper()
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
