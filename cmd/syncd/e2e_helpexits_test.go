package main_test

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	// helpExitLine is a status in the "exit status:" lines of a -h.
	helpExitLine = regexp.MustCompile(`(?m)^  ([0-9])  \S`)
	// readmeExitWord is "exit" in a README row, where its statuses start.
	readmeExitWord = regexp.MustCompile(`(?i)\bexit\b`)
	// readmeExitStatus is a status a README row gives: a digit standing
	// alone ("exit 0 when", "; 5 a person", "else 0."), not the first
	// digit of a mail server's enhanced status code ("535 5.7.8").
	readmeExitStatus = regexp.MustCompile(`(?:^|[\s(;,])([0-9])(?:[\s,;:)]|\.(?:[^0-9]|$)|$)`)
)

// helpExits are the exit statuses a command's -h lists, in order.
func helpExits(help string) []string {
	_, after, ok := strings.Cut(help, "\nexit status:\n")
	if !ok {
		return nil
	}
	var got []string
	for _, m := range helpExitLine.FindAllStringSubmatch(after, -1) {
		got = append(got, m[1])
	}
	return got
}

// readmeExits are the exit statuses a README Commands row gives, sorted:
// the digits standing alone from its first "exit" on.
func readmeExits(row string) []string {
	loc := readmeExitWord.FindStringIndex(row)
	if loc == nil {
		return nil
	}
	set := map[string]bool{}
	for _, m := range readmeExitStatus.FindAllStringSubmatch(row[loc[0]:], -1) {
		set[m[1]] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// TestHelpGivesTheReadmesExitStatuses: "syncd status -h", "syncd sync -h",
// "syncd crm check -h" and "syncd validate -h" list every exit status the
// README's row for the command gives, and no other (they listed only their
// flags, while a monitoring script's author needs status's 5, sync's 5 and
// 6, and validate's 4: the database unreachable, not the file invalid).
func TestHelpGivesTheReadmesExitStatuses(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	rows := readmeCommandRows(t)
	for _, cmd := range []string{"status", "sync", "crm check", "validate"} {
		var row string
		for _, r := range rows[strings.Fields(cmd)[0]] {
			if strings.HasPrefix(r, "| `syncd "+cmd) {
				row = r
			}
		}
		want := readmeExits(row)
		if len(want) < 2 {
			t.Fatalf("the README's row for syncd %s gives exit statuses %v:\n%s", cmd, want, row)
		}
		help, _, code := syncdRun(t, append(strings.Fields(cmd), "-h")...)
		got := helpExits(help)
		if code != 0 || !slices.IsSorted(got) || !slices.Equal(got, want) {
			t.Errorf("syncd %s -h (exit %d) lists exit statuses %v, the README %v:\n%s", cmd, code, got, want, help)
		}
	}
}

// TestExitStatusesTheHelpAddsAreReal runs status, sync and crm check into
// the statuses their -h (and the README, mended) now give beyond those the
// README gave: 2 for an invalid configuration (all three), 1 where no
// database is there yet (sync; status: 5, no daemon answering either).
func TestExitStatusesTheHelpAddsAreReal(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	invalid := filepath.Join(dir, "invalid.yaml")
	if err := os.WriteFile(invalid, []byte("listen: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"status", "-config", invalid}, 2},
		{[]string{"sync", "-config", invalid}, 2},
		{[]string{"crm", "check", "-config", invalid}, 2},
		{[]string{"status", "-config", config}, 5},
		{[]string{"sync", "-config", config}, 1},
	} {
		if _, stderr, code := syncdRun(t, c.args...); code != c.want {
			t.Errorf("syncd %v: exit %d, want %d\n%s", c.args, code, c.want, stderr)
		}
	}
}
