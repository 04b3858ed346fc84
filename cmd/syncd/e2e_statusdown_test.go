package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatusWithNoDaemonAndNoDatabaseNeedsAttention: with no daemon
// answering and the database not readable either (never made where
// data_dir points, moved away from the data_dir that held it, another file
// in its place), syncd status exited 1, not the 5 the README's Monitoring
// section and the systemd README promise a monitoring script "when
// something needs attention", though "no daemon answering" and "the
// database lost" are what its -h lists under 5; and where the database
// could be opened but not read it said nothing of the daemon. It exits 5,
// naming both on stderr.
func TestStatusWithNoDaemonAndNoDatabaseNeedsAttention(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	check := func(what string, says ...string) {
		t.Helper()
		out, stderr, code := syncdRun(t, "status", "-config", config)
		if code != 5 || out != "" || !strings.Contains(stderr, "no syncd answers: listen 127.0.0.1:0 has the system choose a port as syncd starts") {
			t.Fatalf("status, %s: exit %d, want 5\n%s%s", what, code, out, stderr)
		}
		mustContain(t, "status, "+what, stderr, says...)
	}
	check("no database made yet", "no database at "+db+": syncd serve makes it as it first starts (systemctl start syncd); "+
		"if the daemon has run already, set data_dir")
	makeDB(t, dir)
	if err := os.Rename(db, db+".moved"); err != nil {
		t.Fatal(err)
	}
	check("the database moved away", "no database at "+db+", though syncd kept one there")
	if err := os.WriteFile(db, []byte("not a database, a file copied in its place\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	check("another file in its place", "is not an SQLite database")
}
