package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"al.essio.dev/pkg/shellescape"

	"github.com/mattn/go-sqlite3"

	"github.com/syncd-dev/syncd/internal/writable"
)

// explainAccess adds to err, an open failing for want of write access to
// the database at path, which file this user cannot write, whose it is and
// what to do; other errors are returned as they are.
func explainAccess(path string, err error) error {
	// SQLite writes the database, its WAL and SHM files, and creates the
	// last two in the directory when they are not there.
	return explainFiles(err, path, path+"-wal", path+"-shm", filepath.Dir(path))
}

// explainFiles adds to err, a failure for want of write access to one of
// files (the first this user cannot write, a directory last), whose it is
// and what to do; other errors are returned as they are.
func explainFiles(err error, files ...string) error {
	var se sqlite3.Error
	readonly := errors.As(err, &se) && se.Code == sqlite3.ErrReadonly
	if !readonly && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return writable.Explain(err, files...)
}

// notNarrowed is the error of narrow when p, mode m, is not this user's
// to chmod to want: ErrTooWide.
func notNarrowed(p string, m, want fs.FileMode) error {
	owner, _ := writable.Owner(p)
	me := writable.UserName(os.Geteuid())
	return &tooWideError{fmt.Sprintf("%s is mode %04o, wider than syncd keeps (%04o), and owned by %s, not by %s: run syncd as %s, or narrow it as %s: chmod %o %s",
		p, m, want, owner, me, owner, owner, m&want, shellescape.Quote(p))}
}

// ErrTooWide is Open's error, wrapped, for a data directory or database
// file whose mode lets other users in and which this user may not narrow
// (another user's): a person's to mend (NeedsAPerson).
var ErrTooWide = errors.New("mode wider than syncd keeps")

// tooWideError is notNarrowed's: ErrTooWide, said.
type tooWideError struct{ msg string }

func (e *tooWideError) Error() string { return e.msg }
func (e *tooWideError) Unwrap() error { return ErrTooWide }
