package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportBesideADamagedErasureLogSaysWhatToDo: an erasure log whose
// first line (the salt) was cut made every syncd export fail, exit 1, with
// "erasure log: …: no salt on its first line" and nothing on what it meant
// or what to do. Now export hands over what the database holds and says
// what the export may lack and what to do, exit 5; on a restored backup,
// where only the log tells what the restore holds again that an erasure
// removed, it refuses, exit 5, nothing on stdout. Moved aside (as it says),
// the export goes through.
func TestExportBesideADamagedErasureLogSaysWhatToDo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	backup := backUp(t, config)
	syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "data", "syncd-erasures.jsonl")
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "\n") // the salt's line cut
	if err := os.WriteFile(logPath, []byte(rest), 0o600); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "angela7913@hotmail.com")
	var ex struct {
		Events []json.RawMessage `json:"events"`
	}
	if code != 5 || json.Unmarshal([]byte(out), &ex) != nil || len(ex.Events) != 1 ||
		!strings.Contains(stderr, "syncd export: the export is written, without the erasure log beside the database, which does not read") ||
		!strings.Contains(stderr, "no salt on its first line; syncd status: ERASURE LOG UNREADABLE") ||
		!strings.Contains(stderr, "move it aside (the next erase makes a new one)") {
		t.Errorf("export beside a damaged erasure log: exit %d; want 5, the export, what it lacks and what to do:\n%s\n%s", code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "export", "-config", config, "-event", "2", "-format", "text")
	if code != 5 || !strings.Contains(out, "angela7913@hotmail.com") || !strings.Contains(stderr, "the export is written, without the erasure log") {
		t.Errorf("export -event beside a damaged erasure log: exit %d; want 5, the export and what to do:\n%s\n%s", code, out, stderr)
	}

	restore(t, backup, filepath.Join(dir, "data", "syncd.db"))
	out, stderr, code = syncdRun(t, "export", "-config", config, "-email", "support@estateagentfeeds.com")
	if code != 5 || out != "" || !strings.Contains(stderr, "syncd export: refused: the database is a backup taken at ") ||
		!strings.Contains(stderr, "and the erasure log beside it does not read (erasure log: ") ||
		!strings.Contains(stderr, "an export could hand over what the person had erased") || !strings.Contains(stderr, "move it aside") {
		t.Errorf("export on a restored backup beside a damaged erasure log: exit %d; want it refused (5), saying why and what to do:\n%s\n%s",
			code, out, stderr)
	}
	// Status said the log unreadable, and of the restore only an error on
	// stderr: it says the restore too, and that the log cannot tell.
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "ERASURE LOG UNREADABLE") || !strings.Contains(out, "restored      from a backup taken at") ||
		!strings.Contains(out, "the erasure log that would say which does not read") || strings.Contains(stderr, "restored backup: erasure log") {
		t.Errorf("status on a restored backup beside a damaged erasure log: exit %d\n%s\n%s", code, out, stderr)
	}
	if err := os.Rename(logPath, logPath+".damaged"); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "export", "-config", config, "-email", "angela7913@hotmail.com")
	if code != 0 || !strings.Contains(out, "angela7913@hotmail.com") || strings.Contains(stderr, "erasure log") {
		t.Errorf("export once the damaged log is moved aside: exit %d\n%s\n%s", code, out, stderr)
	}
}
