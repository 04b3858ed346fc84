package main_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusShowsEachInstancesVersion: during a rolling upgrade syncd
// status listed the instances and what each led, but not which syncd each
// ran, so the operator could not see which hosts were done. Each line now
// names the syncd version and schema; an instance still on an older syncd
// (its heartbeat records neither) is named as such, and a line says that
// the versions differ.
func TestStatusShowsEachInstancesVersion(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
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
		return strings.Contains(status, "cluster: 1 instance")
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
	mustContain(t, "status beside an older syncd", status, "cluster: 2 instances",
		"old-host pid 42 listen 10.0.0.12:8080  syncd older (it records no version)  up",
		"versions differ: 1 on older (it records no version), 1 on "+ver+" (schema ",
		"install the same syncd on every host", "does not start again once restarted")
	if !mine.MatchString(status) {
		t.Fatalf("this instance's version gone:\n%s", status)
	}
}

// TestNewSyncLeaderLiftsAPauseWhenItsCheckPasses: on PostgreSQL the same
// fix as TestRestartWithNewTokenResumes, by restarting the fleet after a
// rejected token was replaced: the new sync leader's account check passes
// with the new token, and the leads go out at once. Its check lifted no
// pause stored by the previous leader, so the leads waited out the rest
// of the 15 minutes.
func TestNewSyncLeaderLiftsAPauseWhenItsCheckPasses(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "the-right-token"})
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	fast := "    window: 1s\n" // the new leader lets one rate window pass first
	yaml := func(token string) string {
		y := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "fake-private-app-token\n", token+"\n"+fast, 1)
		return y + pgStore(t, dir, dsn)
	}
	os.WriteFile(file, []byte(yaml("fake-private-app-token")), 0o600)
	d := start(t, file)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "paused") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, []byte(yaml("the-right-token")), 0o600)
	if out, err := syncdCmd("crm", "setup", "-config", file).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	d = start(t, file)
	waitForRecords(t, fake, d, 1, 1, "the fleet restarted with the right token")
	if !strings.Contains(d.log(), "crm pause lifted") {
		t.Fatalf("no \"crm pause lifted\" line:\n%s", d.log())
	}
}

// TestStartExtendsTheTimeoutWhileTheSchemaMigrates: a schema migration, or
// the wait for another instance's, longer than systemd's TimeoutStartSec
// got serve killed, the migration rolled back, and the same again at every
// restart, for ever. Serve now says what it waits for (STATUS=) and keeps
// the start timeout extended (EXTEND_TIMEOUT_USEC) meanwhile.
func TestStartExtendsTheTimeoutWhileTheSchemaMigrates(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const migrateLock = 0x73796e6364 // internal/postgres's: another instance migrating holds it
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		t.Fatal(err)
	}
	n, sock := listenNotify(t)
	seen := make(chan []string, 1)
	go func() { // the other instance's migration ends once serve said it waits for it
		var got []string
		defer func() { seen <- got }()
		timeout := time.After(15 * time.Second)
		for {
			select {
			case m, ok := <-n.got:
				if !ok {
					return
				}
				got = append(got, m)
				if strings.Contains(m, "waiting for another instance") {
					conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrateLock)
				}
				if strings.Contains(m, "READY=1") {
					return
				}
			case <-timeout:
				conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrateLock)
			}
		}
	}()
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn))), 0o600)
	d := start(t, file, "NOTIFY_SOCKET="+sock)
	got := strings.Join(<-seen, " | ")
	mustContain(t, "sd_notify messages", got,
		"STATUS=waiting for another instance to migrate the database schema\nEXTEND_TIMEOUT_USEC=30000000 | "+
			"STATUS=migrating the database schema\nEXTEND_TIMEOUT_USEC=30000000 | ", "READY=1")
	mustContain(t, "log", d.log(), "start: waiting for another instance to migrate the database schema", "start: migrating the database schema")
}
