package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// makeLockPoll is how often lockMaking tries again while another holds
// the lock.
const makeLockPoll = 20 * time.Millisecond

// lockMaking takes the making lock of the reports directory dir, which a
// process making a workbook there holds from reading the day's rows until
// the file is in place: an exclusive flock on the directory itself (no
// file of its own; the kernel lets it go when the process ends, however
// it ends), waiting while another process or goroutine holds it, until
// ctx ends; where the directory cannot be locked, it goes on without. It
// returns the function that lets it go. Erase makes a day's workbook again
// once the person is gone from the database; without the lock, a report
// the daemon was making meanwhile, from rows read before the erase, was
// renamed over it and listed the person again.
func lockMaking(ctx context.Context, dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("write workbook: %w", explainDir(dir, err))
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", explainDir(dir, err))
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			// A file system that cannot lock a directory (NFS emulates
			// flock with locks that need a file open for writing): the
			// workbook is made as before, without the lock.
			f.Close()
			return func() {}, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock reports: %w", ctx.Err())
		case <-time.After(makeLockPoll):
		}
	}
}
