package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportOutIsTheOwnersOnly: `syncd export > jane.json` under umask 022
// made a file of personal data every user of the host can read. `-out FILE`
// makes a new file only its owner reads (under umask 0 too), refuses one
// that exists (exit 2, the file untouched) or a directory not there, and
// leaves no file when the export fails.
func TestExportOutIsTheOwnersOnly(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir, config := storedAngela(t)
	file := filepath.Join(dir, "angela.json")
	out, stderr, code := syncdWith(t, "", "export", "-config", config, "-email", "angela7913@hotmail.com", "-out", file)
	if code != 0 || strings.TrimSpace(out) != file {
		t.Fatalf("export -out: exit %d\n%s%s", code, out, stderr)
	}
	mustMode(t, file, 0o600)
	b, err := os.ReadFile(file)
	var ex struct{ Events []any }
	if err != nil || json.Unmarshal(b, &ex) != nil || len(ex.Events) != 1 || !strings.Contains(string(b), "Angela Baker") {
		t.Fatalf("the file: %v\n%s", err, b)
	}
	_, stderr, code = syncdWith(t, "", "export", "-config", config, "-email", "someone@example.com", "-out", file)
	if code != 2 || !strings.Contains(stderr, "syncd export: -out: "+file+" exists") {
		t.Errorf("export -out over a file: exit %d\n%s", code, stderr)
	}
	if again, _ := os.ReadFile(file); string(again) != string(b) {
		t.Error("the file refused was changed")
	}
	missing := filepath.Join(dir, "nodir", "x.json")
	_, stderr, code = syncdWith(t, "", "export", "-config", config, "-email", "someone@example.com", "-out", missing)
	if code != 2 || !strings.Contains(stderr, "no directory "+filepath.Dir(missing)) {
		t.Errorf("export -out in a directory not there: exit %d\n%s", code, stderr)
	}
	// Redirected to a file others may read, it says so.
	redirected, err := os.OpenFile(filepath.Join(dir, "redirected.json"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer redirected.Close()
	var errOut strings.Builder
	cmd := syncdCmd("export", "-config", config, "-email", "angela7913@hotmail.com")
	cmd.Stdout, cmd.Stderr = redirected, &errOut
	if err := cmd.Run(); err != nil || !strings.Contains(errOut.String(), "syncd export: the file stdout went to may be read by other users (mode 0644)") {
		t.Errorf("export > a file of mode 0644: %v\n%s", err, errOut.String())
	}
	// The database unreadable: the export fails, and leaves no file.
	if err := os.Rename(filepath.Join(dir, "data"), filepath.Join(dir, "moved")); err != nil {
		t.Fatal(err)
	}
	failed := filepath.Join(dir, "failed.json")
	_, stderr, code = syncdWith(t, "", "export", "-config", config, "-email", "angela7913@hotmail.com", "-out", failed)
	if _, err := os.Lstat(failed); code == 0 || err == nil {
		t.Errorf("export -out of a database gone: exit %d, file %v\n%s", code, err, stderr)
	}
}
