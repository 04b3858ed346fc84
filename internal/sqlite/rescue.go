package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"al.essio.dev/pkg/shellescape"
)

// The database file removed under the daemon (rm syncd.db, a clean-up) or
// replaced (mv or install of a backup over it while it ran): the daemon's
// writer connections still hold the file, and nothing else does. It was
// gone, every lead answered 200 with it, once the daemon stopped, while
// syncd said to "put the file back", which nothing could. A daemon's store
// now copies the file it holds into a new one beside the path, at once,
// and says where and how to put it back.

// lostSuffix begins the name of the copy of a database removed or replaced
// under the daemon: syncd.db.lost-20261204T215639Z.
const lostSuffix = ".lost-"

// unlinked reports whether the database file the daemon holds open is
// linked nowhere (removed, or replaced by a rename over it): renamed, it
// still holds everything where it went.
func (db *DB) unlinked() bool {
	if db.header == nil {
		return false
	}
	fi, err := db.header.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink == 0
}

// rescue copies the database the writer connections hold, its file
// unlinked, into DIR/syncd.db.lost-TIME (FileMode), without the mark that
// a daemon serves it: a database stopped cleanly, which a start takes as
// it is. It returns the copy's path.
func (db *DB) rescue() (string, error) {
	name := db.path + lostSuffix + db.Now().UTC().Format("20060102T150405Z")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode) // VACUUM INTO would make it 0644
	if err != nil {
		return "", fmt.Errorf("save lost database: %w", explainFull(name, err))
	}
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, name); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("save lost database: %w", explainFull(name, err))
	}
	c, err := sql.Open("sqlite3", "file:"+uriPath.Replace(filepath.ToSlash(name)))
	if err == nil {
		_, err = c.ExecContext(ctx, `DELETE FROM state WHERE name = ?`, StateServing)
		c.Close()
	}
	if err == nil {
		err = syncFile(name)
	}
	if err == nil {
		err = syncFile(filepath.Dir(name))
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("save lost database: %w", err)
	}
	return name, nil
}

// lostError is CheckFile's error for the database file found removed or
// replaced: saved is the copy rescue made ("" where none was needed, the
// file renamed, or where it failed: why).
func (db *DB) lostError(saved string, why error) string {
	switch {
	case saved != "":
		return fmt.Sprintf("the database file %s was removed or replaced while open: everything it held (every lead "+
			"answered 200) is saved in %s; nothing more is accepted: stop syncd, then %s, and start it again",
			db.path, saved, PutBack(db.path, saved))
	case why != nil:
		return fmt.Sprintf("the database file %s was removed or replaced while open, and saving what it held failed "+
			"(%v): nothing more is accepted; stop syncd cleanly (systemctl stop syncd), never kill it, and put the "+
			"database back (see Reliability in the README)", db.path, why)
	}
	if db.header != nil { // a daemon's: it still holds everything where it went, beside no -wal
		return fmt.Sprintf("the database file %s was renamed or moved while open: nothing more is accepted; stop syncd "+
			"cleanly (systemctl stop syncd: it writes what it holds into that file) and put it back (see Reliability "+
			"in the README)", db.path)
	}
	return fmt.Sprintf("the database file %s was removed or replaced while open: nothing more is accepted; stop syncd "+
		"and put the database back (see Reliability in the README)", db.path)
}

// PutBack says what to do with saved, the copy a daemon made of the
// database at path removed or replaced under it, once it is stopped.
func PutBack(path, saved string) string {
	wal := shellescape.Quote(path+"-wal") + " " + shellescape.Quote(path+"-shm")
	return fmt.Sprintf("if it was removed by mistake, put the copy in its place: rm -f %s && mv %s %s; if a backup "+
		"was restored over it, keep the backup and remove the old daemon's log: rm -f %s (%s keeps what the backup "+
		"lacks)", wal, shellescape.Quote(saved), shellescape.Quote(path), wal, filepath.Base(saved))
}

// LostCopy returns the newest copy a daemon saved of the database at path
// removed or replaced under it (rescue), or "".
func LostCopy(path string) string {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return ""
	}
	prefix, newest := filepath.Base(path)+lostSuffix, ""
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, prefix) && !strings.HasSuffix(n, "-wal") && !strings.HasSuffix(n, "-shm") && n > newest {
			newest = n
		}
	}
	if newest == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(path), newest)
}
