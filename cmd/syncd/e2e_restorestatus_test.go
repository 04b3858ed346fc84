package main_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestRestoredBackupStatusSeesTheKeptReport: the daemon made and mailed
// yesterday's report after the backup was taken; the restore keeps that
// workbook, but the restored database does not record it, so `syncd
// status` said "last report never" (or the backup's older report, and the
// 26 h alert on syncd_last_report_timestamp_seconds fired until the next
// run). Now the start records the kept workbook, at its time, as kept from
// before the restore with its mail not recorded.
func TestRestoredBackupStatusSeesTheKeptReport(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir, addr := t.TempDir(), freeAddr(t)
	config := filepath.Join(dir, "syncd.yaml")
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo(smtp.Host, smtp.Port)),
		"listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
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
	day := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(books[0]), "leads-"), ".xlsx")
	st, err := os.Stat(books[0])
	if err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the workbook kept", func() bool { return strings.Contains(d.log(), "report kept as it is") })
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 0 || !strings.Contains(out, "of "+day+", kept from before the restore") {
		t.Errorf("status after the restore: exit %d, want the report of %s kept\n%s\n%s", code, day, out, d.log())
	}
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	line := metricLine(string(body), "syncd_last_report_timestamp_seconds")
	v, err := strconv.ParseFloat(strings.TrimPrefix(line, "syncd_last_report_timestamp_seconds "), 64)
	if err != nil || v < float64(st.ModTime().Unix()-1) || v > float64(st.ModTime().Unix()+1) {
		t.Errorf("/metrics after the restore: %q (%v), want the kept workbook's time %d", line, err, st.ModTime().Unix())
	}
}

// metricLine is the line of /metrics body that sets name, without labels.
func metricLine(body, name string) string {
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, name+" ") {
			return l
		}
	}
	return ""
}
