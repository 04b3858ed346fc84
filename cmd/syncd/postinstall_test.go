package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeWithoutTheExampleConfigurationRestartsTheInstances: the
// package's postinst set the group and mode of /etc/syncd/syncd.yaml at
// every configure, under set -e. An integrator who serves only syncd@NAME
// instances removed that file (or moved it to NAME.yaml, as "Several
// agencies on one server" starts from it), and dpkg does not bring a
// removed conffile back on upgrade (tried with dpkg 1.21: an unchanged
// conffile removed stays removed): chgrp failed, the upgrade ended in
// "post-installation script subprocess returned error exit status 1", the
// package half-configured, and the running instances were never
// restarted, serving on with the old binary while the new one's commands
// refused to migrate under them (exit 4). The script is run here as dpkg
// runs it on an upgrade, its paths under a temporary root and the system's
// commands recorded by stand-ins.
func TestUpgradeWithoutTheExampleConfigurationRestartsTheInstances(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile("../../packaging/scripts/postinstall.sh")
	if err != nil {
		t.Fatal(err)
	}
	realChgrp, err := exec.LookPath("chgrp")
	if err != nil {
		t.Skip("no chgrp:", err)
	}
	for _, c := range []struct {
		name   string
		config bool // /etc/syncd/syncd.yaml is there
	}{{"example configuration kept", true}, {"example configuration removed", false}} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			etc, run, bin := filepath.Join(root, "etc/syncd"), filepath.Join(root, "run/systemd/system"), filepath.Join(root, "bin")
			for _, d := range []string{etc, run, bin} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(etc, "nordbolig.yaml"), []byte("listen: 127.0.0.1:8081\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			conf := filepath.Join(etc, "syncd.yaml")
			if c.config {
				if err := os.WriteFile(conf, []byte("listen: 127.0.0.1:8080\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			calls := filepath.Join(root, "calls")
			stub := "#!/bin/sh\necho \"$(basename \"$0\") $*\" >>" + sq(calls) + "\n"
			for _, name := range []string{"systemd-sysusers", "systemd-tmpfiles", "deb-systemd-helper", "deb-systemd-invoke", "systemctl"} {
				if err := os.WriteFile(filepath.Join(bin, name), []byte(stub), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			// chgrp for real, to the test's own group: the syncd group need not exist here.
			chgrp := "#!/bin/sh\nexec " + realChgrp + " \"$(id -g)\" \"$2\"\n"
			if err := os.WriteFile(filepath.Join(bin, "chgrp"), []byte(chgrp), 0o755); err != nil {
				t.Fatal(err)
			}
			// The paths are words of the script: quoted for sh (TMPDIR may need it).
			body := strings.NewReplacer("/etc/syncd/", sq(etc)+"/", "/run/systemd/system", sq(run)).Replace(string(script))
			path := filepath.Join(root, "postinst")
			if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", path, "configure", "1.0.0") // an upgrade from 1.0.0
			cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("postinst configure 1.0.0: %v\n%s", err, out)
			}
			recorded, _ := os.ReadFile(calls)
			if !strings.Contains(string(recorded), "deb-systemd-invoke try-restart syncd.service syncd@*.service") {
				t.Errorf("the upgrade restarted no running instance; commands run:\n%s", recorded)
			}
			fi, err := os.Stat(conf)
			switch {
			case c.config && err != nil:
				t.Fatal(err)
			case c.config && fi.Mode().Perm() != 0o640:
				t.Errorf("syncd.yaml mode %04o after configure, want 0640 (its group, syncd, reads it)", fi.Mode().Perm())
			case !c.config && err == nil:
				t.Errorf("postinst made a syncd.yaml the operator had removed")
			}
		})
	}
}
