package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretOutsideSystemdNamesTheServicesCredential: the install guide
// puts secrets in /etc/syncd/credentials/ (syncd@NAME's in
// /etc/syncd/credentials/NAME/), which the unit hands over as
// $CREDENTIALS_DIRECTORY, and names them relatively (token_file:
// hubspot-token). Run from a shell without that variable, as the guide's
// `syncd status -config /etc/syncd/syncd.yaml` is, every command stopped
// with "read secret: open /etc/syncd/hubspot-token: no such file or
// directory", which says neither why it looked there nor where the secret
// is. Now the problem says that a relative secret file is read from
// $CREDENTIALS_DIRECTORY, not set here, and names the service's credential
// and the variable to set when that file is there.
func TestSecretOutsideSystemdNamesTheServicesCredential(t *testing.T) {
	yaml := func(dir string) string {
		return `sources:
  eaf:
    kind: eaf
    tokens: [literal-token-abcdefghij]
mapping:
  dir: ` + dir + `
crm:
  kind: hubspot
  hubspot: {token_file: hubspot-token}
`
	}
	problem := func(t *testing.T, file string) string {
		t.Helper()
		_, err := config.Load(file, env(nil))
		ps, ok := err.(config.Problems)
		if !ok || len(ps) != 1 || ps[0].Line != 9 {
			t.Fatalf("want one problem at line 9, got %T %v", err, err)
		}
		return ps[0].Msg
	}
	mustSay := func(t *testing.T, msg string, words ...string) {
		t.Helper()
		for _, w := range words {
			if !strings.Contains(msg, w) {
				t.Errorf("%q\ndoes not say %q", msg, w)
			}
		}
	}

	t.Run("syncd.service", func(t *testing.T) {
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		os.Mkdir(creds, 0o700)
		os.WriteFile(filepath.Join(creds, "hubspot-token"), []byte("pat-eu1-0123\n"), 0o600)
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(yaml(dir)), 0o600)
		mustSay(t, problem(t, file), filepath.Join(dir, "hubspot-token"), "$CREDENTIALS_DIRECTORY",
			"not set", filepath.Join(creds, "hubspot-token"), "CREDENTIALS_DIRECTORY="+shellescape.Quote(creds)+" ")

		// As the service sees it, the file is read.
		if _, err := config.Load(file, env(map[string]string{"CREDENTIALS_DIRECTORY": creds})); err != nil {
			t.Fatalf("with CREDENTIALS_DIRECTORY=%s: %v", creds, err)
		}
	})
	t.Run("syncd@NAME", func(t *testing.T) {
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials", "agency-a")
		os.MkdirAll(creds, 0o700)
		os.WriteFile(filepath.Join(creds, "hubspot-token"), []byte("pat-eu1-0123\n"), 0o600)
		file := filepath.Join(dir, "agency-a.yaml")
		os.WriteFile(file, []byte(yaml(dir)), 0o600)
		mustSay(t, problem(t, file), "$CREDENTIALS_DIRECTORY", "not set",
			filepath.Join(creds, "hubspot-token"), "CREDENTIALS_DIRECTORY="+shellescape.Quote(creds)+" ")
	})
	t.Run("nowhere", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(yaml(dir)), 0o600)
		msg := problem(t, file)
		mustSay(t, msg, filepath.Join(dir, "hubspot-token"), "$CREDENTIALS_DIRECTORY", "not set")
		if strings.Contains(msg, "CREDENTIALS_DIRECTORY=") {
			t.Errorf("%q names a credential that is not there", msg)
		}
	})
}

// TestLoadWithoutSecretsReadsOnlyTheStores: for the commands that only
// read the store, LoadWithoutSecrets reads no token or password file (one
// missing is no problem, its value empty) but still the store's DSN file,
// which they need; Load still refuses the missing token file.
func TestLoadWithoutSecretsReadsOnlyTheStores(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pg.dsn"), []byte("postgres://syncd:pw@db.internal:5432/syncd\n"), 0o600)
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(`sources:
  eaf:
    kind: eaf
    token_files: [eaf-token]
mapping:
  dir: `+dir+`
crm:
  kind: hubspot
  hubspot: {token_file: hubspot-token}
store: {kind: postgres, dsn_file: pg.dsn}
`), 0o600)
	if _, err := config.Load(file, env(nil)); err == nil || !strings.Contains(err.Error(), "read secret") {
		t.Fatalf("Load with the token files missing: %v", err)
	}
	cfg, err := config.LoadWithoutSecrets(file, env(nil))
	if err != nil {
		t.Fatalf("LoadWithoutSecrets: %v", err)
	}
	if cfg.Store.DSN != "postgres://syncd:pw@db.internal:5432/syncd" || cfg.CRM.HubSpot.Token != "" {
		t.Errorf("DSN %q (want the file's), HubSpot token %q (want none)", cfg.Store.DSN, cfg.CRM.HubSpot.Token)
	}
}
