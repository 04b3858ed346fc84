package sqlite

import (
	"errors"
	"io/fs"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// NeedsAPerson reports whether err, Open's, refuses the database until a
// person acts on it, however often it is opened again: a schema a newer
// syncd migrated, the database lost from its directory, moved or copied
// without its write-ahead log or while it was served, a -wal of another
// database beside it, an accept-restore interrupted, the file damaged or
// not a database, a data directory or file whose mode lets others in and
// which this user may not narrow, or another daemon serving it. A disk full, a database
// busy or locked by a command is not such a refusal: it passes by itself.
func NeedsAPerson(err error) bool {
	var newer *NewerSchemaError
	var older *OlderSchemaError
	var serving *ServingError
	var se sqlite3.Error
	switch {
	case err == nil:
		return false
	case errors.As(err, &newer), errors.As(err, &older), errors.As(err, &serving):
		return true
	case errors.Is(err, ErrDatabaseMissing), errors.Is(err, ErrWALLeftBehind), errors.Is(err, ErrCopiedWhileServed),
		errors.Is(err, ErrAcceptInterrupted), errors.Is(err, ErrForeignWAL), errors.Is(err, ErrDamaged),
		errors.Is(err, ErrTooWide):
		return true
	case errors.As(err, &se):
		return se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt
	}
	return false
}

// Unwritable reports whether err is the database, or a file or directory
// SQLite keeps beside it, refused for want of write access (its owner or
// mode, or a read-only file system): a person's to mend, as NeedsAPerson's.
func Unwritable(err error) bool {
	var se sqlite3.Error
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) || errors.As(err, &se) && se.Code == sqlite3.ErrReadonly
}
