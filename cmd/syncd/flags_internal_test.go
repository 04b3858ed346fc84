package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestStrayArgumentIsNamed: every command that takes no positional
// argument names the one it was given (events list, status, validate...
// exited 2 in silence; serve, sync, report, crm... ran ignoring it), and
// does nothing else.
func TestStrayArgumentIsNamed(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "none.yaml") // a command that ran would say so
	for _, c := range []struct{ cmd, flags, stray string }{
		{"events list", "", "foo"}, {"outbox list", "", "foo"}, {"status", "", "foo"}, {"validate", "", "foo"},
		{"replay", "", "foo"}, {"backup", "-out x.db", "foo"}, {"serve", "", "foo"}, {"sync", "", "now"},
		{"report", "", "2026-11-28"}, {"crm check", "", "foo"}, {"crm setup", "", "foo"},
		{"fakecrm", "-listen 127.0.0.1:18181", "foo"}, {"migrate-store", "-to postgres", "foo"}, {"purge", "", "now"},
		{"erase", "", "jane@example.com"}, {"export", "", "jane@example.com"},
	} {
		args := append(strings.Fields(c.cmd), strings.Fields(c.flags)...)
		if c.cmd != "fakecrm" {
			args = append(args, "-config", missing)
		}
		args = append(args, c.stray)
		var out, errOut bytes.Buffer
		code := run(args, &out, &errOut)
		want := fmt.Sprintf("syncd %s: unexpected argument %q: ", c.cmd, c.stray)
		if code != exitUsage || !strings.HasPrefix(errOut.String(), want) || out.Len() != 0 {
			t.Errorf("syncd %v: exit %d, stderr %q; want 2 and %q", args, code, errOut.String(), want)
		}
	}
}

// TestFlagsBeforeTheSubcommand: flags put between a command group and its
// subcommand (syncd events -config X list) reach the subcommand, as they
// do after it; they were refused as an "unknown subcommand".
func TestFlagsBeforeTheSubcommand(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "none.yaml") // the subcommand ran when it says so
	for _, args := range [][]string{
		{"events", "-config", missing, "list"}, {"events", "-since", "24h", "-config=" + missing, "list", "-json"},
		{"events", "-config", missing, "-quarantined", "show", "7"}, {"outbox", "-config", missing, "list"},
		{"crm", "-config", missing, "check"}, {"crm", "-dry-run", "-config", missing, "setup"},
	} {
		var out, errOut bytes.Buffer
		code := run(args, &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), "read config: open "+missing) {
			t.Errorf("syncd %v: exit %d, stderr %q; want the configuration read", args, code, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"events", "-config", missing, "lsit"}, &out, &errOut); code != exitUsage ||
		!strings.Contains(errOut.String(), `unknown subcommand "lsit"`) {
		t.Errorf("a misspelt subcommand: exit %d, stderr %q", code, errOut.String())
	}
}
