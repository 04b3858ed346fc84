package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestInstancesWithDifferentSettingsAreNamed: a second instance started on
// the same database with another Lokalebasen token and another retention
// ran without a word: behind the load balancer every other delivery got
// 404 from one of them, and the purge followed whichever led the report.
// The instance warns that its settings differ and in which, and syncd
// status names it; instances that differ only in what is theirs (listen,
// data_dir) are not named.
func TestInstancesWithDifferentSettingsAreNamed(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	instance := func(token, extra string) (string, *daemon) {
		dir := t.TempDir()
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{token}, pgStore(t, dir, dsn)+extra)), 0o600)
		return file, start(t, file)
	}
	file, _ := instance(e2eLBToken, "")
	_, same := instance(e2eLBToken, "")
	waitFor(t, "status to see both", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", file)
		return strings.Contains(out, "cluster: 2 instances")
	})
	if out, _, _ := syncdRun(t, "status", "-config", file); strings.Contains(out+same.log(), "settings differ") {
		t.Fatalf("instances with the same settings said to differ:\n%s%s", out, same.log())
	}
	_, other := instance("another-lokalebasen-token-42", "retention:\n  event_days: 30\n")
	waitFor(t, "the instance that differs to warn", func() bool {
		return strings.Contains(other.log(), `"settings":["retention","sources"],"instances":2`)
	})
	out, _, _ := syncdRun(t, "status", "-config", file)
	if strings.Count(out, "settings differ:") != 1 || !strings.Contains(out, "in retention, sources") {
		t.Fatalf("status with one instance whose settings differ:\n%s", out)
	}
	if strings.Contains(other.log(), "another-lokalebasen-token-42") {
		t.Fatalf("the token was logged:\n%s", other.log())
	}
}
