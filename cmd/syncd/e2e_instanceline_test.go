package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestAnAgencysStatusLineNamesItsOwnCommands: `systemctl status
// syncd@nordbolig` showed "ATTENTION: mappings DO NOT LOAD: deliveries
// stored, none mapped: syncd status". On a server syncd status without
// -config reads no file (the default is the example in a checkout) and
// then suggests -config /etc/syncd/syncd.yaml: another agency's daemon,
// whose status said all was well. The line of an agency's instance (its
// file /etc/syncd/NAME.yaml, as syncd@.service starts it) now names
// "syncd status -config /etc/syncd/nordbolig.yaml", and the log's fix
// "systemctl reload syncd@nordbolig". The real binary runs in a user and
// mount namespace (unshare -rm) whose /etc is a tmpfs holding
// /etc/syncd/nordbolig.yaml, its mappings broken so that it starts holding
// them. syncd status of that file, which said "systemctl reload syncd"
// too, names syncd@nordbolig.
func TestAnAgencysStatusLineNamesItsOwnCommands(t *testing.T) {
	t.Parallel()
	if out, err := exec.Command("unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /etc").CombinedOutput(); err != nil {
		t.Skipf("needs unshare -rm (user and mount namespaces) to lay out /etc/syncd: %v %s", err, out)
	}
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	lb := filepath.Join(maps, "lokalebasen.yaml")
	good, _ := os.ReadFile(lb)
	moved := strings.Replace(string(good), "      company: payload.client.company", "    company: payload.client.company", 1)
	if moved == string(good) {
		t.Fatal("the shipped lokalebasen.yaml has no company: line to move")
	}
	os.WriteFile(lb, []byte(moved), 0o644)

	n, sock := listenNotify(t)
	const file = "/etc/syncd/nordbolig.yaml"
	cmd := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs tmpfs /etc && mkdir /etc/syncd && cp "$1" `+file+
		` || exit 111; exec "$2" serve -config `+file, "sh", config, syncdBin)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock)
	d := startCmd(t, cmd)
	_, line := n.awaitMatch(t, "mappings DO NOT LOAD", func(m string) bool { return strings.Contains(m, "mappings DO NOT LOAD") }, 20*time.Second)
	if !strings.Contains(line, "none mapped: syncd status -config "+file) {
		t.Errorf("the status line of the instance serving %s: %q\nwant it to name syncd status -config %s", file, line, file)
	}
	if !strings.Contains(d.log(), "then systemctl reload syncd@nordbolig: ") {
		t.Errorf("the log of the instance serving %s:\n%s\nwant its fix to name systemctl reload syncd@nordbolig", file, d.log())
	}

	// syncd status of the file, in the daemon's mount namespace (its /etc),
	// said "fix them, then systemctl reload syncd" too.
	status := exec.Command("nsenter", "-t", strconv.Itoa(d.cmd.Process.Pid), "-m", syncdBin, "status", "-config", file)
	out, _ := status.CombinedOutput()
	if code := status.ProcessState.ExitCode(); code != 5 || !strings.Contains(string(out), "systemctl reload syncd@nordbolig") ||
		regexp.MustCompile(`systemctl (reload|restart) syncd[^@]`).Match(out) {
		t.Errorf("syncd status -config %s: exit %d\n%s\nwant exit 5 naming systemctl reload syncd@nordbolig, no other unit", file, code, out)
	}
	d.stop(t, syscall.SIGTERM)
}

// TestAnAgencysCommandsNameItsOwnUnit: beside syncd status and the daemon's
// status line, every command run on an agency's /etc/syncd/NAME.yaml and
// the daemon's log named syncd.service's commands in their advice:
// `syncd crm setup -config /etc/syncd/nordbolig.yaml` ended "a running
// daemon checks the account again at once on reload (systemctl reload
// syncd)", another agency's daemon. Each names syncd@NAME now: crm setup,
// no daemon running on the file, the unit that starts one.
func TestAnAgencysCommandsNameItsOwnUnit(t *testing.T) {
	t.Parallel()
	if out, err := exec.Command("unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /etc").CombinedOutput(); err != nil {
		t.Skipf("needs unshare -rm (user and mount namespaces) to lay out /etc/syncd: %v %s", err, out)
	}
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(crmConfig(dir, url, e2eLBToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	const file = "/etc/syncd/nordbolig.yaml"
	out, err := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs tmpfs /etc && mkdir /etc/syncd && cp "$1" `+file+
		` || exit 111; exec "$2" crm setup -config `+file, "sh", config, syncdBin).CombinedOutput()
	if err != nil {
		t.Fatalf("crm setup -config %s: %v\n%s", file, err, out)
	}
	if !strings.Contains(string(out), "no daemon runs on "+file+": one started on it (systemctl start syncd@nordbolig)") ||
		regexp.MustCompile(`systemctl (reload|restart|start) syncd[^@]`).Match(out) {
		t.Errorf("crm setup -config %s:\n%s\nwant systemctl start syncd@nordbolig, no other unit", file, out)
	}
}
