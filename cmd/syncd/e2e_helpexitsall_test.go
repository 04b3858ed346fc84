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
	runIntoHelpExits(t, config, 3, []helpExitCase{
		{[]string{"backup"}, []string{"-out", dir}, "2", "a directory"},
		// A directory mistyped: exit 2 as report -out's, where it was 1, a failure.
		{[]string{"backup"}, []string{"-out", filepath.Join(dir, "no-such-dir", "copy.db")}, "2", "a directory that does not exist"},
		{[]string{"erase"}, []string{"-event", "999"}, "2", "no such event"},
		{[]string{"export"}, []string{"-event", "999"}, "2", "no such event"},
		{[]string{"report"}, []string{"-date", "2999-01-01"}, "2", "a day not begun"},
		{[]string{"backup"}, []string{"-out", filepath.Join(dir, "copy.db")}, "0", "the copy written"},
	})
	if _, err := os.Stat(filepath.Join(dir, "copy.db")); err != nil {
		t.Error(err)
	}
}

// helpExitCase is a command run into an exit status its -h names.
type helpExitCase struct {
	cmd  []string // the command and subcommand
	args []string
	want string
	says string // in the -h's line for that status
}

// runIntoHelpExits checks that each case's -h ends with its exit statuses
// (0 first, each once, at least min of them) and that the command, run
// with config, exits with the status wanted, which its -h says is says.
func runIntoHelpExits(t *testing.T, config string, min int, cases []helpExitCase) {
	t.Helper()
	for _, c := range cases {
		_, stderr, code := syncdRun(t, append(append(slices.Clone(c.cmd), c.args...), "-config", config)...)
		help, _, hcode := syncdRun(t, append(slices.Clone(c.cmd), "-h")...)
		got := helpExits(help)
		if hcode != 0 || len(got) < min || got[0] != "0" || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("syncd %v -h (exit %d) lists exit statuses %v:\n%s", c.cmd, hcode, got, help)
		}
		if want, means := int(c.want[0]-'0'), helpExitMeans(help, c.want); code != want || !strings.Contains(means, c.says) {
			t.Errorf("syncd %v %v: exit %d, want %s, which its -h says is %q: %q\n%s", c.cmd, c.args, code, c.want, c.says, means, stderr)
		}
	}
}

// helpExitMeans is what a -h says exit status st means: its line and the
// lines that go on with it, joined by a space.
func helpExitMeans(help, st string) string {
	var means []string
	for _, l := range strings.Split(help, "\n") {
		switch {
		case strings.HasPrefix(l, "  "+st+"  "):
			means = []string{strings.TrimSpace(l)}
		case means != nil && strings.HasPrefix(l, "     "):
			means = append(means, strings.TrimSpace(l))
		case means != nil:
			return strings.Join(means, " ")
		}
	}
	return strings.Join(means, " ")
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
	runIntoHelpExits(t, config, 4, []helpExitCase{
		{[]string{"events", "show"}, []string{"999"}, "3", "no such ID held (syncd events list"},
		{[]string{"events", "show"}, []string{"-quarantined", "999"}, "3", "syncd events list -quarantined"},
		{[]string{"events", "show"}, []string{"x"}, "2", "an ID that is not a number"},
		{[]string{"outbox", "show"}, []string{"999"}, "3", "no such ID held (syncd outbox list lists them)"},
		{[]string{"events", "list"}, []string{"-source", "nosuch"}, "2", "-source"},
		{[]string{"events", "list"}, nil, "0", "an empty listing too"},
		{[]string{"outbox", "list"}, []string{"-state", "deadd"}, "2", "-state"},
		{[]string{"outbox", "list"}, []string{"-json"}, "0", "listed"},
	})
}

// TestCommandsThatChangeRecordsGiveTheirExitStatuses: events repair,
// dismiss and done, outbox retry, give-up and drop, crm setup and
// forget-links listed only their flags in -h, and map and accept-restore
// their statuses in a sentence, though each exits 3 (or 5) for its own
// reasons, which a script that runs them for a list of IDs must tell
// apart. Each -h ends with its statuses now, and the commands exit with
// the statuses their -h names.
func TestCommandsThatChangeRecordsGiveTheirExitStatuses(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	notJSON := filepath.Join(dir, "not.json")
	if err := os.WriteFile(notJSON, []byte("name=Ann"), 0o600); err != nil {
		t.Fatal(err)
	}
	runIntoHelpExits(t, config, 3, []helpExitCase{
		{[]string{"events", "repair"}, []string{"999"}, "3", "no such quarantined body held"},
		{[]string{"events", "repair"}, []string{"x"}, "2", "an ID that is not a number"},
		// The body is looked up before its copy is read, so that a copy that
		// does not read is said with where the body is (exit 1 for it:
		// TestRepairWithACopyThatDoesNotReadSaysWhy).
		{[]string{"events", "repair"}, []string{"999", filepath.Join(dir, "no-such.json")}, "3", "no such quarantined body held"},
		{[]string{"events", "dismiss"}, []string{"999"}, "3", "no such quarantined body held"},
		{[]string{"events", "dismiss"}, []string{"-all"}, "0", "those waiting (none is said so)"},
		{[]string{"events", "done"}, []string{"999"}, "3", "no such event held"},
		{[]string{"events", "done"}, []string{"-all", "-before", "1h"}, "2", "bad flags"},
		{[]string{"outbox", "retry"}, []string{"999"}, "3", "no such operation held"},
		{[]string{"outbox", "retry"}, []string{"-all-dead"}, "0", "however many"},
		{[]string{"outbox", "give-up"}, []string{"999"}, "3", "no such operation held"},
		{[]string{"outbox", "drop"}, []string{"-crm", "hubspot"}, "3", "no operation waits for that CRM"},
		{[]string{"outbox", "drop"}, []string{"-crm", "dryrun"}, "2", "-crm the configured CRM"},
		{[]string{"map"}, []string{"-source", "lokalebasen", notJSON}, "2", "its intake would quarantine"},
		{[]string{"map"}, []string{"-source", "lokalebasen", filepath.Join(dir, "no-such.json")}, "1", "the file does not read"},
		{[]string{"crm", "setup"}, nil, "0", "with crm.kind dryrun: no account to set up"},
		{[]string{"crm", "forget-links"}, nil, "0", "no CRM ids to forget"},
		{[]string{"accept-restore"}, nil, "0", "nothing to do"},
	})
}
