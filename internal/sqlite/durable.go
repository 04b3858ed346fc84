package sqlite

import (
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// walSync makes the commits of a database opened with Options.DeferSync
// durable on demand. Such a writer commits with synchronous=NORMAL: SQLite
// writes the transaction's frames to the WAL file but does not fsync it, so
// a power cut (not a crash: the page cache survives kill -9) may take back
// the last commits, never corrupting the database (SQLite checks every WAL
// frame's checksum and salt, syncs the WAL before each checkpoint and the
// database after it). An fdatasync of the WAL file from Go then makes every
// commit that returned before it began as durable as synchronous=FULL
// would have.
//
// Callers share fsyncs (group commit): each waits for one that began after
// it called, so while one fsync runs the writer goes on committing.
type walSync struct {
	path string // the database's -wal file

	mu      sync.Mutex
	cond    sync.Cond
	f       *os.File
	begun   uint64 // fsyncs begun
	done    uint64 // the number of the latest fsync that succeeded
	running bool
	// err is the first failed fsync, kept for good: after a failed fsync
	// Linux may have dropped the dirty pages, so later fsyncs prove nothing.
	err error
	// synced, when set, is called after each successful fsync with mu held
	// (tests model a power cut by copying the files there).
	synced func()
}

func newWALSync(dbPath string) *walSync {
	w := &walSync{path: dbPath + "-wal"}
	w.cond.L = &w.mu
	return w
}

// Durable returns once every transaction committed before the call is on
// disk. On a database opened without DeferSync every commit already is, and
// Durable returns at once. An error means those commits may be lost on a
// power cut; it is permanent: the process should restart.
func (db *DB) Durable() error {
	if db.wal == nil {
		return nil
	}
	return db.wal.sync()
}

func (w *walSync) sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	need := w.begun + 1 // a running fsync may have begun before the caller's commit
	for {
		switch {
		case w.err != nil:
			return w.err
		case w.done >= need:
			return nil
		case w.running:
			w.cond.Wait()
			continue
		}
		w.running = true
		w.begun++
		n := w.begun
		w.mu.Unlock()
		err := w.fsync()
		w.mu.Lock()
		w.running = false
		if err != nil {
			w.err = fmt.Errorf("sync wal: %w", err)
		} else {
			w.done = n
			if w.synced != nil {
				w.synced()
			}
		}
		w.cond.Broadcast()
	}
}

// fsync syncs the WAL file, reopening it when SQLite has replaced it (it
// deletes the file when the last connection closes).
func (w *walSync) fsync() error {
	cur, err := os.Stat(w.path)
	if err != nil {
		return err
	}
	if w.f != nil {
		if old, err := w.f.Stat(); err != nil || !os.SameFile(old, cur) {
			w.f.Close()
			w.f = nil
		}
	}
	if w.f == nil {
		if w.f, err = os.Open(w.path); err != nil {
			return err
		}
	}
	return unix.Fdatasync(int(w.f.Fd()))
}

// failed returns the latched fsync failure, if any.
func (w *walSync) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *walSync) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
}
