package config_test

import (
	"os"
	"path/filepath"
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
	want := file + ":6: mapping dir mappings/hubspot is not a directory (a relative path, read from the working directory " + home +
		"): it is beside the configuration file, " + filepath.Join(etc, "mappings", "hubspot") + ": write that absolute path, or run the command in " + etc
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
