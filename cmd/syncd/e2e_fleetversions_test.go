package main_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusShowsEachInstancesVersion: during a rolling upgrade syncd
// status listed the instances and what each led, but not which syncd each
// ran, so the operator could not see which hosts were done. Each line now
// names the syncd version and schema; an instance still on an older syncd
// (its heartbeat records neither) is named as such, and a line says that
// the versions differ.
func TestStatusShowsEachInstancesVersion(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn)), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	os.WriteFile(file, []byte(yaml), 0o600)
	start(t, file)
	out, _, _ := syncdRun(t, "version")
	ver := strings.TrimSpace(strings.TrimPrefix(out, "syncd "))
	mine := regexp.MustCompile(`pid \d+ listen 127\.0\.0\.1:\d+  syncd ` + regexp.QuoteMeta(ver) + ` \(schema \d+\)  up`)
	var status string
	waitFor(t, "status to list the instance", func() bool {
		status, _, _ = syncdRun(t, "status", "-config", file)
		return strings.Contains(status, "cluster: 1 instance(s)")
	})
	if !mine.MatchString(status) || strings.Contains(status, "versions differ") {
		t.Fatalf("one instance: no version, or a difference said:\n%s", status)
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn) // an instance still on the older syncd, its heartbeat word for word
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	now := time.Now().UTC()
	if _, err := conn.Exec(ctx, `INSERT INTO instances (id, host, pid, listen, started_at, seen_at, leads)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, "old-host:42:x", "old-host", 42, "10.0.0.12:8080", now.Add(-time.Hour), now, "report"); err != nil {
		t.Fatal(err)
	}
	status, _, _ = syncdRun(t, "status", "-config", file)
	mustContain(t, "status beside an older syncd", status, "cluster: 2 instance(s)",
		"old-host pid 42 listen 10.0.0.12:8080  syncd older (it records no version)  up",
		"versions differ: 1 on older (it records no version), 1 on "+ver+" (schema ",
		"install the same syncd on every host", "does not start again once restarted")
	if !mine.MatchString(status) {
		t.Fatalf("this instance's version gone:\n%s", status)
	}
}
