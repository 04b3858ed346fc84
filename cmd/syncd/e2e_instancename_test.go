package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An agency's instance named reports or syncd was forbidden only by
// systemd/README.md. syncd@reports's state directory, /var/lib/syncd/reports,
// is syncd.service's reports directory, made setgid for the syncd-reports
// group: systemd gives it the instance's mode and group at each start,
// and the group's members no longer read the reports; syncd@syncd reads
// syncd.service's /etc/syncd/syncd.yaml. validate refuses a data_dir that
// is either one's state directory, and serve a unit whose state directory
// is, before anything is made.

// TestValidateRefusesAReservedInstanceDirectory: data_dir
// /var/lib/syncd/reports or /var/lib/syncd/syncd is refused, exit 2,
// naming the clash and what to name the instance; /var/lib/syncd/NAME of
// another NAME is not.
func TestValidateRefusesAReservedInstanceDirectory(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"reports": "data_dir /var/lib/syncd/reports is syncd.service's reports directory",
		"syncd":   "data_dir /var/lib/syncd/syncd is the state directory of an instance syncd@syncd, which reads /etc/syncd/syncd.yaml",
		"agency1": "",
	} {
		dir := t.TempDir()
		config := writeConfig(t, dir)
		raw, err := os.ReadFile(config)
		if err != nil {
			t.Fatal(err)
		}
		raw = []byte(strings.Replace(string(raw), "data_dir: "+filepath.Join(dir, "data"), "data_dir: /var/lib/syncd/"+name, 1))
		if err := os.WriteFile(config, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := syncdRun(t, "validate", "-offline", "-config", config)
		if want == "" {
			if code != 0 || strings.Contains(stderr, "NAME neither reports nor syncd") {
				t.Errorf("validate of data_dir /var/lib/syncd/%s: exit %d, want 0 and no refusal\n%s", name, code, stderr)
			}
			continue
		}
		if code != 2 {
			t.Errorf("validate of data_dir /var/lib/syncd/%s: exit %d, want 2\n%s", name, code, stderr)
		}
		mustContain(t, "validate of data_dir /var/lib/syncd/"+name, stderr, want,
			"name the agency's instance otherwise: syncd@NAME, its file /etc/syncd/NAME.yaml with data_dir /var/lib/syncd/NAME")
	}
}

// TestServeUnderTheReportsInstanceRefusesToStart: serve whose unit's state
// directory (STATE_DIRECTORY) is /var/lib/syncd/reports stops at start,
// exit 2 (not restarted by the unit), saying so and how to give the directory back to the group,
// having made nothing in its data_dir.
func TestServeUnderTheReportsInstanceRefusesToStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	var stdout, stderr strings.Builder
	cmd := syncdCmd("serve", "-config", config)
	cmd.Env = append(os.Environ(), "STATE_DIRECTORY=/var/lib/syncd/reports")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("serve under the state directory /var/lib/syncd/reports did not stop at start:\n%s%s", stdout.String(), stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Errorf("serve under the state directory /var/lib/syncd/reports: exit %d, want 2\n%s%s", code, stdout.String(), stderr.String())
	}
	mustContain(t, "serve under the state directory /var/lib/syncd/reports", stdout.String()+stderr.String(),
		"this unit's state directory /var/lib/syncd/reports is syncd.service's reports directory",
		"systemd-tmpfiles --create syncd.conf", "syncd@NAME")
	if _, err := os.Stat(filepath.Join(dir, "data", "syncd.db")); err == nil {
		t.Errorf("serve refused at start made its database")
	}
}
