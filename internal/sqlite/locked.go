package sqlite

import (
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// explainLocked adds to err, a write that waited out busy_timeout for a
// lock on the database at path, that another process holds it and how to
// find that process; other errors are returned as they are. The daemon has
// one writer, so the holder is another process: a syncd command writing,
// a sqlite3 shell or a database browser left in a transaction, a copy
// taken by hand. SQLite said only "database is locked", and syncd status
// blamed a full or read-only disk.
func explainLocked(path string, err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked {
		return err
	}
	return fmt.Errorf("another process holds a lock on the database (a sqlite3 shell or a database browser left in a "+
		"transaction, a syncd command still running?): fuser -v %s %[1]s-wal lists those that have it open, the daemon "+
		"among them; end the other: the daemon stores again by itself once it is released (%w)", path, err)
}

// ExplainLockedCommand returns err, a command's write on the database at
// path that waited out busy_timeout for a lock, as the database busy
// (syncd.EUnavailable: exit 4, try again), saying that another process
// holds the lock, how to find it and to run the command again once it is
// released; other errors are returned as they are. SQLite said only
// "database is locked", and the command exited 1, failed.
func ExplainLockedCommand(path string, err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked {
		return err
	}
	return syncd.Errorf(syncd.EUnavailable, "%v: another process holds a lock on the database (a sqlite3 shell or a "+
		"database browser left in a transaction, another syncd command still running?): fuser -v %s %[2]s-wal lists "+
		"those that have it open; run the command again once it is released", err, path)
}
