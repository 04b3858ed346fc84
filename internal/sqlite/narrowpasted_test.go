package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestNarrowChmodPastesInAnyDirectory: a database file wider than syncd
// keeps, of another user, is refused naming the chmod that narrows it.
// The file was named bare, so in a data directory such as "Søren's syncd
// (test)" the chmod pasted into a shell did not run (an apostrophe left
// open). It is quoted for the shell now: run by sh as printed, it gives
// the file the mode syncd keeps.
func TestNarrowChmodPastesInAnyDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "syncd.db")
	if err := os.WriteFile(db, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := notNarrowed(db, 0o644, 0o600)
	m := regexp.MustCompile(`: (chmod 600 .*)$`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no chmod said: %v", err)
	}
	if out, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
		t.Fatalf("%s, run by sh: %v\n%s", m[1], err, out)
	}
	if st, err := os.Stat(db); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("after %s, %s is %v (%v), want mode 0600", m[1], db, st.Mode().Perm(), err)
	}
}
