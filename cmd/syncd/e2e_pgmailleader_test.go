package main_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStatusOnASilentInstanceNamesWhoRetriesThePendingMail: syncd status
// asking an instance of a PostgreSQL cluster that does not answer (stopped
// on this host), another instance running and leading the report, said of
// the last report's pending mail "no daemon answers here to retry it: it
// goes when the daemon starts": the report leader retries it. It names
// that instance.
func TestStatusOnASilentInstanceNamesWhoRetriesThePendingMail(t *testing.T) {
	notInShort(t, longOnPostgres)
	leadsReport := regexp.MustCompile(`leads \S*report`) // the cluster's line of the instance
	t.Parallel()
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	cfg := configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn))
	running := filepath.Join(dir, "running.yaml")
	os.WriteFile(running, []byte(strings.Replace(cfg, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)), 0o600)
	silent := filepath.Join(dir, "silent.yaml")
	os.WriteFile(silent, []byte(strings.Replace(cfg, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)), 0o600)
	start(t, running)
	waitFor(t, "the instance to lead the report", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", running)
		return strings.Contains(out, "cluster: 1 instance") && leadsReport.MatchString(out)
	})

	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().AddDate(0, 0, -2).Format(time.DateOnly)
	err = db.RecordReport(context.Background(), syncd.ReportRecord{Day: day, Path: filepath.Join(dir, "r.xlsx"),
		CreatedAt: time.Now().Add(-time.Hour), Mail: syncd.MailPending, Attempts: 1, MailError: "421 try later"})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, _ := syncdRun(t, "status", "-config", silent)
	host, _ := os.Hostname()
	if !strings.Contains(out, "of "+day+", its mail PENDING: being sent or retried by the instance leading the report, "+host+" pid ") ||
		strings.Contains(out, "no daemon answers here") {
		t.Errorf("status on the silent instance, the report leader running:\n%s%s", out, stderr)
	}
}
