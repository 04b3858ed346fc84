package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestValidateSaysTwoAgenciesOfOneName: agency: names the agency in its
// report and status, and a file copied from another agency's kept its
// name: the new agency's reports read as the other's. validate now warns
// of the same name (in any case) beside, naming both files. Where files
// of several agencies are beside one another and this one names none,
// validate says so in one line (note:) suggesting the setting; the
// daemon's log at start does not.
func TestValidateSaysTwoAgenciesOfOneName(t *testing.T) {
	t.Parallel()
	etc := filepath.Join(t.TempDir(), "etc")
	if err := os.Mkdir(etc, 0o750); err != nil {
		t.Fatal(err)
	}
	write := func(name, agency string) string {
		extra := ""
		if agency != "" {
			extra = "agency: " + agency + "\n"
		}
		file := filepath.Join(etc, name+".yaml")
		yaml := configYAML(filepath.Join(etc, "..", name), []string{e2eLBToken + "-" + name}, extra)
		yaml = strings.Replace(yaml, "tokens: ["+e2eEAFToken+"]", "tokens: ["+e2eEAFToken+"-"+name+"]", 1)
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	validate := func(file string) string {
		t.Helper()
		_, stderr, code := syncdRun(t, "validate", "-offline", "-config", file)
		if code != 0 {
			t.Errorf("validate %s: exit %d, want 0\n%s", file, code, stderr)
		}
		return stderr
	}
	a := write("a", "")
	if stderr := validate(a); strings.Contains(stderr, "agency") {
		t.Errorf("validate of a file alone in its directory speaks of agencies:\n%s", stderr)
	}
	b := write("b", "")
	c := write("c", "")
	want := "syncd validate: note: " + a + " and the 2 agencies' files beside it (b.yaml, c.yaml) name no agency (agency:): " +
		"their daily reports and syncd status read alike, the agency nowhere: set agency: \"Agency name\" in a.yaml and in each of them\n"
	if stderr := validate(a); !strings.Contains(stderr, want) || strings.Count(stderr, "agency") != strings.Count(want, "agency") {
		t.Errorf("validate of one of three agencies' files naming none said:\n%s\nwant the one line\n%s", stderr, want)
	}
	d := start(t, a)
	d.stop(t, syscall.SIGTERM)
	if strings.Contains(d.log(), "agency") {
		t.Errorf("the daemon's log suggests the setting, which validate alone does:\n%s", d.log())
	}

	write("b", `"Nordhavn Erhverv"`)
	want = "syncd validate: note: " + a + " names no agency (agency:), where b.yaml beside it does: its daily report and " +
		"syncd status name none: set agency: \"Agency name\" in a.yaml\n"
	if stderr := validate(a); !strings.Contains(stderr, want) {
		t.Errorf("validate of a file naming no agency beside one that does said:\n%s\nwant\n%s", stderr, want)
	}

	write("a", `"NORDHAVN ERHVERV"`)
	want = "syncd validate: warning: agency \"NORDHAVN ERHVERV\" of " + a + " is also " + b + "'s: the two agencies' daily " +
		"reports and syncd status name the same agency: give each file its own agency's name\n"
	if stderr := validate(a); !strings.Contains(stderr, want) || strings.Contains(stderr, "note:") {
		t.Errorf("validate of a file naming the agency another names said:\n%s\nwant\n%s", stderr, want)
	}
	if stderr := validate(c); !strings.Contains(stderr, "names no agency (agency:), where a.yaml, b.yaml beside it do") {
		t.Errorf("validate of the file naming none beside two that do said:\n%s", stderr)
	}

	write("a", `"Sydhavn Erhverv"`)
	if stderr := validate(a); strings.Contains(stderr, "agency") {
		t.Errorf("validate of agencies' files naming each its own said:\n%s", stderr)
	}
}
