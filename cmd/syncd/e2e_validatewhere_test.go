package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestValidateElsewhereNamesTheDaemonsDatabase: data_dir: ./data (the
// example's, and the package's /etc/syncd/syncd.yaml as installed) is
// read from the working directory. `syncd validate -config FILE` run from
// another directory than the daemon's said "database: /root/data/syncd.db
// (not there yet: serve creates it)" while a daemon on that very
// configuration's address served its database elsewhere: nothing told the
// operator that the commands they were about to run would find no
// database. Now validate says which database the syncd answering at
// listen serves, and that a relative data_dir is read from the working
// directory; with none answering, no daemon is named.
func TestValidateElsewhereNamesTheDaemonsDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := start(t, writeConfig(t, dir))
	addr := strings.TrimPrefix(d.url, "http://")

	elsewhere := t.TempDir()
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(dir, "data"), "data_dir: ./data", 1)
	yaml = strings.Replace(yaml, "listen: 127.0.0.1:0", "listen: "+addr, 1)
	config := filepath.Join(elsewhere, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	validate := func() string {
		t.Helper()
		var stdout, stderr strings.Builder
		cmd := syncdCmd("validate", "-config", config)
		cmd.Dir, cmd.Stdout, cmd.Stderr = elsewhere, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("validate from %s: %v\n%s%s", elsewhere, err, stdout.String(), stderr.String())
		}
		t.Logf("syncd validate:\n%s%s", stdout.String(), stderr.String())
		return stdout.String()
	}
	out := validate()
	mustContain(t, "validate beside a daemon serving another database", out,
		"database: "+filepath.Join(elsewhere, "data", "syncd.db")+" (not there yet",
		"the syncd at "+addr+" serves "+filepath.Join(dir, "data", "syncd.db"),
		"data_dir ./data is relative, read from the working directory "+elsewhere)

	d.stop(t, syscall.SIGTERM)
	if out = validate(); strings.Contains(out, "serves") {
		t.Errorf("with no daemon answering, validate names one:\n%s", out)
	}
}
