package main_test

import (
	"os"
	"path/filepath"
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
