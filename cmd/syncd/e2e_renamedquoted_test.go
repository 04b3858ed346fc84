package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestRenamedDatabaseMvIsQuotedForTheShell: the mv that serve, validate
// and status suggest to put back a database renamed in its data directory
// named the paths bare, so with a space in the data directory (or an
// apostrophe in the renamed file's name) the pasted command moved the
// wrong files or none. The paths are quoted for the shell now: the
// suggested command, run by sh as printed, puts the database back, and
// serve then starts on it.
func TestRenamedDatabaseMvIsQuotedForTheShell(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := filepath.Join(t.TempDir(), "syncd data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	config := writeConfig(t, dir)
	start(t, config).stop(t, syscall.SIGTERM)
	data := filepath.Join(dir, "data")
	db, old := filepath.Join(data, "syncd.db"), filepath.Join(data, "syncd.db before Jo's upgrade")
	mvLine := regexp.MustCompile(`put it back: (mv .*?); if not, restore it`)
	for _, c := range []struct {
		cmd  string
		code int
	}{{"serve", 2}, {"validate", 2}, {"status", 5}} {
		if err := os.Rename(db, old); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := syncdRun(t, c.cmd, "-config", config)
		m := mvLine.FindStringSubmatch(logText(out + errOut))
		if code != c.code || m == nil {
			t.Fatalf("syncd %s after the database was renamed: exit %d, want %d and an mv\n%s%s", c.cmd, code, c.code, out, errOut)
		}
		if !strings.HasPrefix(m[1], "mv '") {
			t.Errorf("syncd %s suggests %s, want its paths quoted", c.cmd, m[1])
		}
		if sh, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
			t.Fatalf("syncd %s's %s, run by sh: %v\n%s", c.cmd, m[1], err, sh)
		}
		if _, err := os.Stat(db); err != nil {
			t.Fatalf("syncd %s's %s did not put the database back: %v", c.cmd, m[1], err)
		}
	}
	start(t, config).stop(t, syscall.SIGTERM) // the database put back is the daemon's own
}

// logText is out with each JSON log line (serve's) as its error and
// message read back, so that a command in them reads as printed.
func logText(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		var rec struct{ Error, Message string }
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &rec) == nil {
			line = rec.Error + " " + rec.Message
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}
