package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// oddDir is a directory under t.TempDir() named as an operator's may be:
// a space, a letter not ASCII, an apostrophe and parentheses.
func oddDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pasted is the words sh makes of line, a command as syncd printed it to
// be copied: what the command pasted into a shell would be given. It
// fails t where sh cannot read it (a quote left open).
func pasted(t *testing.T, line string) []string {
	t.Helper()
	out, err := exec.Command("sh", "-c", `printf '%s\000' `+line).CombinedOutput()
	if err != nil {
		t.Fatalf("%s, pasted into sh: %v\n%s", line, err, out)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// TestCommandsSaidWithTheConfigFileQuoteIt: the commands syncd prints to
// run next with -config FILE (status's "by hand, syncd serve -config
// FILE" of a stopped daemon, reload's "syncd validate -config FILE" of a
// file that does not load, and the others built alike) named the file
// bare, so in a directory with a space, an apostrophe or parentheses the
// command pasted into a shell ran with another file, or not at all (sh:
// unterminated quoted string). The file is quoted for the shell now.
func TestCommandsSaidWithTheConfigFileQuoteIt(t *testing.T) {
	t.Parallel()
	dir := oddDir(t)
	config := filepath.Join(dir, "syncd.yaml")
	addr := freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	start(t, config).stop(t, syscall.SIGTERM)

	out, errOut, code := syncdRun(t, "status", "-config", config)
	m := regexp.MustCompile(`by hand, (syncd serve -config .*)\)\n`).FindStringSubmatch(out)
	if code != 5 || m == nil {
		t.Fatalf("status with the daemon stopped: exit %d, want 5 and how to start it by hand\n%s%s", code, out, errOut)
	}
	if got, want := pasted(t, m[1]), []string{"syncd", "serve", "-config", config}; !slices.Equal(got, want) {
		t.Errorf("status's %s, pasted into sh, runs %q, want %q", m[1], got, want)
	}

	broken := filepath.Join(dir, "broken (copy).yaml")
	if err := os.WriteFile(broken, []byte(strings.Replace(yaml, "kind: eaf", "kind: eaff", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = syncdRun(t, "reload", "-config", broken)
	m = regexp.MustCompile(`fix them \((syncd validate -config .*) checks them\)`).FindStringSubmatch(errOut)
	if code != 2 || m == nil {
		t.Fatalf("reload of a file that does not load, no daemon: exit %d, want 2 and the validate to run\n%s%s", code, out, errOut)
	}
	if got, want := pasted(t, m[1]), []string{"syncd", "validate", "-config", broken}; !slices.Equal(got, want) {
		t.Errorf("reload's %s, pasted into sh, runs %q, want %q", m[1], got, want)
	}
}

// TestRestartAsStartedIsQuotedForTheShell: of a daemon started by hand
// that does not answer, status says to start it again as it was started,
// in its working directory, with its command line. The directory was
// named bare and the words in Go's quotes ("syncd $agency.yaml"), which
// the shell reads otherwise: cd to the directory said failed (an
// apostrophe left open), and the $ in the file's name was expanded, so
// the daemon pasted back started on another file. Both are quoted for the
// shell now.
func TestRestartAsStartedIsQuotedForTheShell(t *testing.T) {
	t.Parallel()
	dir := oddDir(t)
	name := "syncd $agency.yaml"
	config := filepath.Join(dir, name)
	addr := freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := syncdCmd("serve", "-config", name)
	cmd.Dir = dir
	d := startCmd(t, cmd)
	if err := d.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "status", "-config", config)
	d.cmd.Process.Signal(syscall.SIGCONT)
	m := regexp.MustCompile(`then start it again as it was started, in (.+?): (.+)\n`).FindStringSubmatch(out)
	if code != 5 || m == nil {
		t.Fatalf("status of a daemon started by hand, stopped by SIGSTOP: exit %d, want 5 and how to start it again\n%s%s", code, out, errOut)
	}
	if got := pasted(t, m[1]); !slices.Equal(got, []string{dir}) {
		t.Errorf("status's directory %s, pasted into sh, is %q, want %s", m[1], got, dir)
	}
	if got, want := pasted(t, m[2]), []string{"serve", "-config", name}; len(got) < 1 || !slices.Equal(got[1:], want) {
		t.Errorf("status's %s, pasted into sh, runs %q, want syncd %q", m[2], got, want)
	}
	d.stop(t, syscall.SIGTERM)
}
