// Package holdlock is an exclusive flock on a file that records who holds
// it: the holder's pid and the lines it was taken with, one a line, so that
// the next process to try it can name the holder. The kernel lets the lock
// go when its file is closed or the process ends, however it ends, so a
// crash leaves nothing stale behind: the next comer takes the file over.
package holdlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// maxRecord bounds how much of a lock file is read back as its holder.
const maxRecord = 4096

// Lock is a lock taken by Take, held until Release.
type Lock struct{ f *os.File }

// Holder is what a lock file records of the process that took it.
type Holder struct {
	// PID is the holder's process id; 0 when the file records none.
	PID int
	// Lines are the lines the holder took the lock with, in order.
	Lines []string
}

// Line returns the holder's line i, or "" when it recorded fewer.
func (h Holder) Line(i int) string {
	if i < len(h.Lines) {
		return h.Lines[i]
	}
	return ""
}

// HeldError is Take's error when another open file description, in this
// process or another, holds the lock.
type HeldError struct {
	// Holder is the holder the lock file records.
	Holder Holder
}

// Error says the lock is held, naming the holder's pid when it is known.
func (e *HeldError) Error() string {
	if e.Holder.PID == 0 {
		return "lock held by another process"
	}
	return "lock held by pid " + strconv.Itoa(e.Holder.PID)
}

// Take creates the lock file at path (mode perm) if need be and locks it
// without waiting, recording this process's pid and lines (which must not
// hold a newline). The lock held elsewhere is a *HeldError naming the
// holder; other errors are those of the open or of flock, as they are. A
// symbolic link at path is refused, not followed: whoever may write the
// directory could otherwise make Take truncate and overwrite any file the
// process may write (the daemon's database).
func Take(path string, perm os.FileMode, lines ...string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, perm)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link, not a lock file: remove it "+
			"(whoever may write %s may have put it there): %w", path, filepath.Dir(path), err)
	}
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &HeldError{Holder: holder}
		}
		return nil, err
	}
	// The record is a courtesy to the next comer: the lock holds without it.
	if err := f.Truncate(0); err == nil {
		rec := append([]string{strconv.Itoa(os.Getpid())}, lines...)
		f.WriteAt([]byte(strings.Join(rec, "\n")+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Holding returns the holder recorded in the lock file at path and true
// when a process holds its lock now; false when none does, or when there
// is no such file, it cannot be read or it is a symbolic link.
func Holding(path string) (Holder, bool) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return Holder{}, false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err == nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return Holder{}, false
	}
	return readHolder(f), true
}

// readHolder reads the holder recorded in the lock file f: its pid on the
// first line, then its lines; none when the first line is not a pid.
func readHolder(f *os.File) Holder {
	b := make([]byte, maxRecord)
	n, _ := f.ReadAt(b, 0)
	rec := strings.Split(strings.TrimSuffix(string(b[:n]), "\n"), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(rec[0]))
	if err != nil || pid <= 0 {
		return Holder{}
	}
	return Holder{PID: pid, Lines: rec[1:]}
}

// Release lets the lock go; a nil lock is none.
func (l *Lock) Release() {
	if l != nil {
		l.f.Close()
	}
}
