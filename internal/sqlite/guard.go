package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// The database file can be removed or renamed under a running daemon (an
// operator cleaning up, a restore gone wrong). SQLite keeps writing to the
// open file, which is gone from its path: every commit "succeeds" and is
// lost at the next start, which would create an empty database. So the
// store compares the file at its path with the one it opened (device and
// inode) around every commit batch and on every readiness probe, and a
// start that finds a data directory that held a database, but not the
// database, refuses unless told to start fresh.

// markerFile is the file beside the database that says it was created
// here: with the marker and without the database, the database was lost.
func markerFile(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".created")
}

// MarkerFile is the marker beside the database at path that keeps a start
// from making an empty database in its place (what serve -fresh
// overrides): removed, the next start makes one, as in a new data_dir.
func MarkerFile(path string) string { return markerFile(path) }

// ErrDatabaseMissing is returned by Open when the data directory held a
// database that is no longer there and Options.Fresh is not set.
var ErrDatabaseMissing = errors.New("database missing")

// Lost reports whether the database at path is gone from a directory
// that held it: the marker is there, the database is not.
func Lost(path string) bool {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	_, err := os.Stat(markerFile(path))
	return err == nil
}

// checkMissing refuses to create a database where one was lost.
func checkMissing(path string, fresh bool) error {
	if fresh || !Lost(path) {
		return nil // there, or a new data directory
	}
	return fmt.Errorf("open db: %w: %s held a syncd database (%s is there) but %s is gone; %s"+
		"restore it from a backup, or start with -fresh to begin with an empty one",
		ErrDatabaseMissing, filepath.Dir(path), filepath.Base(markerFile(path)), path, RenamedHint(path))
}

// RenamedHint is, where path's directory holds other files that begin as
// an SQLite database does, what to do if one is the database at path
// renamed ("DIR/syncd.db.old beside it is an SQLite database: if it is
// this one renamed, put it back: mv ...; if not, "), to stand before the
// other ways out; "" where there is none. The mv's paths are quoted for
// the shell: pasted, it moved the wrong files or none where the data
// directory's path holds a space.
//
// A copy the daemon saved of the database removed under it (rescue) comes
// first, with the -wal and -shm the removed file left beside it, which
// the copy holds: mv alone put it back beside them, and the next start
// refused it as a restored backup beside another database's log.
func RenamedHint(path string) string {
	lost, hint := LostCopy(path), ""
	if lost != "" {
		hint = fmt.Sprintf("%s beside it is the copy the daemon saved of %s as it was removed under it, with every lead "+
			"it held: put it back, removing the log the removed file left: rm -f %s %s && mv %s %s; if not, ",
			lost, filepath.Base(path), shellescape.Quote(path+"-wal"), shellescape.Quote(path+"-shm"),
			shellescape.Quote(lost), shellescape.Quote(path))
	}
	others := slices.DeleteFunc(sqliteFilesBeside(path), func(p string) bool { return p == lost })
	if len(others) == 0 {
		return hint
	}
	is, which := "is an SQLite database", "it is"
	if len(others) > 1 {
		is, which = "are SQLite databases", "one of them is"
	}
	return hint + fmt.Sprintf("%s beside it %s: if %s this one renamed, put it back: mv %s %s; if not, ",
		strings.Join(others, ", "), is, which, shellescape.Quote(others[0]), shellescape.Quote(path))
}

// sqliteFilesBeside lists, in path's directory, the files other than path
// that begin as an SQLite database does (at most three): the database
// renamed (mv syncd.db syncd.db.old to "start clean", a typo), which a
// start refused as lost said nothing of.
func sqliteFilesBeside(path string) []string {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), "-wal") || strings.HasSuffix(e.Name(), "-shm") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if p == path || !sqliteHeader(p) {
			continue
		}
		if found = append(found, p); len(found) == 3 {
			break
		}
	}
	return found
}

// sqliteHeader reports whether the file p begins with SQLite's magic.
func sqliteHeader(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == sqliteMagic
}

// sqliteMagic begins every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// recordFile notes the identity of the file just opened and leaves the
// marker beside it.
func (db *DB) recordFile() error {
	fi, err := os.Stat(db.path)
	if err != nil {
		return fmt.Errorf("open db: %w", err)
	}
	db.file = fi
	m := markerFile(db.path)
	if _, err := os.Stat(m); err == nil {
		return nil
	}
	body := "syncd keeps its database " + filepath.Base(db.path) + " in this directory.\n" +
		"While this file exists, syncd will not start without the database unless run with -fresh.\n"
	if err := os.WriteFile(m, []byte(body), 0o640); err != nil {
		return fmt.Errorf("open db: %w", err)
	}
	return nil
}

// CheckFile returns an error once the file at the database's path is no
// longer the database open (removed, renamed, replaced), and from then on:
// nothing written now would be found at the next start. The first time, it
// calls OnLost. It costs one stat (a daemon's store: two, and a read of
// the file's header: checkOverwritten, checkWAL).
func (db *DB) CheckFile() error {
	if p := db.lost.Load(); p != nil {
		if db.walGone.Load() {
			db.checkpoint() // what the mapper and syncer wrote since goes into the file too
		}
		return p
	}
	fi, err := os.Stat(db.path)
	switch {
	case err == nil && os.SameFile(fi, db.file):
		if err := db.checkOverwritten(); err != nil {
			return err
		}
		return db.checkWAL()
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("check db file: %w", err)
	}
	db.rescued.Do(func() {
		if db.unlinked() {
			db.saved, db.savedErr = db.rescue()
		}
	})
	lost := syncd.Errorf(syncd.EUnavailable, "%s", db.lostError(db.saved, db.savedErr))
	if db.lost.CompareAndSwap(nil, lost) && db.OnLost != nil {
		db.OnLost(lost)
	}
	return lost
}

