package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// daemonLock is the lock a daemon holds on its database for as long as it
// runs: an flock on a file beside the database (not on the database file,
// whose POSIX locks SQLite owns and any close of another descriptor of it
// would drop). The kernel releases it when the process ends, however it
// ends, so a crash leaves nothing stale behind.
type daemonLock struct{ f *os.File }

// daemonLockPath is the lock file of the database at path.
func daemonLockPath(path string) string { return path + "-daemon.lock" }

// lockDaemon takes the daemon lock of the database at path, or says which
// process holds it.
func lockDaemon(path string) (*daemonLock, error) {
	lp := daemonLockPath(path)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, FileMode)
	if err != nil { // e.g. left by root running syncd serve before the service did
		return nil, fmt.Errorf("daemon lock: %w", explainFiles(err, lp, filepath.Dir(lp)))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := lockHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, syncd.Errorf(syncd.EUnavailable,
				"another syncd daemon%s is serving %s (it holds %s): stop it first, or give this one its own data_dir",
				holder, path, lp)
		}
		return nil, fmt.Errorf("daemon lock: %w", err)
	}
	// The holder's pid, for the message a second daemon prints.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &daemonLock{f: f}, nil
}

// lockHolder names the process recorded in the lock file, if any.
func lockHolder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n]))); err == nil && pid > 0 {
		return " (pid " + strconv.Itoa(pid) + ")"
	}
	return ""
}

// release lets the lock go; a nil lock is none.
func (l *daemonLock) release() {
	if l != nil {
		l.f.Close()
	}
}
