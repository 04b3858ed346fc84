package main_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryCommandNamesItselfInItsErrors: the errors of every command
// begin with the command as it is typed, "syncd backup: read config: …",
// "syncd outbox retry: …": they began "syncd: " alone, so that of several
// commands run from one script or cron job, the mail cron sent did not say
// which one could not read its configuration. Each command and subcommand
// is run here with a -config file that is not there; every command the
// usage lists (but fakecrm and version, which read no configuration) is
// in the table.
func TestEveryCommandNamesItselfInItsErrors(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	body := filepath.Join(dir, "body.json")
	runs := [][]string{
		{"serve"}, {"validate"}, {"map", "-source", "eaf", body}, {"replay"}, {"sync"},
		{"report"}, {"status"}, {"reload"}, {"erase", "-email", "a@example.com"},
		{"export", "-email", "a@example.com"}, {"backup", "-out", filepath.Join(dir, "copy.db")}, {"purge"},
		{"migrate-store", "-to", "postgres"}, {"accept-restore"},
		{"events", "list"}, {"events", "show", "1"}, {"events", "repair", "1", body},
		{"events", "dismiss", "1"}, {"events", "done", "1"},
		{"outbox", "list"}, {"outbox", "show", "1"}, {"outbox", "retry", "1"},
		{"outbox", "give-up", "1"}, {"outbox", "drop", "-crm", "hubspot"},
		{"crm", "check"}, {"crm", "setup"}, {"crm", "forget-links"},
	}
	usage, _, _ := syncdRun(t, "-h")
	for _, name := range listedCommands(usage) {
		if name != "fakecrm" && name != "version" && !slices.ContainsFunc(runs, func(r []string) bool { return r[0] == name }) {
			t.Errorf("syncd %s, listed in the usage, is not run here: add it to the table", name)
		}
	}
	for _, args := range runs {
		typed := typedCommand(args)
		_, stderr, code := syncdRun(t, append(args, "-config", missing)...)
		want := typed + ": read config: open " + missing + ": no such file or directory"
		if code != 2 || !strings.HasPrefix(stderr, want) {
			t.Errorf("%s -config %s: exit %d, stderr:\n%s\nwant exit 2 and stderr starting %q", typed, missing, code, stderr, want)
		}
	}
}

// typedCommand is the command args run as its errors name it: "syncd
// backup", with the subcommand of events, outbox and crm ("syncd outbox
// retry").
func typedCommand(args []string) string {
	if args[0] == "events" || args[0] == "outbox" || args[0] == "crm" {
		return "syncd " + args[0] + " " + args[1]
	}
	return "syncd " + args[0]
}

// listedCommands are the commands usage (syncd -h) lists, in its order.
func listedCommands(usage string) []string {
	_, list, _ := strings.Cut(usage, "commands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	var names []string
	for _, line := range strings.Split(list, "\n") {
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			names = append(names, strings.Fields(line)[0])
		}
	}
	return names
}
