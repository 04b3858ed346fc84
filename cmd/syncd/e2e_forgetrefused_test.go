package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestForgetLinksRefusalOnStderr: `syncd crm forget-links` run where the
// CRM ids syncd holds were made in the account the token belongs to
// refuses (exit 2), as it should, but printed the refusal on stdout, where
// a script keeps what a command did, and nothing on stderr, where errors go.
func TestForgetLinksRefusalOnStderr(t *testing.T) {
	t.Parallel()
	_, url := startFakeCRM(t, crmfake.Options{})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	makeDB(t, dir)
	if out, errOut, code := syncdRun(t, "crm", "forget-links", "-config", config); code != 0 {
		t.Fatalf("first forget-links (no account recorded yet): exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code := syncdRun(t, "crm", "forget-links", "-config", config)
	t.Logf("forget-links again, exit %d:\nstdout:\n%sstderr:\n%s", code, out, errOut)
	if code != 2 || !strings.Contains(errOut, "were made in this account: nothing forgotten") ||
		strings.Contains(out, "nothing forgotten") {
		t.Errorf("forget-links in the account the ids were made in: exit %d; want 2 and the refusal on stderr only", code)
	}
}

// TestMissingDatabaseSaysRelativeOnlyWhenItIs: a command run with an
// absolute data_dir that holds no database said "a relative data_dir is
// read from the working directory", which is no help when it is not
// relative: it says so only for a relative one (TestCommandsRefuseAMissingDatabase).
func TestMissingDatabaseSaysRelativeOnlyWhenItIs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir) // data_dir: dir/data, absolute, no database there
	for _, args := range [][]string{{"outbox", "list"}, {"crm", "forget-links"}} {
		out, errOut, code := syncdRun(t, append(args, "-config", config)...)
		if code != 1 || !strings.Contains(errOut, "no database at "+filepath.Join(dir, "data", "syncd.db")) ||
			strings.Contains(errOut, "relative") {
			t.Errorf("syncd %v with an absolute data_dir: exit %d; want 1, naming the path, not a relative data_dir\n%s%s",
				args, code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "syncd.db")); err == nil {
		t.Error("a database was created")
	}
}

// TestForgetLinksBesideARunningDaemonSaysRestartIt: crm forget-links run
// while the daemon serves the database (started on the new account's
// token, it pauses: wrong CRM account) said "the next sync looks each one
// up in this account", but that daemon keeps to the account it started
// with, paused, until restarted (the README says to restart it). Now the
// command says a daemon serves the database and to restart it.
func TestForgetLinksBesideARunningDaemonSaysRestartIt(t *testing.T) {
	t.Parallel()
	m := leadInTheOldPortal(t)
	os.WriteFile(m.config, []byte(crmConfig(m.dir, m.newURL, e2eLBToken)), 0o600) // the new portal's token
	d := start(t, m.config)
	waitFor(t, "the account change in the log", func() bool { return strings.Contains(d.log(), "crm account changed") })
	out, errOut, code := syncdRun(t, "crm", "forget-links", "-config", m.config)
	t.Logf("syncd crm forget-links beside the daemon, exit %d:\n%s%s", code, out, errOut)
	if code != 0 || !strings.Contains(out, "forgot 2 CRM ids") || !strings.Contains(out, "a syncd daemon serves this database") ||
		!strings.Contains(out, "restart it") {
		t.Errorf("forget-links beside a running daemon: exit %d; want it done, and the daemon to restart named", code)
	}
}
