package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// explainReadOnlyFS adds to err, a write that failed as the file system
// holding the database at path is read-only (EROFS: the kernel remounts
// one so after a disk error, errors=remount-ro), what that means and what
// to do; other errors are returned as they are. SQLite said only "disk
// I/O error: read-only file system", and syncd status blamed a full disk.
func explainReadOnlyFS(path string, err error) error {
	var se sqlite3.Error
	if err == nil || !(errors.As(err, &se) && se.SystemErrno == syscall.EROFS || errors.Is(err, syscall.EROFS)) {
		return err
	}
	dir := filepath.Dir(path)
	return fmt.Errorf("the file system holding %s is read-only (the kernel makes one so after a disk error: dmesg; "+
		"or it was mounted read-only): nothing can be stored; check the disk, then make it writable again (one the kernel "+
		"made read-only needs syncd stopped, the file system unmounted, checked with fsck and mounted again) and start "+
		"syncd (%w)", dir, err)
}
