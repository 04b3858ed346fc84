package main_test

import (
	"strings"
	"testing"
)

// helpCommands is every command line of the README's Commands table, as
// an operator asks it for its flags.
var helpCommands = [][]string{
	{"serve"}, {"validate"}, {"events", "list"}, {"events", "show"}, {"events", "repair"},
	{"events", "dismiss"}, {"map"}, {"replay"}, {"sync"}, {"outbox", "list"}, {"outbox", "show"}, {"outbox", "retry"},
	{"report"}, {"status"}, {"crm"}, {"crm", "check"}, {"crm", "setup"}, {"erase"}, {"export"},
	{"backup"}, {"purge"}, {"migrate-store"}, {"accept-restore"}, {"fakecrm"}, {"version"},
}

// TestHelpAskedForIsOnStdoutExitZero: help an operator asks for ("syncd
// report -h", "syncd -h", "syncd help") is printed on stdout with exit 0,
// as "syncd events -h" was (it used to go to stderr with exit 2, so
// "syncd report -h | less" showed nothing and a script saw a failure).
func TestHelpAskedForIsOnStdoutExitZero(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	for _, args := range append(helpCommands, []string{}) {
		for _, h := range []string{"-h", "-help", "--help"} {
			line := append(append([]string{}, args...), h)
			out, errOut, code := syncdRun(t, line...)
			if code != 0 || errOut != "" || !strings.Contains(strings.ToLower(out), "usage") {
				t.Errorf("syncd %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(line, " "), code, out, errOut)
			}
		}
	}
	out, errOut, code := syncdRun(t, "help")
	if code != 0 || errOut != "" || !strings.Contains(out, "usage: syncd <command>") {
		t.Errorf("syncd help: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestHelpCommandShowsThatCommandsFlags: "syncd help report" prints what
// "syncd report -h" prints, not the list of commands again.
func TestHelpCommandShowsThatCommandsFlags(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	for _, args := range [][]string{{"report"}, {"events"}, {"crm", "setup"}} {
		want, _, _ := syncdRun(t, append(args, "-h")...)
		out, errOut, code := syncdRun(t, append([]string{"help"}, args...)...)
		if code != 0 || out != want || errOut != "" {
			t.Errorf("syncd help %s: exit %d, want the output of -h:\n%s\ngot:\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
	}
	_, errOut, code := syncdRun(t, "help", "statsu")
	if code != 2 || !strings.Contains(errOut, `unknown command "statsu"`) {
		t.Errorf("syncd help statsu: exit %d\n%s", code, errOut)
	}
}

// TestUsageErrorsStayOnStderrExitTwo: a misspelt flag, an unknown
// command and no command at all are usage errors: stderr, exit 2.
func TestUsageErrorsStayOnStderrExitTwo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, line := range [][]string{{}, {"statsu"}, {"report", "-dat", "2026-11-01"}, {"crm"}, {"events", "show"}, {"backup"}, {"version", "extra"}} {
		out, errOut, code := syncdRun(t, line...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("syncd %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(line, " "), code, out, errOut)
		}
	}
}

// TestReportHelpSaysTheOutRules: "syncd report -h" says what -out takes
// and refuses (an .xlsx file in a directory that exists; not with -mail)
// and what -mail does by hand, as the README does: it said only "write
// the workbook here", and "-out report.csv" or "-out x.xlsx -mail" then
// failed with exit 2.
func TestReportHelpSaysTheOutRules(t *testing.T) {
	t.Parallel()
	out, _, code := syncdRun(t, "report", "-h")
	for _, want := range []string{".xlsx", "directory that exists", "not with -mail", "exit 1"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("syncd report -h: exit %d, does not say %q:\n%s", code, want, out)
		}
	}
}

// TestHelpFlagBeforeTheCommandShowsThatCommandsHelp: "syncd -h status"
// and "syncd --help events list" (the order many tools take) printed the
// list of commands, not the command's flags and exit statuses. They print
// what "syncd status -h" does now; "syncd -h -h" and "syncd help help"
// still print the list of commands, exit 0.
func TestHelpFlagBeforeTheCommandShowsThatCommandsHelp(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	for _, args := range [][]string{{"-h", "status"}, {"--help", "events", "list"}, {"-help", "crm", "setup"}} {
		want, _, _ := syncdRun(t, append(args[1:], "-h")...)
		out, errOut, code := syncdRun(t, args...)
		if code != 0 || out != want || errOut != "" || !strings.HasPrefix(out, "Usage of syncd "+strings.Join(args[1:], " ")) {
			t.Errorf("syncd %s: exit %d, want the output of -h:\n%s\ngot:\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
	}
	top, _, _ := syncdRun(t, "-h")
	for _, args := range [][]string{{"-h", "-h"}, {"help", "help"}, {"--help", "-h"}} {
		out, errOut, code := syncdRun(t, args...)
		if code != 0 || out != top || errOut != "" {
			t.Errorf("syncd %s: exit %d, want the list of commands\ngot:\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
}

// TestTopLevelUsageSaysWhereFlagsAndTheConfigGo: "syncd -h" says that a
// server's commands are given -config /etc/syncd/syncd.yaml, and that
// flags come after the command. It said "(default configs/syncd.example.yaml,
// …; on a server /etc/syncd/syncd.yaml)", which reads as a default of
// /etc/syncd/syncd.yaml on a server (there is none: `syncd status` there
// without -config reads configs/syncd.example.yaml and fails), and "Flags
// may come before or after a command's arguments", which a flag given
// before the command (syncd -config FILE status) is refused for.
func TestTopLevelUsageSaysWhereFlagsAndTheConfigGo(t *testing.T) {
	t.Parallel()
	usage, _, _ := syncdRun(t, "-h")
	flat := strings.Join(strings.Fields(usage), " ")
	mustContain(t, "syncd -h", flat,
		"on a server, -config /etc/syncd/syncd.yaml",
		"without it, configs/syncd.example.yaml, the example in a checkout of syncd, read from the working directory",
		"Flags come after the command")
	if strings.Contains(flat, "on a server /etc/syncd/syncd.yaml)") {
		t.Errorf("syncd -h names /etc/syncd/syncd.yaml as if it were the default on a server:\n%s", usage)
	}
	_, errOut, code := syncdRun(t, "-config", "/etc/syncd/syncd.yaml", "status")
	if code != 2 || !strings.Contains(errOut, "the command comes first") {
		t.Errorf("syncd -config FILE status: exit %d, want 2 saying the command comes first:\n%s", code, errOut)
	}
}
