package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"
)

// StateServing is the state row a daemon keeps in its database while it
// serves it ("pid 123 on HOST since TIME"): written into the database file
// itself (a checkpoint) as the daemon starts, deleted as it stops cleanly,
// whose last checkpoint then leaves no -wal (a delete that fails, the disk
// full, keeps the -wal instead: keepWAL). Found in a database file with
// no -wal beside it, it says the file was copied or moved without the
// write-ahead log of a daemon that did not stop (see WALLeftBehind).
// Backup drops it from its copy.
const StateServing = "serving"

// errCopyMark is clearStaleServing's answer for a copy's mark, which stays.
var errCopyMark = errors.New("the mark of the database this one is a copy of stays")

// ErrWALLeftBehind is what WALLeftBehind's error wraps.
var ErrWALLeftBehind = errors.New("write-ahead log left behind")

// WALLeftBehind says why the database at path lacks what its daemon last
// committed, or nil. A daemon that did not stop cleanly (killed, a crash,
// the disk failing, or still running) holds its latest commits in
// syncd.db-wal alone, until a checkpoint copies them into syncd.db. A
// syncd.db moved or copied to a new data_dir without that -wal (cp of the
// file alone, the -wal removed as "stale"), or copied while the daemon ran,
// records that a daemon served it (StateServing) and has no -wal beside
// it: opened, it would be served as it is, the leads answered 200 since
// the last checkpoint gone without a word, their event ids given again to
// other leads. It reads the file read-only (immutable: SQLite makes no
// -wal or -shm for it); anything it cannot read is left to Open. A file
// that syncd accept-restore began to take for a restored backup and did
// not finish is refused too, whatever lies beside it (ErrAcceptInterrupted).
func WALLeftBehind(path string) error {
	if err := acceptInterrupted(path); err != nil {
		return err
	}
	if _, err := os.Lstat(path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		return nil // its -wal is there (or cannot be looked at: Open says)
	}
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return nil
	}
	c, err := sql.Open("sqlite3", "file:"+uriPath.Replace(filepath.ToSlash(path))+"?mode=ro&immutable=1")
	if err != nil {
		return nil
	}
	defer c.Close()
	var serving string
	if c.QueryRow(`SELECT value FROM state WHERE name = ?`, StateServing).Scan(&serving) != nil {
		return nil // stopped cleanly, never served, an older schema, or not a database (Open says)
	}
	return fmt.Errorf("%w: %s was served by syncd (%s), which did not stop cleanly, and its write-ahead log %s-wal, "+
		"holding what syncd stored since its last checkpoint (leads answered 200), is not beside it: moved or copied "+
		"without it, or copied while syncd ran. Started so, those leads would be lost without a word and their event "+
		"ids given to other leads. If the old data directory still holds syncd.db and syncd.db-wal, stop the syncd "+
		"running there if it still runs, then copy both (with syncd.db-shm, or the whole directory: cp -a) here again. "+
		"If that -wal is lost for good (the disk failed; a Litestream restore or a disk snapshot put back), run "+
		"syncd accept-restore once, then start syncd as usual, or start it once with syncd serve -wal-lost: it is then "+
		"served as a restored backup (what the log held is lost; see Backup in the README)",
		ErrWALLeftBehind, path, serving, path)
}

// markServing records in the database file that this daemon serves it
// (StateServing), and checkpoints so that the file holds the record, not
// only the -wal. A checkpoint that cannot finish now leaves it to the
// next one.
func (db *DB) markServing(ctx context.Context) error {
	host, _ := os.Hostname()
	v := servingMark(os.Getpid(), host, db.Now(), db.path)
	if err := db.SetStateValue(ctx, StateServing, v); err != nil {
		return err
	}
	db.checkpoint()
	return nil
}

// clearServing deletes StateServing as the daemon stops cleanly (its
// last checkpoint, as it closes, puts that in the file) or once its -wal
// was removed and copied into the file (checkWAL, which checkpoints again):
// the file then holds all that was committed.
func (db *DB) clearServing() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return db.DeleteStateValue(ctx, StateServing)
}

// keepWAL has the writer connections leave the -wal (and -shm) beside the
// database as they close (SQLITE_FCNTL_PERSIST_WAL), for a daemon that
// stops cleanly, or a command closing the file of a daemon that did not,
// but could not delete StateServing (a full disk: the delete needs room
// in the -wal). The last checkpoint may still copy everything into the
// file (it needs no room where the file reuses free pages) and would then
// remove the -wal: the file, holding the mark and no -wal beside it, would
// be refused at the next start as moved without its write-ahead log
// (WALLeftBehind) though it lost nothing. Kept, the -wal makes the next
// start one after a crash: SQLite reads it again, and the daemon marks the
// file anew.
func (db *DB) keepWAL() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 2 { // both writers: either may close last, which checkpoints
		c, err := db.w.Conn(ctx)
		if err != nil {
			return fmt.Errorf("keep wal: %w", err)
		}
		conns = append(conns, c)
		if err := c.Raw(func(dc any) error {
			gc, ok := dc.(*gatedConn)
			if !ok {
				return fmt.Errorf("a writer connection of type %T", dc)
			}
			return gc.SetFileControlInt("main", sqlite3.SQLITE_FCNTL_PERSIST_WAL, 1)
		}); err != nil {
			return fmt.Errorf("keep wal: %w", err)
		}
	}
	return nil
}

// clearStaleServing deletes, as a command closes the database, the
// StateServing it found when it opened it if no daemon serves the
// database now: that daemon did not stop cleanly (killed, a crash), its
// -wal was beside the file, and the last connection's checkpoint as it
// closes (this one's, or another command's still open) puts everything
// into the file. A daemon started since wrote its own, which stays. A
// mark naming another database on this host, still there, stays too, and
// so does the -wal (errCopyMark: Close keeps it): this file is a copy
// of that one, which the daemon's start checks (CopiedWhileServed), and a
// command looking at the copy first must not let it start beside the
// daemon serving that one.
func (db *DB) clearStaleServing() error {
	if DaemonServing(db.path) != nil {
		return nil
	}
	if host, from := markedAt(db.servedBy); from != "" && !same(db.path, from) && !isNotExist(from) {
		if me, _ := os.Hostname(); host == me {
			return errCopyMark
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.w.ExecContext(ctx, `DELETE FROM state WHERE name = ? AND value = ?`, StateServing, db.servedBy); err != nil {
		return fmt.Errorf("delete state %s: %w", StateServing, err)
	}
	return nil
}
