package main_test

import (
	"net"
	"strings"
	"testing"
)

// TestCommandsNameSettingsAsTheReferenceDoes: past syncd validate, the
// commands named a setting with a space where docs/configuration.md and
// validate write it dotted: crm check of a dry run said "crm kind dryrun:
// no CRM account to check", migrate-store "has store kind sqlite; set
// store: {kind: postgres, dsn: ...}", serve of a metrics address another
// program holds "metrics listen: listen tcp ...", report -h "in the report
// time zone". Each now names crm.kind, store.kind, metrics.listen,
// report.time_zone.
func TestCommandsNameSettingsAsTheReferenceDoes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	config := writeConfigWith(t, dir, "metrics:\n  listen: "+taken.Addr().String()+"\n")

	for _, sub := range []string{"check", "setup"} {
		stdout, stderr, code := syncdRun(t, "crm", sub, "-config", config)
		what := map[string]string{"check": "check", "setup": "set up"}[sub]
		if want := "crm.kind dryrun: no CRM account to " + what + " (crm.kind hubspot or pipedrive is a real one)\n"; code != 0 || stdout != want {
			t.Errorf("crm %s of a dry run: exit %d\n%s%s\nwant exit 0 and %q", sub, code, stdout, stderr, want)
		}
	}
	_, stderr, code := syncdRun(t, "migrate-store", "-to", "postgres", "-config", config)
	if want := "has store.kind sqlite: set store.kind postgres, and store.dsn or store.dsn_file to the database to copy into"; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("migrate-store of an SQLite configuration: exit %d\n%s\nwant exit 2 and %q", code, stderr, want)
	}
	stdout, stderr, code := syncdRun(t, "serve", "-config", config)
	if want := `metrics.listen: listen tcp ` + taken.Addr().String(); code == 0 || !strings.Contains(stdout+stderr, want) {
		t.Errorf("serve on a metrics address another program holds: exit %d\n%s%s\nwant %q", code, stdout, stderr, want)
	}
	stdout, stderr, _ = syncdRun(t, "report", "-h")
	if want := "today or yesterday, in report.time_zone (default yesterday)"; !strings.Contains(stdout+stderr, want) {
		t.Errorf("report -h:\n%s%s\nwant %q", stdout, stderr, want)
	}
}
