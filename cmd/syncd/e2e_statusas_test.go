package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusAsAnotherUserSaysWhatItDidNotRead: status run by a user the
// daemon's data directory is closed to (an operator without sudo, a
// monitoring user) shows the daemon's view, says on stdout that it did not
// read the database and what that leaves out, and exits as the daemon's
// view says: 0 for a daemon with nothing to attend to, 5 for one whose
// adapter is paused. It used to print the daemon's view and then, on
// stderr, "syncd: restored backup: open db: cannot write …", of a restored
// backup the database never was; beside a pause, "database  CANNOT BE READ
// from here", as of a database down.
func TestStatusAsAnotherUserSaysWhatItDidNotRead(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, err := os.MkdirTemp("", "syncd-statusas-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := binaryIn(t, dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// status finds each daemon at its listen, without the data directory
	daemon := func(name, yaml string) (*daemon, string) {
		sub := filepath.Join(dir, name)
		config := filepath.Join(sub, "syncd.yaml")
		yaml = strings.Replace(yaml, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		if os.Mkdir(sub, 0o755) != nil || os.WriteFile(config, []byte(yaml), 0o644) != nil {
			t.Fatal("cannot write the test's configuration")
		}
		return start(t, config), config // as root: its data directory 0750 root
	}
	statusAs := func(config string) (string, string, int) {
		cmd := exec.Command(bin, "status", "-config", config)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
	}
	check := func(what, out, errOut string, code, want int) {
		t.Helper()
		if code != want {
			t.Errorf("%s: status as postgres: exit %d, want %d\n%s%s", what, code, want, out, errOut)
		}
		if !strings.Contains(out, "\ndaemon ") || !strings.Contains(out, "database      not read by this status: ") ||
			!strings.Contains(out, " is not open to postgres (permission denied)") || !strings.Contains(out, "needs status run as the daemon's user or root") {
			t.Errorf("%s: status as postgres does not show the daemon and say it did not read the database:\n%s", what, out)
		}
		if strings.Contains(errOut, "restored backup") || strings.Contains(out, "CANNOT BE READ") {
			t.Errorf("%s: status as postgres speaks of a restored backup or of a database down:\n%s%s", what, out, errOut)
		}
	}

	d, config := daemon("quiet", configYAML(filepath.Join(dir, "quiet"), []string{e2eLBToken}, ""))
	defer d.stop(t, syscall.SIGTERM)
	out, errOut, code := statusAs(config)
	check("a daemon with nothing to attend to", out, errOut, code, 0)

	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "another-accounts-token"})
	p, config := daemon("paused", crmConfig(filepath.Join(dir, "paused"), url, e2eLBToken))
	defer p.stop(t, syscall.SIGTERM)
	postTestdata(t, p, "eaf/email_lead.json") // its CRM call answered 401: the adapter pauses
	waitFor(t, "the adapter to pause on the CRM's 401", func() bool {
		out, errOut, code = statusAs(config)
		return strings.Contains(out, "hubspot: PAUSED") // until when and why: in the database
	})
	check("a paused adapter", out, errOut, code, 5)
}
