package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestMigrateStoreRefusedBesideTheDaemon: the README says to stop the
// daemon before syncd migrate-store, but an operator who forgot (or whose
// systemd unit restarted it) got a copy and "copied ...": every lead the
// SQLite daemon took after it stayed behind, never seen on PostgreSQL.
// migrate-store refuses while a daemon serves the database, naming it,
// and copies nothing, saying to stop it and run migrate-store again; once
// the daemon is stopped it copies. Run again, it says the copy is made
// and whole, exit 0 (TestCopyAgainSaysWhatWasCopied, internal/postgres:
// and when the SQLite database changed since); after a syncd ran on the
// SQLite database it says so, exit 2.
func TestMigrateStoreRefusedBesideTheDaemon(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	d, lite := startWithALead(t, dir)
	pg := filepath.Join(dir, "postgres.yaml")
	os.WriteFile(pg, []byte(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn))), 0o600)

	// It said serve's advice, "(a second daemon: give it a data_dir of
	// its own)", which is no way to migrate.
	out, errOut, code := syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 4 || strings.Contains(out, "copied") || strings.Contains(errOut, "data_dir of its own") ||
		!strings.Contains(errOut, fmt.Sprintf("pid %d", d.cmd.Process.Pid)) ||
		!strings.Contains(errOut, "systemctl stop syncd") || !strings.Contains(errOut, "run syncd migrate-store again") {
		t.Fatalf("migrate-store beside the daemon: exit %d\n%s%s", code, out, errOut)
	}
	if got := syncdJSON(t, "events", "list", "-json", "-config", pg); len(got) != 0 {
		t.Fatalf("%d events copied beside the daemon", len(got))
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if out := syncdOK(t, "migrate-store", "-to", "postgres", "-config", pg); !strings.Contains(out, "events     1 row\n") {
		t.Fatalf("migrate-store once the daemon stopped: %s", out)
	}

	// Run again (a script, a second try after a lost terminal), it was
	// refused, exit 2, "already holds events (1): copy into an empty
	// one": whether the copy was whole was for the operator to remember.
	out, errOut, code = syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 0 {
		t.Fatalf("migrate-store run again after the copy: exit %d, want 0\n%s%s", code, out, errOut)
	}
	mustContain(t, "migrate-store run again", out, "was copied into", "it holds nothing the copy did not bring: nothing to copy again")
	// The copy's time in report.time_zone (Europe/Copenhagen here), as
	// every other command says a time: it was the machine's zone.
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	if copied := time.Now().In(cph).Format(" -07:00 ("); !strings.Contains(out, copied) {
		t.Errorf("migrate-store run again: the copy's time not in report.time_zone (%q):\n%s", copied, out)
	}

	// A syncd run on the SQLite database after the copy (here syncd
	// sync, sending its lead) changed it: what it did is not on PostgreSQL.
	syncdRun(t, "sync", "-config", lite)
	out, errOut, code = syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 2 {
		t.Fatalf("migrate-store after a syncd ran on the SQLite database: exit %d, want 2\n%s%s", code, out, errOut)
	}
	mustContain(t, "migrate-store after a syncd ran on the SQLite database", errOut, "and it changed since (copied: events 1 row",
		"a syncd ran on it after the copy", "Nothing copied")
}

// TestMigrateStoreAfterATrialStart: an operator who started an instance on
// the new PostgreSQL database before the copy (to see that it connects;
// the README says each instance migrates the schema at start) got
// "copy: write state: ERROR: duplicate key value violates unique
// constraint "state_pkey"", exit 1: the start had recorded its own state
// rows (when syncd was installed, ...) in a database holding no lead. The
// copy replaces what a start records; a database holding deliveries is
// still refused, saying what it holds.
func TestMigrateStoreAfterATrialStart(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	d, lite := startWithALead(t, dir)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	pg := filepath.Join(dir, "postgres.yaml")
	os.WriteFile(pg, []byte(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn))), 0o600)
	trial := start(t, pg)
	if err := trial.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if out := syncdOK(t, "migrate-store", "-to", "postgres", "-config", pg); !strings.Contains(out, "events     1 row") {
		t.Fatalf("migrate-store after a trial start: %s", out)
	}
	before := syncdJSON(t, "events", "list", "-json", "-config", lite)
	if after := syncdJSON(t, "events", "list", "-json", "-config", pg); fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("events differ after the copy:\n%v\n%v", before, after)
	}

	// A database that took a delivery (a quarantined body) is not empty.
	other := pgStore(t, t.TempDir(), pgtest.DSN(t))
	os.WriteFile(pg, []byte(configYAML(dir, []string{e2eLBToken}, other)), 0o600)
	trial = start(t, pg)
	if a, err := post(trial.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_id": bad`)); err != nil || a.Status != "quarantined" {
		t.Fatalf("post: %+v %v", a, err)
	}
	trial.stop(t, syscall.SIGTERM)
	out, errOut, code := syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 2 || !strings.Contains(errOut, "quarantined bodies (1)") || !strings.Contains(errOut, "copy into an empty one") {
		t.Fatalf("migrate-store into a database holding a delivery: exit %d, want 2 saying what it holds\n%s%s", code, out, errOut)
	}
}

// startWithALead starts a daemon on SQLite in dir and has it accept the
// Estate Agent Feeds example lead; it returns the daemon and its
// configuration file.
func startWithALead(t *testing.T, dir string) (*daemon, string) {
	t.Helper()
	config := writeConfig(t, dir)
	d := start(t, config)
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, lead); err != nil || a.Status != "accepted" {
		t.Fatalf("post: %+v %v", a, err)
	}
	return d, config
}
