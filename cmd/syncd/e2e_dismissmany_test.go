package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDismissManyAtOnce: after an upgrade, every old quarantined body
// neither repaired nor dismissed made syncd status exit 5 until each was
// dismissed by its id, one by one. events dismiss -before T takes those
// received before T, -all every one waiting, saying how many and which,
// asking nothing; -dry-run names them and dismisses none; a repaired body
// is left as it is, and ids beside -all or -before are refused.
func TestDismissManyAtOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil { // status finds the daemon there
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	hook := d.url + "/hooks/eaf/" + e2eEAFToken
	old1, old2 := mustQuarantine(t, hook, "GET / HTTP/1.1"), mustQuarantine(t, hook, "{old")
	before := time.Now().Format(time.RFC3339Nano)
	lead := mustQuarantine(t, d.url+"/hooks/lokalebasen/"+e2eLBToken, `{"event": "enquiry_created", "name": "Kim`)
	repaired := mustQuarantine(t, d.url+"/hooks/lokalebasen/"+e2eLBToken, `{"event": "enquiry_created", "name": "Bo`)
	if out, errOut, code := syncdRun(t, "events", "repair", "-config", config, repaired,
		"../../testdata/webhooks/lokalebasen/enquiry_created.json"); code != 0 {
		t.Fatalf("events repair: exit %d\n%s%s", code, out, errOut)
	}

	if _, errOut, code := syncdRun(t, "events", "dismiss", "-config", config, "-all", old1); code != 2 {
		t.Errorf("events dismiss -all with an id: exit %d, want 2\n%s", code, errOut)
	}
	out, errOut, code := syncdRun(t, "events", "dismiss", "-config", config, "-dry-run", "-before", before)
	if code != 0 {
		t.Fatalf("events dismiss -dry-run -before: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "events dismiss -dry-run", out, "would dismiss 2 quarantined bodies", "ids "+old1+", "+old2)
	if out, _, _ := syncdRun(t, "status", "-config", config); !strings.Contains(out, "3 bodies WAIT") {
		t.Errorf("status after -dry-run: want 3 bodies still waiting\n%s", out)
	}

	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, "-before", before)
	if code != 0 {
		t.Fatalf("events dismiss -before: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "events dismiss -before", out, "dismissed 2 quarantined bodies", "ids "+old1+", "+old2)
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "1 body WAITS for a person (id "+lead+")") {
		t.Errorf("status after -before: exit %d, want 5 and the newer lead alone waiting\n%s", code, out)
	}

	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, "-all")
	if code != 0 {
		t.Fatalf("events dismiss -all: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "events dismiss -all", out, "dismissed 1 quarantined body", "id "+lead)
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 {
		t.Errorf("status once all are dismissed: exit %d, want 0\n%s", code, out)
	}
	out, _, _ = syncdRun(t, "events", "show", "-quarantined", "-config", config, repaired)
	mustContain(t, "events show -quarantined of the repaired body", out, "repaired as event")
	out, errOut, code = syncdRun(t, "events", "dismiss", "-config", config, "-all")
	if code != 0 {
		t.Errorf("events dismiss -all with none waiting: exit %d, want 0\n%s", code, errOut)
	}
	mustContain(t, "events dismiss -all with none waiting", out, "no quarantined body waits for a person (received before ", "nothing dismissed")
}
