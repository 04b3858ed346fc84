package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCommandsOnAnotherFileThanTheDaemonsSaySo: an operator following the
// docs ran the commands with the example file beside a daemon started on
// another syncd.yaml (HubSpot) on the same data_dir. Status advised a
// restart "to the file's" listen and never named the daemon's file; replay
// queued dry-run operations the daemon then showed as NOT SENT. Now the
// commands that read say, in one line, which file the daemon runs on and
// which -config to give; those that write to the outbox or change what the
// daemon does refuse, exit 2, writing nothing; the daemon's own file, by a
// symlink too, is no other file. And a daemon started by hand is reloaded
// by syncd reload -config FILE, not systemctl, which status and crm setup
// now say; one started by systemd keeps systemctl reload syncd.
func TestCommandsOnAnotherFileThanTheDaemonsSaySo(t *testing.T) {
	t.Parallel()
	_, url := startFakeCRM(t, crmfake.Options{}) // a fresh account: the daemon's crm check fails
	dir := t.TempDir()
	daemonFile := writeCRMConfigOnPort(t, dir, url, false)
	other := filepath.Join(dir, "example.yaml") // the dry run, on the same data_dir, at another address
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(other, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, daemonFile, "INVOCATION_ID=", "NOTIFY_SOCKET=") // by hand, in a shell
	postTestdata(t, d, "eaf/email_lead.json")
	pid := d.cmd.Process.Pid
	line := regexp.QuoteMeta("the daemon (pid ") + `\d+` + regexp.QuoteMeta(") serving "+filepath.Join(dir, "data", "syncd.db")+
		" runs on "+daemonFile+", not on -config "+other+": give -config "+sq(daemonFile))
	said := regexp.MustCompile(line)

	waitFor(t, "the daemon's account check to fail", func() bool { // its line names the reload
		out, _, _ := syncdRun(t, "status", "-config", daemonFile)
		return strings.Contains(out, "crm check     hubspot: FAILING")
	})
	out, stderr, code := syncdRun(t, "status", "-config", other)
	if !regexp.MustCompile(`(?m)^config        NOT THE DAEMON'S: `+line+"$").MatchString(out) ||
		strings.Contains(out, "moves it to the file's") || !strings.Contains(out, "running since") {
		t.Errorf("status on another file: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code = syncdRun(t, "status", "-config", daemonFile); strings.Contains(out, "NOT THE DAEMON'S") ||
		!strings.Contains(out, "at once on syncd reload -config "+sq(daemonFile)) || strings.Contains(out, "systemctl reload") {
		t.Errorf("status of a daemon started by hand, on its file: exit %d\n%s%s", code, out, stderr)
	}

	ops := func() string { // the operations, by id and target: their state and times change as the daemon sends
		var ids []string
		for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", daemonFile) {
			ids = append(ids, fmt.Sprint(op["id"], op["target"]))
		}
		return strings.Join(ids, " ")
	}
	before := ops()
	for _, args := range [][]string{
		{"replay"}, {"sync"}, {"outbox", "retry", "1"}, {"outbox", "give-up", "1"},
		{"outbox", "drop", "-crm", "hubspot"}, {"erase", "-crm", "-email", "support@estateagentfeeds.com"},
	} {
		out, stderr, code := syncdRun(t, append(args, "-config", other)...)
		if code != 2 || !strings.Contains(stderr, "refused: ") || !said.MatchString(stderr) {
			t.Errorf("%s on another file than the daemon's: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	if after := ops(); after != before || strings.Contains(after, "dryrun") {
		t.Errorf("the outbox changed by commands refused:\nbefore\n%s\nafter\n%s", before, after)
	}
	out, stderr, code = syncdRun(t, "replay", "-dry-run", "-config", other)
	if code != 0 || !strings.Contains(stderr, "syncd replay: note: ") || !said.MatchString(stderr) ||
		strings.Contains(out+stderr, "which crm.kind") { // the daemon's CRM is no CRM gone
		t.Errorf("replay -dry-run on another file: exit %d\n%s%s", code, out, stderr)
	}
	link := filepath.Join(t.TempDir(), "link.yaml") // the daemon's file by another name is its file
	if err := os.Symlink(daemonFile, link); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code = syncdRun(t, "replay", "-dry-run", "-config", link); code != 0 || strings.Contains(stderr, "note: ") {
		t.Errorf("replay -dry-run on a symlink to the daemon's file: exit %d\n%s%s", code, out, stderr)
	}

	setupDone := func(reload string) {
		t.Helper()
		out, stderr, code := syncdRun(t, "crm", "setup", "-config", daemonFile)
		if code != 0 || !strings.Contains(out, "again at once on reload ("+reload+")") {
			t.Errorf("crm setup beside a daemon (pid %d), its reload %q: exit %d\n%s%s", pid, reload, code, out, stderr)
		}
	}
	setupDone("syncd reload -config " + sq(daemonFile))
	d.stop(t, syscall.SIGTERM)
	d = start(t, daemonFile, "INVOCATION_ID=0123456789abcdef") // as systemd starts it
	defer d.stop(t, syscall.SIGTERM)
	pid = d.cmd.Process.Pid
	setupDone("systemctl reload syncd")
}
