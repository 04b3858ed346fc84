package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"syscall"

	"al.essio.dev/pkg/shellescape"

	"github.com/mattn/go-sqlite3"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// ErrDiskFull is in the chain of the errors of writes that failed for want
// of room on the disk holding the database: SQLite's SQLITE_FULL ("database
// or disk is full"), or an I/O error or a file operation whose cause is
// ENOSPC or EDQUOT. Its code is EUnavailable: once there is room again the
// same write succeeds, with no restart.
var ErrDiskFull = syncd.Errorf(syncd.EUnavailable, "disk full")

// explainFull adds to err, a write to the database at path failing for
// want of room, where that is and what to do; other errors are returned as
// they are.
func explainFull(path string, err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) || !diskFull(err) {
		return err
	}
	dir := filepath.Dir(path)
	return fmt.Errorf("%w: no room left for the database in %s (the disk is full or over quota): %s; "+
		"the daemon goes on by itself once there is room, a command can be run again (%w)", ErrDiskFull, dir, FreeSpaceThere(dir), err)
}

// FreeSpaceThere says to free space in dir, a directory out of room, with
// the df that shows that disk, quoted for the shell.
func FreeSpaceThere(dir string) string {
	return "free space there (df -h " + shellescape.Quote(dir) + ")"
}

// ExplainFullCommand returns err, SQLite failing a command's write on the
// database at path for want of room, as ErrDiskFull (EUnavailable: exit 4,
// try again) saying where room is needed; other errors (a file of another
// disk, a workbook in report.dir) are returned as they are. Writes a
// command makes beside the daemon (the purge's marks, an erasure, a sync's
// mapping) said SQLite's bare "database or disk is full", exit 1.
func ExplainFullCommand(path string, err error) error {
	if _, ok := errors.AsType[sqlite3.Error](err); !ok {
		return err
	}
	return explainFull(path, err)
}

// diskFull reports whether err is a write failing for want of room.
func diskFull(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrFull || se.SystemErrno == syscall.ENOSPC || se.SystemErrno == syscall.EDQUOT
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
