package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/syncd-dev/syncd/internal/holdlock"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// daemonLockPath is the lock file of the database at path: the daemon
// holds an flock on it for as long as it runs (not on the database file,
// whose POSIX locks SQLite owns and any close of another descriptor of it
// would drop).
func daemonLockPath(path string) string { return path + "-daemon.lock" }

// lockDaemon takes the daemon lock of the database at path, or says which
// process holds it.
func lockDaemon(path string) (*holdlock.Lock, error) {
	lp := daemonLockPath(path)
	l, err := holdlock.Take(lp, FileMode)
	var held *holdlock.HeldError
	switch {
	case errors.As(err, &held):
		return nil, daemonHeld(held.Holder, path)
	case err != nil: // e.g. a lock file left by root running syncd serve before the service did
		return nil, fmt.Errorf("daemon lock: %w", explainFiles(err, lp, filepath.Dir(lp)))
	}
	return l, nil
}

// pidNote names the holder of a daemon lock for a message, " (pid N)",
// or "" when its lock file records none (pid 0).
func pidNote(pid int) string {
	if pid == 0 {
		return ""
	}
	return " (pid " + strconv.Itoa(pid) + ")"
}

// DaemonServing returns the error Open with Options.Daemon would give for
// the database at path when a daemon serves it now, and nil when none
// does. It creates nothing: serve asks it when its address is taken, to
// name the daemon that holds it.
func DaemonServing(path string) error {
	if h, held := holdlock.Holding(daemonLockPath(path)); held {
		return daemonHeld(h, path)
	}
	return nil
}

// ServingError is Open's refusal with Options.Daemon, and DaemonServing's
// answer, when a daemon serves the database: its message is serve's (a
// second daemon); a command that needs the daemon stopped says its own.
type ServingError struct {
	// PID is the serving daemon's process id, 0 when its lock file records none.
	PID int
	// Path is the database's path.
	Path string
}

func (e *ServingError) Error() string {
	return fmt.Sprintf("another syncd daemon%s is serving %s (it holds %s): stop it first "+
		"(a second daemon: give it a data_dir of its own)", pidNote(e.PID), e.Path, daemonLockPath(e.Path))
}

// Unwrap gives the error's code: unavailable.
func (e *ServingError) Unwrap() error { return syncd.Errorf(syncd.EUnavailable, "%s", e.Error()) }

// daemonHeld says that the daemon h serves the database at path.
func daemonHeld(h holdlock.Holder, path string) error {
	return &ServingError{PID: h.PID, Path: path}
}

// olderDaemon refuses a command the migration of the database at path,
// from schema from to to, while a daemon serves it: that daemon runs the
// older syncd (a newer one would have migrated it), and would go on
// writing a schema it does not know, and no longer start once restarted,
// the way back (its binary on this database) gone without a word.
func olderDaemon(path string, from, to int) error {
	h, held := holdlock.Holding(daemonLockPath(path))
	if !held {
		return nil
	}
	return syncd.Errorf(syncd.EUnavailable, "a syncd daemon%s serves %s on database schema %d, older than this "+
		"syncd's %d, and this command would migrate the database under it: restart the daemon on this syncd first "+
		"(systemctl restart syncd: it migrates the database), or run the command with the syncd the daemon runs",
		pidNote(h.PID), path, from, to)
}
