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
