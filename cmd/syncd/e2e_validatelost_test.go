package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateSaysWhenServeWouldRefuseTheDatabase: syncd validate, run
// before a (re)start as the README's install and upgrade steps say, told of
// a database that serve refuses "(not there yet: serve creates it)" where
// data_dir held one that is gone (serve stops: restore it or -fresh), and
// nothing at all of a file that is not an SQLite database (serve stops:
// restore it), both with exit 0; the restart that followed failed. So it
// did of a data_dir that is a file, where serve cannot make its database. It
// says so and exits as serve does: 2 for a database lost or not one (a
// person restores it), 1 for a data_dir that is a file.
func TestValidateSaysWhenServeWouldRefuseTheDatabase(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")

	out, stderr, code := syncdRun(t, "validate", "-config", config)
	if code != 0 || !strings.Contains(out, "database: "+db+" (not there yet: serve creates it)") {
		t.Fatalf("validate before the first serve: exit %d\n%s%s", code, out, stderr)
	}
	makeDB(t, dir)
	out, stderr, code = syncdRun(t, "validate", "-config", config)
	if code != 0 || !strings.Contains(out, "database: "+db+"\n") || stderr != "" {
		t.Fatalf("validate beside a database: exit %d\n%s%s", code, out, stderr)
	}

	if err := os.Rename(db, db+".moved"); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "validate", "-config", config)
	if code != 2 || strings.Contains(out, "serve creates it") ||
		!strings.Contains(stderr, db+" is gone, though data_dir held it (.syncd.db.created is there): serve refuses to start") ||
		!strings.Contains(stderr, "-fresh") {
		t.Fatalf("validate where the database was lost: exit %d\n%s%s", code, out, stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("validate created a database where it was lost")
	}

	if err := os.WriteFile(db, []byte("not a database, a file copied in its place\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "validate", "-config", config)
	if code != 2 || !strings.Contains(stderr, db+" is not an SQLite database (damaged, or another file in its place): serve refuses to start") {
		t.Fatalf("validate where the database is another file: exit %d\n%s%s", code, out, stderr)
	}
	if _, _, code := syncdRun(t, "serve", "-config", config); code != 2 {
		t.Fatalf("serve on a file that is not a database: exit %d, want 2 (refused as validate now says, not restarted)", code)
	}

	// data_dir naming a file (a path mistyped onto the configuration file):
	// serve stops with "mkdir …: not a directory", validate said "not there
	// yet: serve creates it".
	for _, dataDir := range []string{config, filepath.Join(config, "data")} {
		out, stderr, code = syncdRunEnv(t, "SYNCD_DATA_DIR="+dataDir, "validate", "-config", config)
		if code != 2 || strings.Contains(out, "serve creates it") ||
			!strings.Contains(stderr, "data_dir "+dataDir+" is not a directory (a file is in the way): serve cannot make or open syncd.db there") {
			t.Fatalf("validate, data_dir %s: exit %d\n%s%s", dataDir, code, out, stderr)
		}
	}
}
