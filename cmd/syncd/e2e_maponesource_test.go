package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestMapTakesTheOnlySource: syncd map without -source refused to run
// (exit 2, "-source is required") on a configuration of one source, where
// the payload can have come to no other. It now takes that source and
// says which on stderr, the operations on stdout as with -source; with
// several sources it still refuses, naming them.
func TestMapTakesTheOnlySource(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	maps, _ := filepath.Abs("../../mappings/hubspot")
	one := filepath.Join(dir, "one.yaml")
	if err := os.WriteFile(one, []byte("listen: 127.0.0.1:0\ndata_dir: "+filepath.Join(dir, "data")+
		"\nsources:\n  lokalebasen:\n    kind: lokalebasen\n    tokens: ["+e2eLBToken+"]\nmapping:\n  dir: "+maps+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const body = "../../testdata/webhooks/lokalebasen/enquiry_created.json"
	want, _, code := syncdRun(t, "map", "-config", one, "-source", "lokalebasen", body)
	if code != 0 || want == "" {
		t.Fatalf("syncd map -source lokalebasen: exit %d, stdout:\n%s", code, want)
	}
	out, stderr, code := syncdRun(t, "map", "-config", one, body)
	if code != 0 || out != want {
		t.Errorf("syncd map without -source, one source: exit %d, stdout:\n%s\nstderr:\n%s\nwant exit 0 and the stdout of -source lokalebasen:\n%s",
			code, out, stderr, want)
	}
	if says := "syncd map: no -source given: taking lokalebasen, the only source in " + one + "\n"; !strings.HasPrefix(stderr, says) {
		t.Errorf("syncd map without -source, one source: stderr\n%s\nwant it to start %q", stderr, says)
	}

	several := writeConfig(t, t.TempDir())
	out, stderr, code = syncdRun(t, "map", "-config", several, body)
	if code != 2 || out != "" || !strings.Contains(stderr, "syncd map: -source is required") || !strings.Contains(stderr, "(eaf, lokalebasen)") {
		t.Errorf("syncd map without -source, two sources: exit %d, stdout %q, stderr:\n%s\nwant exit 2 naming eaf and lokalebasen", code, out, stderr)
	}
}

// TestMapWithoutSourceOnAConfigurationThatDoesNotLoad: syncd map without
// -source on a configuration that does not load (an unterminated list
// appended) said "-source is required", with the usage, and not the
// configuration's problem, which -source would not have mended. It now
// says the problem as validate does, with its file and line, exit 2 as
// for any configuration that does not load; -source given or not.
func TestMapWithoutSourceOnAConfigurationThatDoesNotLoad(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	file := writeConfig(t, dir)
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(good), "\n") + 1
	if err := os.WriteFile(file, append(good, "x: [\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	_, problem, code := syncdRun(t, "validate", "-config", file)
	at := file + ":" + strconv.Itoa(line)
	if code != 2 || !strings.Contains(problem, at) {
		t.Fatalf("syncd validate on the broken file: exit %d, stderr:\n%s\nwant exit 2 naming %s", code, problem, at)
	}
	const body = "../../testdata/webhooks/lokalebasen/enquiry_created.json"
	for _, args := range [][]string{{"map", "-config", file, body}, {"map", "-config", file, "-source", "lokalebasen", body}} {
		out, stderr, code := syncdRun(t, args...)
		if code != 2 || out != "" || !strings.Contains(stderr, "syncd map: "+file+": 1 problem:\n"+at) ||
			strings.Contains(stderr, "-source is required") || strings.Contains(stderr, "usage:") {
			t.Errorf("syncd %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and the configuration's problem at %s, no usage",
				strings.Join(args, " "), code, out, stderr, at)
		}
	}
	// with the argument left out as well, that is said too, below the problem
	_, stderr, code := syncdRun(t, "map", "-config", file)
	if code != 2 || !strings.Contains(stderr, at) || !strings.Contains(stderr, "it takes one argument") {
		t.Errorf("syncd map -config BROKEN without a payload: exit %d, stderr:\n%s\nwant exit 2, the problem and the missing argument", code, stderr)
	}
}
