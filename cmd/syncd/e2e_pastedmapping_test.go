package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestAMappingPastedFromAMailIsRefusedOnReload: an operator on Windows
// pastes a mapping line from a colleague's mail into Notepad, which saves
// it with a byte order mark and CRLF line ends, the mail having made the
// example's straight quotes typographic ({const: “lead”}). Before, validate
// passed and the reload took it: every contact from then on was sent with
// the lifecycle stage “lead”, quotes and all, which HubSpot refuses with
// the lead. Now validate names the file, line and column (exit 2); the
// running daemon's reload is rejected, keeping the mappings it had, and
// status says so with the problem as validate says it (exit 5; it sent
// the operator to the journal); the file fixed, status says it loads now,
// and the next reload takes it.
func TestAMappingPastedFromAMailIsRefusedOnReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappings(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	listenOn(t, config, strings.TrimPrefix(d.url, "http://")) // so that status finds it

	lb := filepath.Join(maps, "lokalebasen.yaml")
	data, err := os.ReadFile(lb)
	if err != nil {
		t.Fatal(err)
	}
	const line = "      lifecyclestage: {const: lead, write: create}\n"
	at := strings.Count(string(data[:strings.Index(string(data), line)]), "\n") + 1
	notepad := func(text string) []byte {
		return []byte("\ufeff" + strings.ReplaceAll(text, "\n", "\r\n"))
	}
	os.WriteFile(lb, notepad(strings.Replace(string(data), line, "      lifecyclestage: {const: “lead”, write: create}\n", 1)), 0o644)

	_, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks")
	want := "maps/lokalebasen.yaml:" + strconv.Itoa(at) + ": column 31: “lead” is in typographic quotes"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Fatalf("validate of a pasted mapping: exit %d\n%s\nwant %s", code, stderr, want)
	}

	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload rejected", func() bool { return strings.Contains(d.log(), "reload rejected") })
	if !strings.Contains(d.log(), want) {
		t.Fatalf("the rejected reload does not say where:\n%s", d.log())
	}
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "LAST RELOAD FAILED: running on the previous configuration and mappings; "+
		"the files on disk still do NOT LOAD: "+want) {
		t.Fatalf("status after a rejected reload: exit %d\n%s\nwant why: %s", code, out, want)
	}

	os.WriteFile(lb, notepad(string(data)), 0o644) // fixed, still as Notepad saves
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "the files on disk load now: syncd reload -config "+sq(config)+" takes them") {
		t.Fatalf("status of the file fixed, not reloaded: exit %d\n%s", code, out)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"reloaded"`) })
	out, _, _ = syncdRun(t, "status", "-config", config)
	if strings.Contains(out, "LAST RELOAD FAILED") {
		t.Fatalf("status after the fixed file's reload:\n%s", out)
	}

	// The configuration itself broken (a bracket left open beside a
	// token) and reloaded: status stopped at its problems, exit 2, and
	// never said that the daemon ran on, on what. It finds the daemon from
	// what the file still says and says first that the file does not
	// load (exit 5); none answering there, exit 2 as before.
	good, _ := os.ReadFile(config)
	broken := strings.Replace(string(good), "tokens: ["+e2eLBToken+"]", "tokens: ["+e2eLBToken, 1)
	os.WriteFile(config, []byte(broken), 0o600)
	_, stderr, _ = syncdRun(t, "validate", "-offline", "-config", config)
	problem, _, _ := strings.Cut(strings.TrimPrefix(stderr[strings.Index(stderr, "\n"+config+":")+1:], config), "\n") // ":6: did not find …"
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the configuration's reload rejected", func() bool { return strings.Count(d.log(), "reload rejected") == 2 })
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.HasPrefix(out, "config file   DOES NOT LOAD: "+config+problem+"; syncd validate -config "+sq(config)+
		" lists every problem; the daemon below, found at "+strings.TrimPrefix(d.url, "http://")) ||
		!strings.Contains(out, "LAST RELOAD FAILED: running on the previous configuration and mappings; "+
			"the files on disk still do NOT LOAD: the first problem above") ||
		strings.Count(out, problem) != 1 || strings.Contains(out+stderr, e2eLBToken) {
		t.Fatalf("status of a configuration that does not load, reload rejected: exit %d\n%s%s\nwant first %s%s, once, no token",
			code, out, stderr, config, problem)
	}
	elsewhere := filepath.Join(dir, "elsewhere.yaml")
	os.WriteFile(elsewhere, []byte(strings.Replace(strings.Replace(broken, strings.TrimPrefix(d.url, "http://"), freeAddr(t), 1),
		filepath.Join(dir, "data"), filepath.Join(dir, "other"), 1)), 0o600) // another daemon's, not running
	out, stderr, code = syncdRun(t, "status", "-config", elsewhere)
	if code != 2 || out != "" || !strings.Contains(stderr, elsewhere+problem) || !strings.Contains(stderr, "no syncd answers at ") {
		t.Fatalf("status of a configuration that does not load, no daemon at its address: exit %d\n%s%s", code, out, stderr)
	}

	// The same edit moved the port too (listen needs a restart, and the
	// reload was refused anyway): status looked at the new address only,
	// said that no daemon answers and exited 2, the daemon running on the
	// old one. It finds it from the record the daemon keeps in its data
	// directory, and says where and why.
	old, dataDir := strings.TrimPrefix(d.url, "http://"), filepath.Join(dir, "data")
	moved := freeAddr(t)
	os.WriteFile(config, []byte(strings.Replace(broken, old, moved, 1)), 0o600)
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.HasPrefix(out, "config file   DOES NOT LOAD: ") ||
		!strings.Contains(out, "the daemon below, found at "+old+" (none answers at "+moved+", the file's listen: "+
			"it serves where it started, as its record "+filepath.Join(dataDir, "syncd-serving.json")+" says)") ||
		!strings.Contains(out, "database "+filepath.Join(dataDir, "syncd.db")) {
		t.Fatalf("status of a broken file whose listen moved: exit %d\n%s%s", code, out, stderr)
	}

	// Broken above its data_dir: status read the default data directory's
	// database (./data, none here) beside the daemon found at listen, and
	// said that it serves another database, exit 2. The daemon's record
	// names this configuration file: its database is this one's.
	above := strings.Replace(broken, "data_dir: ", "cr m: [x\ndata_dir: ", 1)
	os.WriteFile(config, []byte(above), 0o600)
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "found at "+old) || !strings.Contains(out, "database "+filepath.Join(dataDir, "syncd.db")) {
		t.Fatalf("status of a file broken above its data_dir: exit %d\n%s%s", code, out, stderr)
	}
	// Broken above listen too, its port moved: no daemon found, status
	// cannot tell which database is this file's. It says so and what to
	// do, rather than report on the default data directory's.
	os.WriteFile(config, []byte("listen: ["+moved+"\n"+strings.TrimPrefix(above, "listen: "+old+"\n")), 0o600)
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 2 || out != "" || !strings.Contains(stderr, "syncd status: cannot tell which database is this configuration's") ||
		!strings.Contains(stderr, "SYNCD_DATA_DIR") {
		t.Fatalf("status of a file broken above listen and data_dir: exit %d\n%s%s", code, out, stderr)
	}
}
