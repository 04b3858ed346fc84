package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestReloadSaysWhetherTheDaemonTookTheFiles: the units reloaded with
// ExecReload=/bin/kill -HUP, so systemctl reload returned 0 whatever the
// daemon made of the files, and an operator who broke a mapping learnt
// of it only from syncd status or the journal. syncd reload, the units'
// ExecReload now, signals the daemon found from the configuration (or
// -pid, systemd's $MAINPID), waits for its answer and exits 0 when it took
// the files, 2 naming their problems when it rejected them (so systemctl
// reload fails), 1 when no daemon answers.
func TestReloadSaysWhetherTheDaemonTookTheFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	pid := strconv.Itoa(d.cmd.Process.Pid)

	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "reloaded: the daemon (pid "+pid+") runs on "+config) {
		t.Fatalf("reload of files that load: exit %d\n%s%s", code, out, stderr)
	}
	if n := strings.Count(d.log(), `"reloaded"`); n != 1 {
		t.Fatalf("the daemon reloaded %d times, want 1:\n%s", n, d.log())
	}

	lb := filepath.Join(maps, "lokalebasen.yaml")
	good := breakYAML(t, lb)
	at := strconv.Itoa(strings.Count(string(good), "\n") + 1) // the line appended
	for _, args := range [][]string{{"reload", "-config", config}, {"reload", "-config", config, "-pid", pid}} {
		out, stderr, code = syncdRun(t, args...)
		if code != 2 || !strings.Contains(stderr, "REJECTED: the daemon (pid "+pid+") runs on the configuration and mappings it loaded before") ||
			!strings.Contains(stderr, "lokalebasen.yaml:"+at+":") {
			t.Fatalf("%s of a broken mapping: exit %d\n%s%s\nwant exit 2, REJECTED, lokalebasen.yaml:%s", args, code, out, stderr, at)
		}
	}
	if n := strings.Count(d.log(), "reload rejected"); n != 2 {
		t.Fatalf("the daemon rejected %d reloads, want 2:\n%s", n, d.log())
	}

	os.WriteFile(lb, good, 0o644)
	if out, stderr, code = syncdRun(t, "reload", "-config", config); code != 0 {
		t.Fatalf("reload of the mapping mended: exit %d\n%s%s", code, out, stderr)
	}
	if out, _, _ = syncdRun(t, "status", "-config", config); strings.Contains(out, "LAST RELOAD FAILED") {
		t.Fatalf("status after a reload that took the files:\n%s", out)
	}

	// No daemon where the configuration points: nothing signalled.
	other := filepath.Join(dir, "other.yaml")
	raw, _ := os.ReadFile(config)
	os.WriteFile(other, []byte(strings.Replace(strings.Replace(string(raw), strings.TrimPrefix(d.url, "http://"), freeAddr(t), 1),
		filepath.Join(dir, "data"), filepath.Join(dir, "otherdata"), 1)), 0o600)
	if out, stderr, code = syncdRun(t, "reload", "-config", other); code != 1 || !strings.Contains(stderr, "nothing to reload") {
		t.Fatalf("reload with no daemon: exit %d\n%s%s", code, out, stderr)
	}
}

// breakYAML appends an unclosed bracket to the YAML file at path, and
// returns the file as it was.
func breakYAML(t *testing.T, path string) []byte {
	t.Helper()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(append([]byte{}, good...), "junk: [\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	return good
}

// TestUnitsReloadThroughSyncdReload: each unit's ExecReload is syncd
// reload of the configuration its ExecStart serves, with systemd's
// $MAINPID, so that systemctl reload waits for the daemon's answer.
func TestUnitsReloadThroughSyncdReload(t *testing.T) {
	t.Parallel()
	for _, unit := range []string{"syncd.service", "syncd@.service"} {
		raw, err := os.ReadFile(filepath.Join("../../systemd", unit))
		if err != nil {
			t.Fatal(err)
		}
		var start, reload string
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "ExecStart=/usr/bin/syncd serve -config "); ok {
				start = v
			}
			if v, ok := strings.CutPrefix(line, "ExecReload="); ok {
				reload = v
			}
		}
		if want := "/usr/bin/syncd reload -config " + start + " -pid $MAINPID"; start == "" || reload != want {
			t.Errorf("%s: ExecReload=%s, want %s", unit, reload, want)
		}
	}
}

