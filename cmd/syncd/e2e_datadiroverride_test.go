package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDataDirOverriddenBySyncdDataDirIsWarned: the systemd unit sets
// SYNCD_DATA_DIR, which overrides the file's data_dir. An operator moving
// the data (the README's Moving steps: "point data_dir at the new place")
// who edited only data_dir got a daemon serving a new, empty database in
// the old place, with nothing said but "created an empty one", while the
// commands run from a shell read the moved one; validate said nothing
// either. Now validate prints a warning naming both directories and serve
// logs it at start; with the two the same, nothing is said.
func TestDataDirOverriddenBySyncdDataDirIsWarned(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	fileDir, unitDir := filepath.Join(dir, "data"), filepath.Join(dir, "unit-data")
	want := "data_dir " + fileDir + " is not used: SYNCD_DATA_DIR=" + unitDir + " overrides it"

	validate := func(env string) (string, string, int) {
		return syncdRunEnv(t, env, "validate", "-config", config)
	}
	out, stderr, code := validate("SYNCD_DATA_DIR=" + unitDir)
	if code != 0 || !strings.Contains(out, "database: "+filepath.Join(unitDir, "syncd.db")) ||
		!strings.Contains(stderr, "warning: "+config+":2: "+want) {
		t.Fatalf("validate with SYNCD_DATA_DIR elsewhere: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code = validate("SYNCD_DATA_DIR=" + fileDir + "/"); code != 0 || stderr != "" {
		t.Fatalf("validate with SYNCD_DATA_DIR the same as data_dir: exit %d\n%s%s", code, out, stderr)
	}

	d := start(t, config, "SYNCD_DATA_DIR="+unitDir)
	// Status from a shell, without the unit's environment: it said that the
	// syncd at listen "serves …/unit-data/syncd.db, not this
	// configuration's database" and gave the figures of the file's, as of
	// no daemon. It shows the daemon, which its record says was started on
	// this file, and says that its data directory is not the file's (exit 5).
	listenOn(t, config, strings.TrimPrefix(d.url, "http://"))
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.HasPrefix(out, "data_dir      NOT THE DAEMON'S: it serves "+unitDir+" (SYNCD_DATA_DIR in its environment") ||
		!strings.Contains(out, "running since") || !strings.Contains(out, "database "+filepath.Join(unitDir, "syncd.db")) {
		t.Errorf("status of a daemon whose SYNCD_DATA_DIR overrides the file's data_dir: exit %d\n%s%s", code, out, stderr)
	}
	record := filepath.Join(unitDir, "syncd-serving.json")
	if _, err := os.Stat(record); err != nil {
		t.Errorf("the daemon's record: %v", err)
	}
	d.stop(t, syscall.SIGTERM)
	mustContain(t, "serve's log", d.log(), `"level":"warn"`, want)
	if _, err := os.Stat(record); err == nil {
		t.Error("the daemon's record left behind at a clean stop")
	}

	// Started by hand in its folder (cd DIR; syncd serve -config rel.yaml)
	// with data_dir: data, status run from elsewhere read ./data there and
	// said the daemon "serves DIR/data/syncd.db, not this configuration's
	// database". It shows the daemon and says why (exit 5); and of a
	// relative mapping dir that does not load from here, where the daemon
	// reads it.
	rel := filepath.Join(dir, "rel.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+fileDir, "data_dir: data", 1)
	os.WriteFile(rel, []byte(yaml), 0o600)
	cmd := syncdCmd("serve", "-config", "rel.yaml")
	cmd.Dir = dir
	d = startCmd(t, cmd)
	defer d.stop(t, syscall.SIGTERM)
	listenOn(t, rel, strings.TrimPrefix(d.url, "http://"))
	here, _ := os.Getwd()
	out, stderr, code = syncdRun(t, "status", "-config", rel)
	if code != 5 || !strings.HasPrefix(out, "data_dir      RELATIVE (data): the daemon reads it from the directory it runs in ("+
		dir+"), as "+fileDir+"; commands run from here read "+filepath.Join(here, "data")) ||
		!strings.Contains(out, "database "+filepath.Join(fileDir, "syncd.db")) {
		t.Errorf("status of a daemon started elsewhere on a relative data_dir: exit %d\n%s%s", code, out, stderr)
	}
	maps, _ := filepath.Abs("../../mappings/hubspot")
	os.Symlink(maps, filepath.Join(dir, "maps"))
	listened, _ := os.ReadFile(rel)
	os.WriteFile(rel, []byte(strings.Replace(string(listened), "dir: "+maps, "dir: maps", 1)), 0o600)

	out, stderr, code = syncdRun(t, "status", "-config", rel)
	if code != 5 || !strings.HasPrefix(out, "config file   DOES NOT LOAD: "+rel) || !strings.Contains(out, "; it runs in "+dir+
		", where the file's relative paths are read, and status read them from "+here+": run syncd status there (cd "+sq(dir)+")") {
		t.Errorf("status of a file with a relative mapping dir, from elsewhere: exit %d\n%s%s", code, out, stderr)
	}

	// The data directory moved under a running daemon (mv, data_dir edited
	// to the new place, not restarted): status said that the syncd at
	// listen "serves OLD/syncd.db, not this configuration's database" and
	// gave the moved database's figures as of no daemon, while that daemon
	// answered every delivery 503. Its record, moved with the database,
	// names this file: status shows the daemon and says to restart it.
	moving := filepath.Join(dir, "moving")
	os.Mkdir(moving, 0o700)
	movingConfig := writeConfig(t, moving)
	m := start(t, movingConfig, "INVOCATION_ID=", "NOTIFY_SOCKET=") // by hand: no unit restarts it
	defer m.stop(t, syscall.SIGTERM)
	listenOn(t, movingConfig, strings.TrimPrefix(m.url, "http://"))
	from, to := filepath.Join(moving, "data"), filepath.Join(moving, "moved")
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
	yaml2, _ := os.ReadFile(movingConfig)
	os.WriteFile(movingConfig, []byte(strings.Replace(string(yaml2), "data_dir: "+from, "data_dir: "+to, 1)), 0o600)
	out, stderr, code = syncdRun(t, "status", "-config", movingConfig)
	if code != 5 || !strings.HasPrefix(out, "data_dir      MOVED under the daemon: it serves "+filepath.Join(from, "syncd.db")+
		", no longer there") || !strings.Contains(out, fmt.Sprintf("restart it (kill %d, then start it again as it was started, in ", m.cmd.Process.Pid)) || !strings.Contains(out, "running since") {
		t.Errorf("status of a data directory moved under its daemon: exit %d\n%s%s", code, out, stderr)
	}
}

// syncdRunEnv is syncdRun with env (NAME=value) added to the environment.
func syncdRunEnv(t *testing.T, env string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut strings.Builder
	cmd := syncdCmd(args...)
	cmd.Env = append(cmd.Environ(), env)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("syncd %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}