// The -wal file can be removed too (a clean-up of "stale" files, a copy
// script). The writer connections go on writing into the unlinked file,
// the only place that holds every commit since the last checkpoint: a
// daemon killed then (the watchdog, a crash) lost them all, leads answered
// 200 included. So a daemon's store (Options.DeferSync) opens both writer
// connections at once, notes the -wal they hold, and CheckFile, finding
// another file or none at its path, copies the unlinked log into the
// database (a checkpoint through a connection that holds it) and refuses
// from then on, as for a lost database: a restart opens a new log.

// recordWAL opens both writer connections, so that each holds the -wal
// file open now, and notes that file.
func (db *DB) recordWAL(ctx context.Context) error {
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 2 {
		c, err := db.w.Conn(ctx)
		if err != nil {
			return fmt.Errorf("open db: %w", err)
		}
		conns = append(conns, c)
		var n int
		if err := c.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
			return fmt.Errorf("open db: %w", err)
		}
	}
	fi, err := os.Stat(db.path + "-wal")
	if err != nil {
		return fmt.Errorf("open db: %w", err)
	}
	db.walFile = fi
	if db.header, err = os.Open(db.path); err != nil {
		return fmt.Errorf("open db: %w", err)
	}
	return nil
}

// checkOverwritten is CheckFile's check that the file open is still a
// database in WAL mode: a copy written over it in place (cp of a backup,
// which syncd backup makes in rollback mode, onto a running daemon's
// database) keeps the file's identity. The daemon's WAL, checkpointed
// into it, would undo the restore or mix the two databases.
func (db *DB) checkOverwritten() error {
	if db.header == nil {
		return nil
	}
	head := make([]byte, 20)
	n, err := db.header.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("check db file: %w", err)
	}
	if n < len(head) || head[18] == 2 && head[19] == 2 {
		return nil // a WAL database (or none yet: all in the WAL)
	}
	db.overwritten.Store(true)
	lost := syncd.Errorf(syncd.EUnavailable, "the database file %s was overwritten while open (a backup copied over it?): "+
		"nothing more is accepted, and what syncd stored since that copy's time stays in %s-wal; stop syncd, and see the "+
		"message of its next start", db.path, db.path)
	if db.lost.CompareAndSwap(nil, lost) && db.OnLost != nil {
		db.OnLost(lost)
	}
	return db.lost.Load()
}

// checkWAL is CheckFile's check of the -wal file, the database file being
// the one open.
func (db *DB) checkWAL() error {
	if db.walFile == nil {
		return nil
	}
	fi, err := os.Stat(db.path + "-wal")
	switch {
	case err == nil && os.SameFile(fi, db.walFile):
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("check db wal: %w", err)
	}
	db.walGone.Store(true)
	saved := "what was committed is now in " + db.path
	if err := db.checkpoint(); err != nil {
		saved = "copying what was committed into " + db.path + " failed (" + err.Error() + "), syncd tries again: " +
			"stop it cleanly (systemctl stop syncd), which copies it, never kill it"
	} else if db.clearServing() == nil {
		db.checkpoint() // the file holds all: its next start needs no -wal (WALLeftBehind)
	}
	lost := syncd.Errorf(syncd.EUnavailable, "the database's write-ahead log %s-wal was removed or replaced while open: "+
		"%s; nothing more is accepted: restart syncd (see Reliability in the README)", db.path, saved)
	if db.lost.CompareAndSwap(nil, lost) && db.OnLost != nil {
		db.OnLost(lost)
	}
	return db.lost.Load()
}

// checkpoint copies every commit in the write-ahead log the writer
// connections hold into the database file, and syncs it.
func (db *DB) checkpoint() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var busy, frames, copied int
	if err := db.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(FULL)`).Scan(&busy, &frames, &copied); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 || copied < frames {
		return fmt.Errorf("checkpoint: %d of %d pages copied, the database busy", copied, frames)
	}
	return nil
}

// Ping checks that the database is the file at its path and that its
// write lock can be taken: a write transaction that changes nothing. It is
// the watchdog's check (a hung or lost store); a full disk passes it, as a
// restart would not help. Readiness uses the real commits (Intake.Ready).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.CheckFile(); err != nil {
		return err
	}
	if db.wal != nil {
		if err := db.wal.failed(); err != nil {
			return fmt.Errorf("ping db: %w", err)
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("ping db: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE state SET value = value WHERE name = ''`); err != nil {
		return fmt.Errorf("ping db: %w", err)
	}
	return nil
}

// probeWrite commits a small real write, which a full disk fails.
func (db *DB) probeWrite(ctx context.Context) error {
	if err := db.CheckFile(); err != nil {
		return err
	}
	if err := db.SetStateValue(ctx, "probe", db.now()); err != nil {
		return fmt.Errorf("probe db: %w", explainFull(db.path, explainReadOnlyFS(db.path, explainLocked(db.path, err))))
	}
	return nil
}
