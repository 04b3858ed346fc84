package main_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRepairWithACopyThatDoesNotReadSaysWhy: a corrected copy that does not
// read either was refused as "syncd: the corrected body does not parse
// either", naming neither the file nor what is wrong with it. It names
// both, exit 2, and stores nothing. A copy not there is said so naming the
// command, exit 1.
func TestRepairWithACopyThatDoesNotReadSaysWhy(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	defer d.stop(t, syscall.SIGTERM)
	id := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type":"email_lead","eaf_id":"880081"`)
	out, _, _ := syncdRun(t, "events", "show", "-quarantined", "-config", config, id)
	mustContain(t, "events show -quarantined", out, "WAITS for a person: not read as a lead",
		"syncd events repair "+id+" FILE", "syncd events dismiss "+id)
	copied := filepath.Join(dir, "lead.json")
	// A copy not there named no command: "syncd: open lead.json: no such file or directory".
	_, errOut, code := syncdRun(t, "events", "repair", "-config", config, id, copied)
	if code != 1 {
		t.Errorf("events repair with no copy there: exit %d, want 1\n%s", code, errOut)
	}
	mustContain(t, "events repair with no copy there", errOut, "syncd events repair: the corrected copy does not read",
		"no such file", "syncd events show -quarantined "+id)
	if err := os.WriteFile(copied, []byte(`{"eaf_type":"email_lead","eaf_id":"880081",,}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = syncdRun(t, "events", "repair", "-config", config, id, copied)
	if code != 2 {
		t.Errorf("events repair with a copy that does not read: exit %d, want 2\n%s%s", code, out, errOut)
	}
	mustContain(t, "events repair with a copy that does not read", errOut, copied+" does not read either: invalid JSON",
		"nothing stored")
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 0 {
		t.Errorf("events after the refused repair: %v; want none", evs)
	}
}
