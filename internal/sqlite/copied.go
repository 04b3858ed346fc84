package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"
)

// ErrCopiedWhileServed is what CopiedWhileServed's error wraps.
var ErrCopiedWhileServed = errors.New("copied while served")

// servingMark is the StateServing value of process pid on host serving
// the database at path since the time given: "pid 42 on HOST since TIME,
// at /var/lib/syncd/syncd.db". The path tells a copy (cp -a of the data
// directory while the daemon ran) from the database it was taken of.
func servingMark(pid int, host string, since time.Time, path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return fmt.Sprintf("pid %d on %s since %s, at %s", pid, host, since.UTC().Format(time.RFC3339), path)
}

// markedAt returns the host and the database's path a StateServing value
// names; "" for one an older syncd wrote, which named no path.
func markedAt(mark string) (host, path string) {
	rest, path, found := strings.Cut(mark, ", at ")
	if !found {
		return "", ""
	}
	var pid int
	var since string
	if _, err := fmt.Sscanf(rest, "pid %d on %s since %s", &pid, &host, &since); err != nil {
		return "", ""
	}
	return host, path
}

// CopiedWhileServed refuses the daemon the database at path where it is a
// copy of another database on this host, taken while a daemon served that
// one (cp -a of the data directory to another disk before syncd was
// stopped), and that one is served now or changed since: started on the
// copy, a daemon would serve beside the other (both sending the same
// leads to the CRM, both mailing each report), or without what the other
// stored after the copy, giving those leads' event ids to other leads,
// all without a word. The copy holds the StateServing of the daemon it
// was taken from, naming the database it served; nil where it holds none
// (a clean stop, a backup), names this very file, or names one no longer
// there (moved with mv) or not readable here, or where that one holds what
// it held as the copy was taken (its daemon killed then, the copy made
// since). It reads both read-only and creates nothing.
func CopiedWhileServed(path string) error {
	mark, copied, ok := servedState(path)
	if !ok {
		return nil
	}
	host, from := markedAt(mark)
	if me, _ := os.Hostname(); from == "" || host != me {
		return nil
	}
	if same(path, from) {
		return nil
	}
	if err := DaemonServing(from); err != nil {
		return copiedError(path, from, mark, fmt.Sprintf("a syncd daemon%s serves that database now: started here, "+
			"syncd would serve beside it, both sending the same leads to the CRM and mailing each report, and what "+
			"that one stores would not be here. To move syncd here, stop that syncd (systemctl stop syncd), then copy "+
			"its files again over this copy: %s; to run a second syncd, give it a data directory of its own, empty",
			pidNote(pidOf(err)), copyAgain(path, from)))
	}
	now, held, ok := servedState(from)
	switch {
	case !ok:
		return nil // gone (moved here), or not readable here
	case now == mark && held <= copied:
		return nil // its daemon was killed, and the copy was made since
	}
	how := "its syncd stopped or started again since"
	if held > copied {
		how = fmt.Sprintf("it holds events up to id %d, this copy up to %d", held, copied)
	}
	return copiedError(path, from, mark, fmt.Sprintf("that database changed since (%s): started here, syncd would "+
		"serve this copy without what that one stored after it (leads answered 200), giving their event ids to "+
		"other leads. Copy its files again over this copy, with no syncd serving it: %s; or, if that database is not "+
		"to be served again and what it stored after the copy may be lost, move it out of the way first: mv %s %s",
		how, copyAgain(path, from), shellescape.Quote(from), shellescape.Quote(from+".left")))
}

// copyAgain is the shell command that replaces the copy at path with the
// files of the database at from, its -wal and -shm where they are.
func copyAgain(path, from string) string {
	return fmt.Sprintf("rm -f %s* && cp -a %s* %s/",
		shellescape.Quote(path), shellescape.Quote(from), shellescape.Quote(filepath.Dir(path)))
}

// copiedError is CopiedWhileServed's refusal of path, a copy of from
// taken while from was served (mark): why, and what to do.
func copiedError(path, from, mark, why string) error {
	return fmt.Errorf("%w: %s is a copy of %s, taken while syncd served it (%s), and %s",
		ErrCopiedWhileServed, path, from, mark, why)
}

// servedState reads, read-only and creating nothing, the StateServing of
// the database at path ("" where it holds none) and its newest event id;
// ok is false where it cannot be read (not there, not a database, another
// user's, an older schema).
func servedState(path string) (mark string, newest int64, ok bool) {
	q, err := readOnlyQuery(path)
	if err != nil {
		return "", 0, false
	}
	c, err := sql.Open("sqlite3", "file:"+uriPath.Replace(filepath.ToSlash(path))+"?mode=ro"+q)
	if err != nil {
		return "", 0, false
	}
	defer c.Close()
	err = c.QueryRow(`SELECT value FROM state WHERE name = ?`, StateServing).Scan(&mark)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", 0, false
	}
	if c.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&newest) != nil {
		return "", 0, false
	}
	return mark, newest, true
}

// same reports whether a and b name one file (a symlink, a bind mount).
func same(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// pidOf is the pid of DaemonServing's error, 0 where it names none.
func pidOf(err error) int {
	var se *ServingError
	if errors.As(err, &se) {
		return se.PID
	}
	return 0
}
