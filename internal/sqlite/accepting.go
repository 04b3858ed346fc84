package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Taking a database without its daemon's lost -wal for a restored backup
// (Options.WALLost: syncd accept-restore, serve -wal-lost) writes its
// mark, StateOlderCopy, into a -wal that SQLite makes as the database is
// opened. Killed between the two (SIGKILL, a power cut), the file held
// the daemon's StateServing with a -wal beside it: the next start took it
// for a crashed daemon's, not a restore, and accept-restore, run again,
// found nothing to accept. Open now writes, before SQLite makes the -wal,
// a file beside the database saying it began (acceptingPath), durable
// with its directory, and removes it once StateOlderCopy is durable:
// whatever the moment of a kill, the database is either refused as
// interrupted (WALLeftBehind, until accept-restore runs again and
// finishes) or accepted.

// ErrAcceptInterrupted is what WALLeftBehind's error wraps, besides
// ErrWALLeftBehind, for a database that syncd accept-restore (or serve
// -wal-lost) began to take for a restored backup and did not finish.
var ErrAcceptInterrupted = errors.New("accepting it as a restored backup was interrupted")

// acceptingPath is the file that says an accept of the database at path
// began and has not finished: syncd.db-accepting.
func acceptingPath(path string) string { return path + "-accepting" }

// acceptInterrupted says that an accept of the database at path began
// and did not finish (its acceptingPath is there), or nil.
func acceptInterrupted(path string) error {
	mark := acceptingPath(path)
	if _, err := os.Lstat(mark); err != nil {
		// Not there, or not to be seen (a directory this user may not
		// read): opening the database says why it cannot, not this.
		return nil
	}
	began := ""
	if b, err := os.ReadFile(mark); err == nil && len(b) > 0 {
		began = " (" + strings.TrimSpace(string(b)) + ")"
	}
	return fmt.Errorf("%w: %w: syncd accept-restore (or serve -wal-lost) began to take %s for a restored backup%s and "+
		"was stopped before it finished (%s is beside it): run syncd accept-restore again, which finishes it, then "+
		"start syncd as usual", ErrWALLeftBehind, ErrAcceptInterrupted, path, began, mark)
}

// beginAccept writes acceptingPath, and makes it durable with its
// directory entry, before SQLite makes the -wal of the database at path.
func beginAccept(path string, now time.Time) error {
	host, _ := os.Hostname()
	body := fmt.Sprintf("begun at %s by pid %d on %s\n", now.UTC().Format(time.RFC3339), os.Getpid(), host)
	f, err := os.OpenFile(acceptingPath(path), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, FileMode)
	if err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	_, err = f.WriteString(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("accept: %w", explainFull(path, err))
	}
	return nil
}

// finishAccept marks db, opened without its daemon's lost -wal, as a copy
// syncd backup did not make (MarkOlderCopy), makes that durable, and then
// removes acceptingPath, durably too (the directory's fsync makes the
// -wal's entry durable with it). An earlier accept killed after its mark
// was committed left StateOlderCopy in place of StateServing: the mark
// stands.
func (db *DB) finishAccept(ctx context.Context) error {
	// It holds at least what was there when that daemon started: the
	// time it recorded serving it, and checkpointed.
	var since sql.NullString
	err := db.w.QueryRowContext(ctx, `SELECT updated_at FROM state WHERE name = ?`, StateServing).Scan(&since)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, marked, serr := db.StateValue(ctx, StateOlderCopy); serr != nil || !marked {
			return fmt.Errorf("accept: %s holds no record of a syncd that served it, nor of an accept begun: it is not "+
				"the file syncd accept-restore began on (a backup restored over it since?): remove %s, then start syncd",
				db.path, acceptingPath(db.path))
		}
	case err != nil:
		return fmt.Errorf("accept: %w", err)
	default:
		if _, err := db.MarkOlderCopy(ctx, parseTime(since), "the write-ahead log of the syncd that served it was not "+
			"beside it, said lost for good (syncd accept-restore, or serve -wal-lost)"); err != nil {
			return fmt.Errorf("accept: %w", err)
		}
	}
	db.stepped("marked")
	if err := db.Durable(); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if err := os.Remove(acceptingPath(db.path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("accept: %w", err)
	}
	if err := syncFile(filepath.Dir(db.path)); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	return nil
}

// stepped tells Options.step, when set, that Open or Close reached the
// named step.
func (db *DB) stepped(name string) {
	if db.step != nil {
		db.step(name)
	}
}
