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
// restart; without $CREDENTIALS_DIRECTORY nothing is said.
func TestReloadSaysCredentialsNeedARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.Mkdir(creds, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(creds, "smtp-password"), []byte("mail-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := writeConfigWith(t, dir, "report:\n  mail:\n    password_file: smtp-password\n")
	d := start(t, config, "CREDENTIALS_DIRECTORY="+creds)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
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