// TestReloadByHandNamesTheFilesProblemNotTheCredentials: the daemon reads
// its secret files from systemd's copies ($CREDENTIALS_DIRECTORY), which
// an operator's shell does not have: syncd reload run by hand then named
// the password file as the problem, not the mapping the daemon rejected.
// It reads the files as syncd status does, with the daemon's copies.
func TestReloadByHandNamesTheFilesProblemNotTheCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	copies := filepath.Join(dir, "run-credentials")
	os.Mkdir(copies, 0o700)
	os.WriteFile(filepath.Join(copies, "smtp-password"), []byte("mail-secret\n"), 0o600)
	raw, _ := os.ReadFile(config)
	os.WriteFile(config, append(raw, "report:\n  mail:\n    password_file: smtp-password\n"...), 0o600)
	d := start(t, config, "CREDENTIALS_DIRECTORY="+copies) // as systemd starts it
	defer d.stop(t, syscall.SIGTERM)

	breakYAML(t, filepath.Join(maps, "lokalebasen.yaml"))
	out, stderr, code := syncdRun(t, "reload", "-config", config) // from a shell: no $CREDENTIALS_DIRECTORY
	if code != 2 || !strings.Contains(stderr, "lokalebasen.yaml:") || strings.Contains(stderr, "smtp-password") {
		t.Fatalf("reload by hand of a broken mapping: exit %d\n%s%s\nwant exit 2 naming lokalebasen.yaml, not the password file", code, out, stderr)
	}
}

// TestReloadOfAFileBrokenAboveItsListen: a configuration broken above its
// listen: does not say where the daemon is, so syncd reload found none and
// said "nothing to reload", exit 1, though systemd had given it the
// daemon's pid and the file would be rejected. It signals the pid given
// and says that the file does not load, with its problems, exit 2.
func TestReloadOfAFileBrokenAboveItsListen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, _ := editedMappingsListening(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	raw, _ := os.ReadFile(config)
	os.WriteFile(config, append([]byte("listen: [\n"), raw...), 0o600)
	pid := strconv.Itoa(d.cmd.Process.Pid)
	out, stderr, code := syncdRun(t, "reload", "-config", config, "-pid", pid)
	if code != 2 || !strings.Contains(stderr, "sent SIGHUP to pid "+pid+", but "+config+" does NOT LOAD, so the daemon keeps "+
		"running on the files it loaded before") || !strings.Contains(stderr, config+":") {
		t.Fatalf("reload -pid of a file broken above its listen: exit %d\n%s%s", code, out, stderr)
	}
	waitFor(t, "the reload rejected", func() bool { return strings.Contains(d.log(), "reload rejected") })
}

// TestReloadOfAHeldMappingSaysWhatItHolds: a daemon whose mapping files
// did not load as it started holds its mapping: it stores every delivery
// and maps none. syncd reload, rejected, said it "runs on the
// configuration and mappings it loaded before", which it has none of; it
// says the mapping is still held. Taken, it says the leads that waited
// are mapped now.
func TestReloadOfAHeldMappingSaysWhatItHolds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	lb := filepath.Join(maps, "lokalebasen.yaml")
	good := breakYAML(t, lb)
	d := start(t, config) // holds its mapping
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 2 || !strings.Contains(stderr, "REJECTED: the daemon (pid "+strconv.Itoa(d.cmd.Process.Pid)+") still holds its mapping") {
		t.Fatalf("reload of a held mapping still broken: exit %d\n%s%s", code, out, stderr)
	}
	os.WriteFile(lb, good, 0o644)
	out, stderr, code = syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "the leads that waited while its mapping was held are mapped now") {
		t.Fatalf("reload of a held mapping mended: exit %d\n%s%s", code, out, stderr)
	}
}
