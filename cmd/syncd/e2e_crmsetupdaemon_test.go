package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupNamesTheDaemonOfItsFile: `syncd crm setup -config b.yaml`
// beside a daemon started by hand on a.yaml, on the same database, ended
// "a running daemon checks the account again at once on reload (syncd
// reload -config a.yaml)": a reload of that daemon reads a.yaml, not b's
// CRM settings. And for a file whose database no daemon serves, it named
// syncd.service's reload, another daemon's. It names the daemon of its
// file, or says that none runs on it, naming the one of another file on
// its database.
func TestCRMSetupNamesTheDaemonOfItsFile(t *testing.T) {
	t.Parallel()
	_, url := startFakeCRM(t, crmfake.Options{})
	dir := t.TempDir()
	a := writeCRMConfigOnPort(t, dir, url, false)
	write := func(name, dataOf string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		yaml := strings.Replace(crmConfig(dataOf, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	b := write("b.yaml", dir)         // a's database, through another file
	c := write("c.yaml", t.TempDir()) // a database of its own, no daemon on it
	d := start(t, a, "INVOCATION_ID=", "NOTIFY_SOCKET=")
	defer d.stop(t, syscall.SIGTERM)
	pid := strconv.Itoa(d.cmd.Process.Pid)
	last := func(file string) string {
		t.Helper()
		out, stderr, code := syncdRun(t, "crm", "setup", "-config", file)
		if code != 0 {
			t.Fatalf("crm setup -config %s: exit %d\n%s%s", file, code, out, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return lines[len(lines)-1]
	}
	const done = "done: run `syncd crm check` to see whether anything is left to do by hand; "
	for file, want := range map[string]string{
		a: done + "the daemon running on " + a + " (pid " + pid + ") checks the account again at once on reload (syncd reload -config " + sq(a) +
			"), else as CRM calls go through, at most every 15 minutes",
		b: done + "no daemon runs on " + b + ": the one serving its database " + filepath.Join(dir, "data", "syncd.db") +
			" (pid " + pid + ") runs on " + a + ", and a reload of it reads that file, not this one",
		c: done + "no daemon runs on " + c + ": one started on it checks the account as it starts",
	} {
		if got := last(file); got != want {
			t.Errorf("crm setup -config %s ended\n%s\nwant\n%s", filepath.Base(file), got, want)
		}
	}
}
