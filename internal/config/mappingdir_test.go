package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMappingDirBesideTheConfigurationIsNamed: the package installs
// /etc/syncd/syncd.yaml with mapping.dir: mappings/hubspot, which the
// daemon reads from /etc/syncd. syncd validate run from an operator's home
// directory said the folder "is not a directory (a relative path, read
// from the working directory /home/op)", and not where it is. Now it names
// the folder beside the configuration file and what to write.
func TestMappingDirBesideTheConfigurationIsNamed(t *testing.T) {
	etc := t.TempDir()
	if err := os.MkdirAll(filepath.Join(etc, "mappings", "hubspot"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(etc, "syncd.yaml")
	raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: mappings/hubspot\n"
	if err := os.WriteFile(file, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	t.Chdir(home)
	_, err := config.Load(file, env(nil))
	want := file + ":6: mapping.dir mappings/hubspot is not a directory (a relative path, read from the working directory " + home +
		", not from the configuration file's folder " + etc + "): it is beside the configuration file, " + filepath.Join(etc, "mappings", "hubspot") + ": write that absolute path, or run the command in " + etc
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// TestCAFileBesideTheConfigurationIsNamed: report.mail.ca_file, relative,
// is read from the working directory, where the secret files beside it in
// the configuration are read from beside the configuration file; one put
// there was "no such file or directory (a relative path, read from the
// working directory ...)". Now validate names where it is and what to
// write.
func TestCAFileBesideTheConfigurationIsNamed(t *testing.T) {
	etc := t.TempDir()
	if err := os.WriteFile(filepath.Join(etc, "relay-ca.pem"), []byte("-----BEGIN CERTIFICATE-----\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(etc, "syncd.yaml")
	maps, _ := filepath.Abs("../../mappings/hubspot")
	raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
		"\nreport:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: [m@example.com]\n    ca_file: relay-ca.pem\n"
	if err := os.WriteFile(file, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	_, err := config.Load(file, env(nil))
	want := "): it is beside the configuration file, " + filepath.Join(etc, "relay-ca.pem") + ": write that absolute path, or run the command in " + etc
	if err == nil || !strings.HasPrefix(err.Error(), file+":12: report.mail.ca_file: open relay-ca.pem: no such file or directory") ||
		!strings.HasSuffix(err.Error(), want) {
		t.Errorf("got  %v\nwant ...%s", err, want)
	}
}
