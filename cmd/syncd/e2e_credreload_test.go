package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReloadSaysCredentialsNeedARestart: under systemd a secret file named
// relatively is read from $CREDENTIALS_DIRECTORY, systemd's copy of the
// file LoadCredential= names, made when the service started (systemd 252,
// Debian 12's, makes none at a reload). The README said a new CRM token
// written to token_file is taken on `systemctl reload`: written to
// /etc/syncd/credentials, it was not, and the reload said "reloaded" and
// nothing else while the adapter stayed paused on the old token. A reload
// now says which secrets are such copies and that a changed one needs a
// restart; without $CREDENTIALS_DIRECTORY nothing is said. Status said
// nothing either, exit 0, the daemon on the old password: it now compares
// systemd's copy with the file beside the configuration it is made from
// (credentials/NAME, as the units' LoadCredential= lines name it), and
// says the restart, exit 5.
func TestReloadSaysCredentialsNeedARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	creds, copies := filepath.Join(dir, "credentials"), filepath.Join(dir, "run-credentials")
	for _, d := range []string{creds, copies} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "smtp-password"), []byte("mail-secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	config := writeConfigWith(t, dir, "report:\n  mail:\n    password_file: smtp-password\n")
	raw, _ := os.ReadFile(config)
	os.WriteFile(config, []byte(strings.Replace(string(raw), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)), 0o600)
	d := start(t, config, "CREDENTIALS_DIRECTORY="+copies, "INVOCATION_ID=0123456789abcdef") // systemd's copies, made as it starts
	if out, errOut, code := syncdRun(t, "status", "-config", config); code != 0 || strings.Contains(out, "CHANGED") {
		t.Fatalf("status as started: exit %d, want 0:\n%s%s", code, out, errOut)
	}
	os.WriteFile(filepath.Join(creds, "smtp-password"), []byte("new-mail-secret\n"), 0o600)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	out, errOut, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Errorf("status of a credential changed and reloaded: exit %d, want 5:\n%s%s", code, out, errOut)
	}
	mustContain(t, "status of a credential changed and reloaded", out, "credentials CHANGED since the service started ("+
		filepath.Join(creds, "smtp-password")+"): the daemon runs on the copies systemd made as it started "+
		"($CREDENTIALS_DIRECTORY), which a reload does not renew; systemctl restart syncd")
	if strings.Contains(out+errOut, "mail-secret") {
		t.Errorf("status shows the password:\n%s", out)
	}
	d.stop(t, syscall.SIGTERM)
	mustContain(t, "the reload's log", d.log(), `"credentials":"smtp-password"`, "systemctl restart")

	os.Rename(filepath.Join(creds, "smtp-password"), filepath.Join(dir, "smtp-password")) // beside the config
	d = start(t, config)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	d.stop(t, syscall.SIGTERM)
	if strings.Contains(d.log(), "systemctl restart") {
		t.Errorf("a reload without $CREDENTIALS_DIRECTORY speaks of credentials:\n%s", d.log())
	}
}
