package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeAsRootOnTheServicesDataRefuses: an operator who ran `syncd
// serve` by hand as root on the service's data directory (made by the
// package's tmpfiles for the service user) left the database, its lock and
// the reports directory root's, and the service, run as that user, then
// failed at every restart, `cannot write …/syncd.db-daemon.lock (owned by
// root, mode 0600) as syncd: run the command as root, …`, one file at a time.
// serve run as root on a data directory another user owns now refuses at
// once, creating nothing, naming the owner and how to run it as them (exit 2:
// a person must act, which the units do not restart).
func TestServeAsRootOnTheServicesDataRefuses(t *testing.T) {
	t.Parallel()
	as := otherUser(t) // skips unless root, with a postgres user to own the directory
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o751); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(data, int(as.Uid), int(as.Gid)); err != nil {
		t.Fatal(err)
	}
	// A file outside /etc/syncd (a trial's agency.yaml) is served by no
	// syncd@agency, which serves /etc/syncd/agency.yaml alone: it was named.
	agency := filepath.Join(dir, "agency.yaml")
	if b, err := os.ReadFile(config); err != nil || os.WriteFile(agency, b, 0o600) != nil {
		t.Fatal(err)
	}
	for _, config := range []string{config, agency} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := syncdCmdContext(ctx, "serve", "-config", config)
		out, _ := cmd.CombinedOutput()
		cancel()
		code := cmd.ProcessState.ExitCode()
		want := "data_dir " + data + " is postgres's, and this serve runs as root"
		if code != 2 || !strings.Contains(string(out), want) || !strings.Contains(string(out), "systemctl start syncd)") ||
			!strings.Contains(string(out), inJSON("runuser -u postgres -- syncd serve -config "+sq(config))) {
			t.Errorf("serve -config %s as root on postgres's data directory: exit %d, want 2 saying %q, systemctl start syncd, "+
				"and how to run it as postgres\n%s", filepath.Base(config), code, want, out)
		}
	}
	if left, _ := os.ReadDir(data); len(left) != 0 {
		t.Errorf("serve as root left %d files in the service user's data directory (%s...)", len(left), left[0].Name())
	}
}
