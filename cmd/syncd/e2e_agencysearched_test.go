package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestAPersonNotFoundNamesTheDatabaseSearched: on a server of several
// agencies each syncd reads its own database. A data-protection officer
// who exported and erased agency A's lead with agency B's -config (the
// file beside it) was told "nothing found: syncd holds nothing under the
// email given", and that the erasure was recorded, with no word of where
// syncd had looked: A's syncd still held the person. Export and erase now
// name the database searched and the file naming it, and that another
// agency's syncd is searched with its own file.
func TestAPersonNotFoundNamesTheDatabaseSearched(t *testing.T) {
	t.Parallel()
	_, configA := storedAngela(t)
	dirB := t.TempDir()
	configB := writeConfig(t, dirB)
	d := start(t, configB) // B's database, holding none of A's leads
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	dbB := filepath.Join(dirB, "data", "syncd.db")
	want := "searched: " + dbB + ", the database of " + configB + " (another agency's syncd on this server reads its own: -config its file)"

	_, stderr, code := syncdWith(t, "", "export", "-config", configB, "-email", "angela7913@hotmail.com")
	if code != 0 || !strings.Contains(stderr, "syncd export: nothing found") || !strings.Contains(stderr, "syncd export: "+want) {
		t.Errorf("export with agency B's file of agency A's lead: exit %d, want the database searched named:\n%s", code, stderr)
	}
	out := syncdOK(t, "erase", "-config", configB, "-email", "angela7913@hotmail.com")
	mustContain(t, "erase with agency B's file of agency A's lead", out, "nothing found: syncd holds nothing", want)
	// Where the person is found, nothing of the kind is said.
	if out := syncdOK(t, "erase", "-config", configA, "-email", "angela7913@hotmail.com"); strings.Contains(out, "searched:") {
		t.Errorf("erase of a person found names the database searched:\n%s", out)
	}
}
