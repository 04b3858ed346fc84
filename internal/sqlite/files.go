package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/writable"
)

// File modes of what holds personal data. They are set explicitly, so the
// process umask (often 022) cannot widen them.
const (
	// DirMode is the mode the data directory is created with: the
	// service's group may list it.
	DirMode fs.FileMode = 0o750
	// dirMax is the widest mode an existing data directory keeps: others
	// may pass through it (the systemd layout lets a reports group reach
	// reports/ in /var/lib/syncd, 0751) but neither list nor write it.
	dirMax fs.FileMode = 0o751
	// FileMode is the database's mode; SQLite gives its -wal and -shm
	// files the database file's mode. Backups get it too.
	FileMode fs.FileMode = 0o600
)

// prepareDir creates the database's directory (DirMode) and narrows the
// mode of one an older version left readable by others. Modes are only
// ever narrowed: an operator's tighter choice stays.
func prepareDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return fmt.Errorf("data directory: %w", explainMkdir(dir, err))
	}
	return narrow(dir, dirMax)
}

// explainMkdir adds to err, the data directory dir not made on a
// read-only file system, the directory as an absolute path (a relative
// data_dir is read from the working directory: /etc/syncd under the unit)
// and why (writable.ReadOnly). It said "mkdir data: read-only file system".
// Not made for want of permission, err is the directory it would be made
// in, whose it is and what to do (writable.ExplainMkdir): it said "mkdir
// DIR: permission denied".
func explainMkdir(dir string, err error) error {
	if !errors.Is(err, syscall.EROFS) {
		return writable.ExplainMkdir(dir, err)
	}
	abs, e := filepath.Abs(dir)
	if e != nil {
		return err
	}
	return writable.ReadOnly(abs, abs, err)
}

// prepareFile creates the database file (FileMode) before SQLite opens it,
// and narrows the modes of a database, WAL or SHM file an older version
// left readable by others.
func prepareFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, FileMode)
	if err != nil {
		return explainAccess(path, fmt.Errorf("create db file: %w", err))
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := narrow(p, FileMode); err != nil {
			return err
		}
	}
	return nil
}

// narrow removes from p's mode every permission bit that want lacks; a
// missing p is fine.
func narrow(p string, want fs.FileMode) error {
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("file mode: %w", err)
	}
	if m := st.Mode().Perm(); m&^want != 0 {
		if err := os.Chmod(p, m&want); errors.Is(err, fs.ErrPermission) {
			return notNarrowed(p, m, want)
		} else if err != nil {
			return fmt.Errorf("file mode: %w", err)
		}
	}
	return nil
}

// Refused says why Open, run as this user, would refuse the existing
// database at path before reading it, without changing anything: a mode
// of its directory or its files wider than syncd keeps that this user may
// not narrow (another user's: ErrTooWide, with the chmod that mends it),
// or a file or the directory this user may not write (whose it is and
// what to do). nil where Open would go on. syncd validate, run as another
// user than the daemon's, said nothing of either, and serve run as that
// user then refused the file at start.
func Refused(path string) error {
	dir := filepath.Dir(path)
	for _, c := range []struct {
		p    string
		want fs.FileMode
	}{{dir, dirMax}, {path, FileMode}, {path + "-wal", FileMode}, {path + "-shm", FileMode}} {
		st, err := os.Stat(c.p)
		if err != nil {
			continue
		}
		if m := st.Mode().Perm(); m&^c.want != 0 && !mayChmod(st) {
			return notNarrowed(c.p, m, c.want)
		}
	}
	var files []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			files = append(files, p)
		}
	}
	for _, p := range append(files, dir) {
		if err := unix.Access(p, unix.W_OK|unix.R_OK); err != nil {
			return writable.Explain(&fs.PathError{Op: "open", Path: p, Err: err}, append(files, dir)...)
		}
	}
	return nil
}

// mayChmod reports whether this user may change the mode of the file st
// describes: its owner, or root.
func mayChmod(st fs.FileInfo) bool {
	uid := os.Geteuid()
	if uid == 0 {
		return true
	}
	s, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(s.Uid) == uid
}
