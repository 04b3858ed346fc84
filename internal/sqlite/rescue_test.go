package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestDatabaseRemovedOrReplacedUnderTheDaemonIsSaved: the database file
// removed under the daemon (rm syncd.db) or replaced (a backup moved over
// it while it ran): the daemon's connections held the only copy of what it
// held, gone once it stopped, while it said to "put the database back".
// CheckFile now saves it beside the path, 0600, with no serving mark (it
// opens as a database stopped cleanly), and says where and how to put it
// back; a file renamed still holds everything where it went: no copy.
func TestDatabaseRemovedOrReplacedUnderTheDaemonIsSaved(t *testing.T) {
	ctx := context.Background()
	for _, how := range []string{"removed", "replaced", "renamed"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "syncd.db")
			db, err := sqlite.Open(ctx, path, sqlite.Options{Daemon: true, DeferSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			storeEvents(t, db, 0, 3)
			switch how {
			case "removed":
				err = os.Remove(path)
			case "replaced":
				other := filepath.Join(dir, "backup.db")
				if err := os.WriteFile(other, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				err = os.Rename(other, path)
			case "renamed":
				err = os.Rename(path, path+".old")
			}
			if err != nil {
				t.Fatal(err)
			}
			lost := db.CheckFile()
			saved := sqlite.LostCopy(path)
			if how == "renamed" {
				if saved != "" || !strings.Contains(lost.Error(), "was renamed or moved while open") {
					t.Fatalf("renamed: copy %q, %v", saved, lost)
				}
				return
			}
			if saved == "" || !strings.Contains(lost.Error(), "everything it held (every lead answered 200) is saved in "+saved) ||
				!strings.Contains(lost.Error(), "rm -f "+shellescape.Quote(path+"-wal")+" "+shellescape.Quote(path+"-shm")+" && mv "+shellescape.Quote(saved)+" "+shellescape.Quote(path)) {
				t.Fatalf("%s: copy %q, %v", how, saved, lost)
			}
			if again := db.CheckFile(); again == nil || again.Error() != lost.Error() {
				t.Errorf("CheckFile again: %v", again) // one copy, one error
			}
			if st, err := os.Stat(saved); err != nil || st.Mode().Perm() != sqlite.FileMode {
				t.Errorf("the copy: %v, mode %v, want %v", err, st.Mode().Perm(), sqlite.FileMode)
			}
			raw, err := sql.Open("sqlite3", "file:"+saved+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			var events, marks int
			err = raw.QueryRow(`SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM state WHERE name = ?)`,
				sqlite.StateServing).Scan(&events, &marks)
			raw.Close()
			if err != nil || events != 3 || marks != 0 {
				t.Fatalf("the copy holds %d events, %d serving marks (%v), want 3 and 0", events, marks, err)
			}
			if found, _ := filepath.Glob(filepath.Join(dir, "syncd.db.lost-*")); len(found) != 1 {
				t.Errorf("copies: %v, want one", found)
			}
		})
	}
}
