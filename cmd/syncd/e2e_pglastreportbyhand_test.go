package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusOnPostgresSeesAReportMadeByHand: two instances share a
// PostgreSQL database and no mail is configured; the operator makes
// today's report by hand on the host that leads nothing (a look, said so:
// TestStatusSaysAReportOfTodayByHandIsALook), then yesterday's and an
// older day's. Status, asked of the running instance, says yesterday's is the
// last report, when it was made, where "last report never" would send the
// operator to make it again (TestReportsByHandLeaveTheLastReport covers
// SQLite with mail; this the shared store without it).
func TestStatusOnPostgresSeesAReportMadeByHand(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "running", "other")
	d := start(t, cfgs[0])
	defer d.stop(t, syscall.SIGTERM)
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	day := func(n int) string { return time.Now().In(loc).AddDate(0, 0, n).Format(time.DateOnly) }
	if out, errOut, code := syncdRun(t, "status", "-config", cfgs[0]); !strings.Contains(out, "last report   never") {
		t.Fatalf("status before any report: exit %d\n%s%s", code, out, errOut)
	}
	syncdOK(t, "report", "-config", cfgs[1], "-date", day(0))
	if out, _, _ := syncdRun(t, "status", "-config", cfgs[0]); !strings.Contains(lineWith(out, "last report"),
		"none of a whole day yet; the report of "+day(0)+" made by hand at ") && time.Now().In(loc).Format(time.DateOnly) == day(0) {
		t.Errorf("status after a report of today by hand: %s", out)
	}
	syncdOK(t, "report", "-config", cfgs[1], "-date", day(-1))
	syncdOK(t, "report", "-config", cfgs[1], "-date", day(-5))
	for _, cfg := range cfgs { // the running instance, and the other with none answering at its address
		out, errOut, _ := syncdRun(t, "status", "-config", cfg)
		if line := lineWith(out, "last report"); !strings.Contains(line, "ago), of "+day(-1)) || strings.Contains(line, "never") {
			t.Errorf("status of %s after reports by hand: %q, want yesterday's, %s\n%s%s", cfg, line, day(-1), out, errOut)
		}
	}
}
