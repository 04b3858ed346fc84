package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestTheReportLeadIsSaidWhereItMoves: on PostgreSQL the journal said
// "leading sync" on the instance that took the sync's lead, at the start
// and when a restart moved it, and nothing of the report's lead, so an
// operator could not tell from the journal which host makes the daily
// report in its own report.dir. The instance taking it now says so, once.
func TestTheReportLeadIsSaidWhereItMoves(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	_, ds := twoInstances(t, func(dir, dsn string) string {
		return configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn))
	})
	const line = `"message":"leading report: the daily report is made here, in this host's report.dir"`
	leader := -1
	waitFor(t, "an instance to say it leads the report", func() bool {
		for i, d := range ds {
			if strings.Contains(d.log(), line) {
				leader = i
				return true
			}
		}
		return false
	})
	other := 1 - leader
	if strings.Contains(ds[other].log(), line) {
		t.Fatalf("both instances say they lead the report:\n%s\n%s", ds[0].log(), ds[1].log())
	}
	ds[leader].stop(t, syscall.SIGTERM)
	waitFor(t, "the other instance to say it leads the report", func() bool { return strings.Contains(ds[other].log(), line) })
	if n := strings.Count(ds[other].log(), line); n != 1 {
		t.Errorf("the new leader said it %d times", n)
	}
}
