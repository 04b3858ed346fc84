package main_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// pgBin is where the PostgreSQL tests find pg_dump and pg_restore.
const pgBin = "/usr/lib/postgresql/15/bin"

// TestPostgresRestoreErasesAgainWhoWasErasedAfterTheDump: on PostgreSQL
// a pg_dump restored brought back, silently, whoever was erased after it
// was taken (the audit trail is restored as old as the rest): status said
// nothing and every instance went on mapping and sending the person.
// Each instance now logs the erasures run on its host in its data
// directory, as on SQLite; status says ERASURE UNDONE (exit 5) while the
// database lacks one and holds the person again, and the instance's
// start erases them again and says so.
func TestPostgresRestoreErasesAgainWhoWasErasedAfterTheDump(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	config := pgHosts(t, dsn, "", "a")[0]
	restoredAfterErase(t, dsn, config, "-email", e2eJane.email)

	out, _, code := syncdRun(t, "status", "-config", config) // exit 5 too for want of a running instance
	if code != 5 || !strings.Contains(out, "ERASURE UNDONE: the erasure of ") {
		t.Errorf("status on the restored dump that holds Jane again: exit %d, want 5 and ERASURE UNDONE:\n%s", code, out)
	}
	d := start(t, config)
	waitFor(t, "the erasure applied again", func() bool {
		return strings.Contains(d.log(), "erasure run on this host, undone by a restore of the database, applied again")
	})
	if got := metricLine(metricsText(t, d.url), "syncd_restore_erasures_undone"); got != "syncd_restore_erasures_undone 0" {
		t.Errorf("/metrics once the erasure was made again: %q", got)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := janeEvents(t, config); n != 0 {
		t.Errorf("Jane is still in %d events after the start", n)
	}
	if out, _, _ := syncdRun(t, "status", "-config", config); strings.Contains(out, "ERASURE UNDONE") {
		t.Errorf("status once the erasure was made again:\n%s", out)
	}
	if hits := e2eHits(t, filepath.Dir(config), e2eJane.needles()); len(hits) > 0 {
		t.Errorf("the data directory names Jane (the erasure log must hold keyed hashes only): %v", hits)
	}
}

// restoredAfterErase leaves the PostgreSQL database dsn of the instance
// configured by config as a pg_dump taken before Jane was erased (by
// erase, syncd erase's flags) restored: an instance received and mapped
// her Lokalebasen lead, was stopped, the dump taken, Jane erased, the dump
// restored. No instance runs.
func restoredAfterErase(t *testing.T, dsn, config string, erase ...string) {
	t.Helper()
	d := start(t, config)
	dl := e2eJane.deliveries(t)[1] // a Lokalebasen lead
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(dl[1])); err != nil || a.Status != "accepted" {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitMapped(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(t.TempDir(), "syncd.dump")
	if out, err := exec.Command(filepath.Join(pgBin, "pg_dump"), "-Fc", "-f", dump, "-d", dsn).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if out := syncdOK(t, append([]string{"erase", "-config", config}, erase...)...); !strings.HasPrefix(out, "erased: 1 event") {
		t.Fatalf("erase %v:\n%s", erase, out)
	}
	if out, err := exec.Command(filepath.Join(pgBin, "pg_restore"), "--clean", "--if-exists", "--single-transaction",
		"-d", dsn, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	if janeEvents(t, config) == 0 {
		t.Fatal("the restored dump does not hold Jane again: the test restores nothing")
	}
}

// janeEvents is how many events syncd export finds of Jane.
func janeEvents(t *testing.T, config string) int {
	t.Helper()
	var ex struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", e2eJane.email)), &ex); err != nil {
		t.Fatal(err)
	}
	return len(ex.Events)
}
