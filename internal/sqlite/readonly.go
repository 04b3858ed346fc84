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
	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/writable"
)

// unwritable says why this process cannot write the database at path, its
// -wal and -shm files or its directory: a read-only file system (the
// kernel remounts a disk read-only after I/O errors; a snapshot is mounted
// so), or files of another user. nil when it can, or where they are not
// there yet (Open creates them, and says so if it cannot).
func unwritable(path string) error {
	dir := filepath.Dir(path)
	for _, p := range []string{path, path + "-wal", path + "-shm", dir} {
		err := unix.Access(p, unix.W_OK)
		switch {
		case err == nil || errors.Is(err, fs.ErrNotExist):
		case errors.Is(err, unix.EROFS):
			return writable.ReadOnly(p, dir, err)
		default:
			// p's, or its directory's that keeps this user out of it
			// (mode 0750: p cannot even be looked at).
			if e := writable.Explain(err, p, dir); e != err {
				return e // whose it is
			}
			return fmt.Errorf("cannot write %s: %w", p, err)
		}
	}
	return nil
}

// openUnwritable is Open where the database cannot be written (why): read-only
// with Options.ReadOnlyFallback, else an error saying why.
func openUnwritable(ctx context.Context, path string, opts Options, why error) (*DB, error) {
	if !opts.ReadOnlyFallback {
		return nil, fmt.Errorf("open db: %w", why)
	}
	db, err := openReadOnly(ctx, path, opts, why)
	if err != nil {
		return nil, fmt.Errorf("open db: %w; nor can it be read here: %w", why, explainNotADB(path, err))
	}
	return db, nil
}

// openReadOnly opens the database at path for reading only, as a command
// that only reads does where unwritable says why (why): both pools are
// read-only connections, nothing is migrated, created or narrowed, and
// every write fails.
//
// What is safe, in WAL mode: a reader needs the -shm file (the WAL's
// index). Where it is there, mode=ro opens it read-only; with no writer
// holding it, SQLite does not trust it and rebuilds the index from the
// WAL in memory, so a WAL that was never checkpointed (the daemon killed,
// the disk gone read-only under it) still shows every committed
// transaction. Where neither -wal nor -shm is there, every committed
// transaction is in the database file and immutable=1 reads it without
// the -shm it cannot create. immutable=1 takes no locks: on a read-only
// file system nobody can change the file; where only this user may not
// write it, a daemon started while the command reads could, and the
// command may then fail ("malformed") or answer from a mixed state; the
// file is never harmed. A -wal without its -shm (a copy of syncd.db and
// syncd.db-wal only) cannot be read safely here: immutable=1 would ignore
// the transactions in the WAL, so Open refuses, saying so.
func openReadOnly(ctx context.Context, path string, opts Options, why error) (*DB, error) {
	q, err := readOnlyQuery(path)
	if err != nil {
		return nil, err
	}
	src := dsn(path, opts, true) + q
	gate := newWriteGate()
	w := sql.OpenDB(gatedConnector{dsn: src, drv: &sqlite3.SQLiteDriver{}, gate: gate})
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite3", src)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(opts.ReadConns)
	db := &DB{path: path, w: w, r: r, Now: time.Now, gate: gate, readOnly: why}
	if err := db.checkSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.file, err = os.Stat(path); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// readOnlyQuery is what the read-only name of the database at path adds
// to dsn's: immutable=1 where no -wal and no -shm are there (see
// openReadOnly).
func readOnlyQuery(path string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	_, shmErr := os.Stat(path + "-shm")
	wal, walErr := os.Stat(path + "-wal")
	switch {
	case shmErr == nil:
		return "", nil
	case walErr != nil || wal.Size() == 0:
		return "&immutable=1", nil
	}
	return "", fmt.Errorf("%s holds transactions not yet in %s and its index %s is missing, which a reader "+
		"cannot create here: copy %s and %s to a disk syncd can write, and point data_dir (or SYNCD_DATA_DIR) there",
		path+"-wal", filepath.Base(path), filepath.Base(path)+"-shm", path, path+"-wal")
}

// checkSchema refuses a database whose schema this binary does not read:
// a read-only one cannot be migrated.
func (db *DB) checkSchema(ctx context.Context) error {
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	latest := migration.Latest(files)
	var version int
	if err := db.r.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	switch {
	case version > latest:
		return newerSchema(db.path, version, latest)
	case version < latest:
		return &OlderSchemaError{Schema: version, Known: latest}
	}
	return nil
}

// ReadOnly says why the database was opened read-only (Options.ReadOnlyFallback):
// nil when it takes writes.
func (db *DB) ReadOnly() error { return db.readOnly }
