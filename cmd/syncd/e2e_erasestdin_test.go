package main_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// syncdWith runs a syncd command as the shell under umask 0 (anyone may
// read what it creates unless it says otherwise), with stdin as its
// standard input, and returns its stdout, stderr and exit status.
func syncdWith(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd := exec.Command("sh", append([]string{"-c", `umask 0; exec "$0" "$@"`, syncdBin}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("syncd %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

// storedAngela is a configuration whose database holds the Lokalebasen
// example lead (angela7913@hotmail.com, 52 25 05 59), its daemon stopped.
func storedAngela(t *testing.T) (dir, config string) {
	t.Helper()
	dir = t.TempDir()
	config = writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return dir, config
}

// TestEraseAndExportReadThePersonFromStdin: under sudo a command line
// lands in the system's log (and ps shows it to every user), which syncd
// cannot erase: `-email -` and `-phone -` read the person's email and
// number from standard input instead, a line each, the email first.
func TestEraseAndExportReadThePersonFromStdin(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := storedAngela(t)
	out, stderr, code := syncdWith(t, "angela7913@hotmail.com\n", "export", "-config", config, "-email", "-")
	var ex struct {
		Subject string `json:"subject"`
		Events  []any  `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil || len(ex.Events) != 1 || ex.Subject != "angela7913@hotmail.com" {
		t.Fatalf("export -email -: exit %d, %v, %+v\n%s", code, err, ex, stderr)
	}
	for _, stdin := range []string{"", "\n", "  \n52 25 05 59\n"} {
		_, stderr, code = syncdWith(t, stdin, "erase", "-config", config, "-email", "-", "-phone", "-")
		if code != 2 || !strings.Contains(stderr, "syncd erase: -email -: no email read from standard input") {
			t.Errorf("erase with %q on stdin: exit %d\n%s", stdin, code, stderr)
		}
	}
	_, stderr, code = syncdWith(t, "angela7913@hotmail.com\n", "erase", "-config", config, "-email", "-", "-phone", "-")
	if code != 2 || !strings.Contains(stderr, "syncd erase: -phone -: no phone read from standard input") {
		t.Errorf("erase with the email only on stdin: exit %d\n%s", code, stderr)
	}
	out, stderr, code = syncdWith(t, "Angela <angela7913@hotmail.com>\r\n52 25 05 59", "erase", "-config", config, "-email", "-", "-phone", "-")
	if code != 0 || !strings.Contains(out, "erased: 1 event") {
		t.Fatalf("erase -email - -phone -: exit %d\n%s%s", code, out, stderr)
	}
	// The audit names the erasure by both identifiers: the old flags find it.
	out = syncdOK(t, "export", "-config", config, "-email", "angela7913@hotmail.com", "-phone", "52 25 05 59")
	if !strings.Contains(out, `"erasures": [`+"\n    {") {
		t.Errorf("export by the flags after the erase shows no erasure:\n%s", out)
	}
}
