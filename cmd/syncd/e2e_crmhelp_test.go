package main_test

import (
	"os"
	"strings"
	"testing"
)

// TestCRMHelpSaysWhatEachSubcommandDoes: syncd crm -h printed "usage:
// syncd crm check|setup [-dry-run]|forget-links [-config FILE]" alone, as
// the events and outbox help do not: nothing of what forget-links forgets
// (every CRM id syncd holds), nor of the subcommands' own -h. It says
// what each does, on stdout, exit 0, and so does a usage error, on
// stderr, exit 2. The manual page, made from the help, had no section of
// the crm subcommands' flags and exit statuses: it has.
func TestCRMHelpSaysWhatEachSubcommandDoes(t *testing.T) {
	t.Parallel()
	wants := []string{
		"usage: syncd crm <subcommand> [flags]",
		"check the CRM account against the mappings, read-only",
		"setup [-dry-run]    create in the account what the mappings need",
		"forget-links        the agency moved to another account of its CRM: forget the CRM ids syncd holds",
		`Run "syncd crm <subcommand> -h" for its flags and exit statuses.`,
	}
	out, stderr, code := syncdRun(t, "crm", "-h")
	for _, want := range wants {
		if code != 0 || stderr != "" || !strings.Contains(out, want) {
			t.Errorf("syncd crm -h: exit %d, does not say %q\n%s%s", code, want, out, stderr)
		}
	}
	out, stderr, code = syncdRun(t, "crm", "chek")
	if code != 2 || out != "" || !strings.Contains(stderr, `unknown subcommand "chek": did you mean "check"?`) ||
		!strings.Contains(stderr, wants[3]) {
		t.Errorf("syncd crm chek: exit %d\n%s%s\nwant exit 2, the subcommands on stderr", code, out, stderr)
	}
	man, err := os.ReadFile("../../docs/syncd.8")
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"check", "setup", "forget-links"} {
		if !strings.Contains(string(man), `.SS "syncd crm `+sub+`"`) {
			t.Errorf("docs/syncd.8 has no section of syncd crm %s", sub)
		}
	}
}
