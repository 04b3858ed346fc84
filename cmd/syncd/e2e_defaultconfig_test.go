package main_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingDefaultConfigSaysWhatToGive: every command's -config defaults
// to configs/syncd.example.yaml, the example in a checkout of syncd. An
// operator on an installed server who typed `syncd status` (or events,
// erase, ...) without -config got "read config: open
// configs/syncd.example.yaml: no such file or directory", exit 2: a file
// they never named, in a directory not said. Now the command says that it
// is the default -config, read from which working directory, and to give
// -config with the installed file.
func TestMissingDefaultConfigSaysWhatToGive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"status"}, {"events", "list"}, {"validate"}} {
		var stderr strings.Builder
		cmd := syncdCmd(args...)
		cmd.Dir, cmd.Stderr = dir, &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Fatalf("syncd %v in an empty directory: %v, want exit 2\n%s", args, err, stderr.String())
		}
		mustContain(t, "syncd "+strings.Join(args, " "), stderr.String(), "configs/syncd.example.yaml",
			"the default -config", "working directory "+dir, "-config /etc/syncd/syncd.yaml")
	}
}

// TestConfigDirectorySaysWhichFiles: `-config /etc/syncd` (the directory
// the unit names ConfigurationDirectory=) said only "read config: read
// /etc/syncd: is a directory". Now the command names the configuration
// files in it to give instead.
func TestConfigDirectorySaysWhichFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeConfig(t, dir)
	_, stderr, code := syncdRun(t, "status", "-config", dir)
	if code != 2 {
		t.Fatalf("status -config DIR: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "status -config DIR", stderr, "is a directory: give -config a configuration file in it: -config "+sq(filepath.Join(dir, "syncd.yaml")))
}

// TestMisspeltCommandSaysWhichWasMeant: "syncd statsu" printed the whole
// usage after `unknown command "statsu"`; the command meant is named now,
// as a misspelt key or event type is.
func TestMisspeltCommandSaysWhichWasMeant(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for typed, meant := range map[string]string{"statsu": "status", "valdate": "validate", "Backup": "backup"} {
		_, stderr, code := syncdRun(t, typed)
		if code != 2 {
			t.Fatalf("syncd %s: exit %d, want 2", typed, code)
		}
		mustContain(t, "syncd "+typed, stderr, `unknown command "`+typed+`": did you mean "`+meant+`"?`)
	}
}

// TestMissingNamedConfigSaysWhereItLooked: `syncd status -config
// syncd.yml` (the file is syncd.yaml) said only "read config: open
// syncd.yml: no such file or directory", exit 2: not from which working
// directory a relative -config was read, nor which file was meant. Now
// it says the working directory and names the configuration files beside
// where it looked.
func TestMissingNamedConfigSaysWhereItLooked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeConfig(t, dir)
	var stderr strings.Builder
	cmd := syncdCmd("status", "-config", "syncd.yml")
	cmd.Dir, cmd.Stderr = dir, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("status -config syncd.yml: %v, want exit 2\n%s", err, stderr.String())
	}
	mustContain(t, "status -config syncd.yml", stderr.String(), "open syncd.yml: no such file",
		"read from the working directory "+dir, "configuration files there: -config syncd.yaml")

	_, out, code := syncdRun(t, "status", "-config", filepath.Join(dir, "gone", "syncd.yaml"))
	if code != 2 {
		t.Fatalf("status -config in a missing directory: exit %d, want 2\n%s", code, out)
	}
	mustContain(t, "status -config in a missing directory", out, "give -config the configuration file's path")
}
