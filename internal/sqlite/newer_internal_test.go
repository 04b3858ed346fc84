package sqlite

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOlderSyncdPicksTheCopyItOpens: an upgrade from schema 6 killed
// between two of its migrations started again from schema 10, a schema
// no release ran on, and took a second copy. The schema-6 syncd put back
// is pointed at the copy it opens, not the newer one.
func TestOlderSyncdPicksTheCopyItOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "syncd.db")
	for _, v := range []int{6, 10} {
		if err := os.WriteFile(UpgradeCopyPath(path, v), []byte("a copy"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if e := newerSchema(path, 15, 6); e.Copy != UpgradeCopyPath(path, 6) {
		t.Errorf("the schema-6 syncd is pointed at %q", e.Copy)
	}
	if e := newerSchema(path, 15, 12); e.Copy != UpgradeCopyPath(path, 10) {
		t.Errorf("a schema-12 syncd is pointed at %q", e.Copy)
	}
	if e := newerSchema(path, 15, 5); e.Copy != "" {
		t.Errorf("a schema-5 syncd, which opens neither, is pointed at %q", e.Copy)
	}
}
