package main_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEraseOnAnotherHostNamesTheWorkbook: two hosts share one PostgreSQL
// database; the report leader's workbook lists a lead. Erasing the person
// on the other host erases the database but cannot rewrite that workbook:
// erase says so and names the way out to have it at once, and that way
// out rewrites it. Exit 0: the instance on that host makes its copy again
// by itself (at its start, within the hour), and erase run again finds
// nothing to do; erase exited 1, "failed partway: run it again to finish",
// at every erase on a host other than the one that made the day's report.
func TestEraseOnAnotherHostNamesTheWorkbook(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "leader", "other")
	d := start(t, cfgs[0])
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, lead); err != nil || a.Status != "accepted" {
		t.Fatalf("post: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	day := leadsDay(t, cfgs[0])
	book := strings.TrimSpace(syncdOK(t, "report", "-config", cfgs[0], "-date", day))
	lists := func() bool {
		b, err := os.ReadFile(book)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Contains(unzipAll(t, b), []byte("support@estateagentfeeds.com"))
	}

	out, errOut, code := syncdRun(t, "erase", "-config", cfgs[1], "-email", "support@estateagentfeeds.com")
	if code != 0 || !strings.HasPrefix(out, "erased: 1 event") || errOut != "" ||
		!strings.Contains(out, "leads-"+day+".xlsx, made on another host (it is not in ") || !strings.Contains(out, "syncd report -date "+day) {
		t.Fatalf("erase on the other host: exit %d\n%s%s", code, out, errOut)
	}
	if !lists() {
		t.Fatal("the leader's workbook did not list the person before the way out")
	}
	if out := syncdOK(t, "report", "-config", cfgs[0], "-date", day); strings.TrimSpace(out) != book {
		t.Fatalf("the way out made %q, want %s", out, book)
	}
	if lists() {
		t.Fatal("the workbook made again still lists the person")
	}
	if out := syncdOK(t, "erase", "-config", cfgs[0], "-email", "support@estateagentfeeds.com"); !strings.HasPrefix(out, "erased: 0 events") {
		t.Fatalf("erase again on the leader: %s", out)
	}
}

// pgHosts writes the configurations of instances on hosts, all on the
// database dsn, each with its own data directory (its reports directory
// in it) and extra, and returns their paths.
func pgHosts(t *testing.T, dsn, extra string, hosts ...string) []string {
	t.Helper()
	var cfgs []string
	for _, host := range hosts {
		dir := filepath.Join(t.TempDir(), host)
		os.MkdirAll(dir, 0o700)
		cfg := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(cfg, []byte(configYAML(dir, []string{e2eLBToken}, extra+pgStore(t, dir, dsn))), 0o600)
		cfgs = append(cfgs, cfg)
	}
	return cfgs
}

// TestInstanceNotLeadingPrunesItsReports: an instance that does not lead
// the report (another does) still deletes the workbooks in its own
// report.dir past report.keep_days, made while it led, and keeps the
// recent ones.
func TestInstanceNotLeadingPrunesItsReports(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, stop := context.WithCancel(context.Background())
	leading, led := make(chan struct{}), make(chan error)
	go func() {
		led <- db.Lead(ctx, "report", func(ctx context.Context) error { close(leading); <-ctx.Done(); return nil })
	}()
	defer func() { stop(); <-led }()
	<-leading
	dir := t.TempDir()
	cfg := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(cfg, []byte(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn))), 0o600)
	reports := filepath.Join(dir, "data", "reports")
	os.MkdirAll(reports, 0o700)
	old := filepath.Join(reports, "leads-2026-01-02.xlsx")
	recent := filepath.Join(reports, "leads-"+time.Now().Format(time.DateOnly)+".xlsx")
	for _, f := range []string{old, recent} {
		os.WriteFile(f, []byte("workbook"), 0o600)
	}
	start(t, cfg)
	waitFor(t, "the old workbook deleted", func() bool { _, err := os.Stat(old); return os.IsNotExist(err) })
	if _, err := os.Stat(recent); err != nil {
		t.Fatalf("a recent workbook: %v", err)
	}
}
