package main_test

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestUnreadableFilesSayWhoseTheyAre: the service user (here postgres)
// cannot read the configuration, a mapping file, the mappings directory or
// a token file left to root (copied in with sudo), nor write a reports
// directory root made. Each message names the file, its owner and mode,
// the user and what to do, with the README's exit status. They used to
// say only "open FILE: permission denied" ("load mappings: load mappings:
// open …" for the mappings), and serve's warning of the reports directory
// "reports directory lock: open …/.syncd-reports.lock: permission denied".
func TestUnreadableFilesSayWhoseTheyAre(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	as := otherUser(t)
	dir, err := os.MkdirTemp("", "syncd-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := binaryIn(t, dir)
	maps, data, reports, token := filepath.Join(dir, "maps"), filepath.Join(dir, "data"), filepath.Join(dir, "reports"), filepath.Join(dir, "token")
	if err := os.CopyFS(maps, os.DirFS("../../mappings/hubspot")); err != nil {
		t.Fatal(err)
	}
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	text := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n  dir: "+reports+"\n"), shipped, maps, 1)
	config := filepath.Join(dir, "syncd.yaml")
	withToken := filepath.Join(dir, "hubspot.yaml")
	if os.WriteFile(config, []byte(text), 0o600) != nil ||
		os.WriteFile(withToken, []byte(text+"crm:\n  kind: hubspot\n  hubspot:\n    token_file: "+token+"\n"), 0o600) != nil ||
		os.WriteFile(token, []byte("pat-eu1-0000\n"), 0o600) != nil ||
		os.Mkdir(data, 0o751) != nil || os.Mkdir(reports, 0o700) != nil || os.Chmod(dir, 0o755) != nil ||
		filepath.Walk(maps, func(p string, _ os.FileInfo, _ error) error { return os.Chmod(p, 0o755) }) != nil {
		t.Fatal("cannot set up the test's files")
	}
	for _, p := range []string{config, withToken, data} {
		if err := os.Chown(p, int(as.Uid), int(as.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	command := func(config string, args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append(args, "-config", config)...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		return cmd
	}
	run := func(config string, args ...string) (string, int) {
		cmd := command(config, args...)
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	says := func(what, out string, code, want int, text string) {
		t.Helper()
		if code != want || !strings.Contains(out, text) || strings.Contains(out, "load mappings: load mappings") {
			t.Errorf("%s: exit %d, want %d and %q\n%s", what, code, want, text, out)
		}
	}

	os.Chown(config, 0, 0)
	out, code := run(config, "status")
	says("status, configuration of root's", out, code, 2,
		"read config: cannot read "+config+" (owned by root, mode 0600) as postgres: let postgres read it (chown, chmod), or run syncd as root")
	// Installed 0640 as the guide says, but left in root's group (install
	// without -g syncd, a copy by hand): the service (systemd gives it
	// INVOCATION_ID) is told the one thing to change, its group.
	os.Chmod(config, 0o640)
	group, _ := user.LookupGroupId(strconv.Itoa(int(as.Gid)))
	cmd := command(config, "serve")
	cmd.Env = append(os.Environ(), "INVOCATION_ID=0123456789abcdef")
	b, _ := cmd.CombinedOutput()
	says("the service, configuration 0640 in root's group", string(b), cmd.ProcessState.ExitCode(), 2,
		"read config: cannot read "+config+" (owned by root, mode 0640) as postgres: its mode lets its group (root) read it: "+
			"give it the service's group, chgrp "+group.Name+" "+config)
	// In the service's group (here daemon's), read by an operator who is
	// not in it: join the group, not chown the file away from the service.
	os.Chown(config, 0, 1)
	out, code = run(config, "status")
	says("status by a user outside the configuration's group", out, code, 2,
		"read config: cannot read "+config+" (owned by root, mode 0640) as postgres: its mode lets its group (daemon) read it: "+
			"run syncd as a member of daemon (usermod -aG daemon postgres, then log in again), or as root")
	os.Chmod(config, 0o600)
	os.Chown(config, int(as.Uid), int(as.Gid))

	os.Chmod(filepath.Join(maps, "eaf.yaml"), 0o600)
	// A mapping file it cannot read: serve starts holding its mapping
	// (deliveries stored, none mapped), saying why and what to do.
	held := startCmd(t, command(config, "serve"))
	held.stop(t, syscall.SIGTERM)
	if want := "cannot read " + filepath.Join(maps, "eaf.yaml") + " (owned by root, mode 0600) as postgres: let postgres read it"; !strings.Contains(held.log(), want) ||
		!strings.Contains(held.log(), "start: "+heldLog) || strings.Contains(held.log(), "load mappings: load mappings") {
		t.Errorf("serve, a mapping file of root's, does not say %q with the mapping held:\n%s", want, held.log())
	}
	os.Chmod(filepath.Join(maps, "eaf.yaml"), 0o644)
	os.Chmod(maps, 0o700)
	out, code = run(config, "validate", "-offline")
	says("validate, the mappings directory of root's", out, code, 1,
		"cannot read "+maps+" (owned by root, mode 0700) as postgres: let postgres read it")
	os.Chmod(maps, 0o755)

	out, code = run(withToken, "crm", "check")
	says("crm check, a token file of root's", out, code, 2,
		"crm.hubspot.token_file: read secret: cannot read "+token+" (owned by root, mode 0600) as postgres: let postgres read it")

	d := startCmd(t, command(config, "serve"))
	d.stop(t, syscall.SIGTERM)
	if want := "reports directory lock: cannot write " + reports + " (owned by root, mode 0700) as postgres"; !strings.Contains(d.log(), want) {
		t.Errorf("serve beside a reports directory of root's does not say %q:\n%s", want, d.log())
	}
}
