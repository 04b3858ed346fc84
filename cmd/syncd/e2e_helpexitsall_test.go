package main_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryCommandsHelpGivesItsExitStatuses: beside status, sync, crm check
// and validate, the commands an operator scripts or runs from cron (serve
// under systemd, report, erase, export, backup, purge, replay,
// migrate-store) listed only their flags in -h, no exit status (the README
// gave them, if at all, within a long row). Each -h ends with its
// statuses now, 0 first, each once, and the statuses a few of them say are
// the ones they exit with.
func TestEveryCommandsHelpGivesItsExitStatuses(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	for _, cmd := range []string{"serve", "report", "erase", "export", "backup", "purge", "replay", "migrate-store"} {
		help, _, code := syncdRun(t, cmd, "-h")
		got := helpExits(help)
		if code != 0 || len(got) < 3 || got[0] != "0" || !slices.Contains(got, "2") || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("syncd %s -h (exit %d) lists exit statuses %v:\n%s", cmd, code, got, help)
		}
	}
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, c := range []struct {
		args []string
		want string
		says string // in the -h's line for that status
	}{
		{[]string{"backup", "-out", dir}, "2", "a directory"},
		// A directory mistyped: exit 2 as report -out's, where it was 1, a failure.
		{[]string{"backup", "-out", filepath.Join(dir, "no-such-dir", "copy.db")}, "2", "a directory that does not exist"},
		{[]string{"erase", "-event", "999"}, "2", "no such event"},
		{[]string{"export", "-event", "999"}, "2", "no such event"},
		{[]string{"report", "-date", "2999-01-01"}, "2", "a day not begun"},
		{[]string{"backup", "-out", filepath.Join(dir, "copy.db")}, "0", "the copy written"},
	} {
		_, stderr, code := syncdRun(t, append(c.args, "-config", config)...)
		help, _, _ := syncdRun(t, c.args[0], "-h")
		line := ""
		for _, l := range strings.Split(help, "\n") {
			if strings.HasPrefix(l, "  "+c.want+"  ") {
				line = l
			}
		}
		if want := int(c.want[0] - '0'); code != want || !strings.Contains(line, c.says) {
			t.Errorf("syncd %v: exit %d, want %s, which its -h says is %q: %q\n%s", c.args, code, c.want, c.says, line, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "copy.db")); err != nil {
		t.Error(err)
	}
}

// TestListAndShowHelpGiveTheirExitStatuses: events list, events show,
// outbox list and outbox show, which scripts read (-json), listed only
// their flags in -h, no exit status, though show exits 3 for an ID not
// held. Each -h ends with its statuses now, and the commands exit with
// the statuses their -h names.
func TestListAndShowHelpGiveTheirExitStatuses(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, c := range []struct {
		cmd  []string
		args []string
		want string
		says string // in the -h's line for that status
	}{
		{[]string{"events", "show"}, []string{"999"}, "3", "no such ID held (syncd events list"},
		{[]string{"events", "show"}, []string{"-quarantined", "999"}, "3", "syncd events list -quarantined"},
		{[]string{"events", "show"}, []string{"x"}, "2", "an ID that is not a number"},
		{[]string{"outbox", "show"}, []string{"999"}, "3", "no such ID held (syncd outbox list lists them)"},
		{[]string{"events", "list"}, []string{"-source", "nosuch"}, "2", "-source"},
		{[]string{"events", "list"}, nil, "0", "an empty listing too"},
		{[]string{"outbox", "list"}, []string{"-state", "deadd"}, "2", "-state"},
		{[]string{"outbox", "list"}, []string{"-json"}, "0", "listed"},
	} {
		_, stderr, code := syncdRun(t, append(append(slices.Clone(c.cmd), c.args...), "-config", config)...)
		help, _, hcode := syncdRun(t, append(slices.Clone(c.cmd), "-h")...)
		got := helpExits(help)
		if hcode != 0 || len(got) < 4 || got[0] != "0" || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("syncd %v -h (exit %d) lists exit statuses %v:\n%s", c.cmd, hcode, got, help)
		}
		line := ""
		for _, l := range strings.Split(help, "\n") {
			if strings.HasPrefix(l, "  "+c.want+"  ") {
				line = l
			}
		}
		if want := int(c.want[0] - '0'); code != want || !strings.Contains(line, c.says) {
			t.Errorf("syncd %v %v: exit %d, want %s, which its -h says is %q: %q\n%s", c.cmd, c.args, code, c.want, c.says, line, stderr)
		}
	}
}
