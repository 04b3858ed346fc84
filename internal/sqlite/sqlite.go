// Package sqlite is syncd's store on SQLite (mattn/go-sqlite3): the events
// and quarantine written by the receiver, the outbox the mapper fills and the
// syncer drains, CRM links, reports and small persistent state.
//
// A database is opened in WAL mode with synchronous=FULL, so a committed
// transaction survives a crash or power loss; with Options.DeferSync (the
// daemon) commits do not wait for the disk and what must survive a power
// cut waits for DB.Durable instead (see DURABILITY.md). Writes go through one
// connection (SQLite has one writer anyway; queueing in Go is cheaper than
// busy-waiting in SQLite); reads use a pool of read-only connections.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/holdlock"
	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open syncd database.
type DB struct {
	path string
	// w is the writer pool: two connections whose write transactions pass
	// one gate, the intake writer's first.
	w *sql.DB
	// r is a pool of read-only connections.
	r *sql.DB
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// OnError, when set, is told of store failures that callers only see
	// as "unavailable" (a failed group commit), so they can be logged.
	OnError func(error)
	// OnLost, when set, is told once that the database file was removed or
	// replaced under the running process (see CheckFile).
	OnLost func(error)

	gate    *writeGate  // orders the write transactions of w
	file    os.FileInfo // the database file as opened
	walFile os.FileInfo // with Options.DeferSync: the -wal file the writer connections hold open
	walGone atomic.Bool // the -wal file was removed or replaced under them
	header  *os.File    // with Options.DeferSync: the database file, to read its header (CheckFile)
	// overwritten is set once another database was copied over the file
	// in place: closing must not checkpoint the WAL into it.
	overwritten atomic.Bool
	lost        atomic.Pointer[syncd.Error] // set once the file at path is not it
	// rescued runs rescue once the file the daemon holds is found
	// removed or replaced: saved is its copy, savedErr why there is none.
	rescued  sync.Once
	saved    string
	savedErr error
	ws       writeStmts     // prepared on w for the life of the DB
	wal      *walSync       // with Options.DeferSync: fsyncs the WAL on demand
	txs      txCounters     // see Transactions
	lock     *holdlock.Lock // with Options.Daemon, until Close
	// readOnly says why the database was opened read-only; nil when it
	// takes writes.
	readOnly error
	// schema is the version Open found and the one it left.
	schema [2]int
	// clashes are the persons migrating found linked to two CRM records
	// (KeyClashes).
	clashes []storesql.ContactKeyClash
	// leads counts the leads migrating rekeyed and handed back to the
	// mapper (LeadsUpgraded).
	leads storesql.LeadsUpgraded
	// upgradeCopy is the copy taken before migrating it (UpgradeCopy).
	upgradeCopy UpgradeCopy
	// servedBy is the StateServing a command found as it opened the
	// database: a daemon's that runs, or one that did not stop cleanly.
	servedBy string
	// step is Options.step.
	step func(name string)
}

// Options tune Open. The zero value is the production setting.
type Options struct {
	// BusyTimeout is how long a connection waits for a lock (default 5s).
	BusyTimeout time.Duration
	// ReadConns is the size of the read pool (default 4).
	ReadConns int
	// Fresh allows creating an empty database where one was lost (the
	// data directory's marker is there, the database is not).
	Fresh bool
	// DeferSync makes the writers commit without waiting for the disk
	// (synchronous=NORMAL): what must be durable before the caller goes on
	// calls DB.Durable, which fsyncs the WAL once for every commit made
	// before it. The daemon sets it; commands that write leave it off, so
	// each of their commits is durable (synchronous=FULL).
	DeferSync bool
	// Daemon takes the database's daemon lock for as long as the DB is
	// open: a second daemon on the same database fails to open it, saying
	// which process serves it, instead of serving beside it (two
	// reporters would mail every report twice). Commands leave it off:
	// they are made to run beside the daemon.
	Daemon bool
	// ReadOnlyFallback is for a command that only reads: where the
	// database, its -wal or -shm or its directory cannot be written (a
	// read-only file system, files of another user), Open opens it
	// read-only instead of failing, DB.ReadOnly says why, and every write
	// fails. Without it, Open on a read-only file system fails saying so.
	ReadOnlyFallback bool
	// AsIs opens a database of an older schema without migrating it, for
	// a copy (syncd backup) that must not change it under an older daemon
	// still serving it; such a DB is good for reading and Backup only.
	AsIs bool
	// WALLost opens a database whose daemon's write-ahead log was left
	// behind (WALLeftBehind), which Open refuses without it: the operator
	// said the log is lost for good. The database is then marked as a copy
	// syncd backup did not make (MarkOlderCopy), which the first start
	// treats as a restored backup. It changes nothing elsewhere.
	WALLost bool
	// Migrating, when set, is told "migrating the database schema" before
	// the migrations of an existing database run, and, in the daemon,
	// before a large file's check for damage: over a large database
	// either may outlast systemd's start timeout (serve extends it).
	Migrating func(status string)
	// ContactKey is the contact key today's mapper gives a contact's
	// stored email key for a CRM target (mapping.EmailKey): migrating an
	// existing database past schema 16 rewrites the keys an older syncd
	// stored in another form with it, and fails without it.
	ContactKey func(stored, target string) string
	// step, when set, is told each step of Open and Close that a kill
	// between two writes could stop (see accepting.go): a test takes a
	// copy of the files there, as such a kill would leave them.
	step func(name string)
}

// Open opens (creating if needed) the database at path and migrates it to
// the newest schema. The directory is created with DirMode and the files
// with FileMode, whatever the umask.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.ReadConns == 0 {
		opts.ReadConns = 4
	}
	if err := ForeignWAL(path); err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	if why := unwritable(path); why != nil && (opts.ReadOnlyFallback || errors.Is(why, unix.EROFS)) {
		return openUnwritable(ctx, path, opts, why)
	}
	walLost := WALLeftBehind(path)
	if walLost != nil && !opts.WALLost {
		return nil, fmt.Errorf("open db: %w", walLost)
	}
	if opts.Daemon && walLost == nil {
		if err := CopiedWhileServed(path); err != nil {
			return nil, fmt.Errorf("open db: %w", err)
		}
	}
	if err := prepareDir(path); err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	if opts.Daemon {
		if err := onNetwork(path); err != nil {
			return nil, fmt.Errorf("open db: %w", err)
		}
	}
	var lock *holdlock.Lock
	if opts.Daemon {
		l, err := lockDaemon(path)
		if err != nil {
			return nil, err
		}
		lock = l
	}
	if walLost != nil { // before SQLite makes the -wal: see accepting.go
		if err := beginAccept(path, time.Now()); err != nil {
			lock.Release()
			return nil, fmt.Errorf("open db: %w", err)
		}
		if opts.step != nil {
			opts.step("begun")
		}
	}
	db, err := open(ctx, path, opts)
	if err != nil {
		lock.Release()
		return nil, err
	}
	db.lock = lock
	db.stepped("opened")
	if err := db.startServing(ctx, opts, walLost != nil); err != nil {
		db.Close()
		return nil, explainFull(path, err) // a start on a full disk waits for room
	}
	return db, nil
}

// startServing marks a database opened without its daemon's lost
// write-ahead log (Options.WALLost) as a copy syncd backup did not make,
// and records that the daemon (Options.Daemon) serves it.
func (db *DB) startServing(ctx context.Context, opts Options, walLost bool) error {
	if walLost {
		if err := db.finishAccept(ctx); err != nil {
			return fmt.Errorf("open db: %w", err)
		}
		db.stepped("accepted")
	}
	if !opts.Daemon {
		db.servedBy, _, _ = db.StateValue(ctx, StateServing)
		return nil
	}
	if err := db.markServing(ctx); err != nil {
		return fmt.Errorf("open db: %w", err)
	}
	return nil
}

// open is Open past the data directory and the daemon lock.
func open(ctx context.Context, path string, opts Options) (*DB, error) {
	if err := checkMissing(path, opts.Fresh); err != nil {
		return nil, err
	}
	if err := prepareFile(path); err != nil {
		return nil, fmt.Errorf("open db: %w", explainFull(path, err))
	}
	// Two writer connections: the intake writer keeps one for itself, the
	// mapper, syncer and tools share the other; the gate lets one write
	// transaction run at a time, intake's first.
	gate := newWriteGate()
	w := sql.OpenDB(gatedConnector{dsn: dsn(path, opts, false), drv: &sqlite3.SQLiteDriver{}, gate: gate})
	w.SetMaxOpenConns(2)
	w.SetMaxIdleConns(2)
	w.SetConnMaxLifetime(0)
	db := &DB{path: path, w: w, Now: time.Now, gate: gate, step: opts.step}
	if opts.DeferSync {
		db.wal = newWALSync(path)
	}
	migrate := db.migrate
	if opts.AsIs {
		migrate = db.notNewer
	}
	if opts.Daemon { // a damaged file is refused before anything is written into it
		migrate = db.intactFirst(migrate)
	}
	if err := migrate(ctx, opts); err != nil {
		w.Close()
		if e := ExplainDamaged(path, explainNotADB(path, explainFull(path, explainAccess(path, err)))); e != err {
			return nil, fmt.Errorf("open db: %w", e)
		}
		return nil, err
	}
	if err := db.recordFile(); err != nil {
		w.Close()
		return nil, explainFull(path, err)
	}
	if err := db.prepareWrites(ctx); err != nil && !opts.AsIs { // an older schema lacks what they name
		w.Close()
		return nil, err
	}
	if opts.DeferSync {
		if err := db.recordWAL(ctx); err != nil {
			w.Close()
			return nil, err
		}
	}
	r, err := sql.Open("sqlite3", dsn(path, opts, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open db: %w", err)
	}
	r.SetMaxOpenConns(opts.ReadConns)
	r.SetMaxIdleConns(opts.ReadConns)
	db.r = r
	return db, nil
}

func dsn(path string, opts Options, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(opts.BusyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	if opts.DeferSync && !readOnly {
		q.Set("_synchronous", "NORMAL")
	}
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	// Deleted and overwritten content is zeroed in the file, so an erased
	// or purged body leaves no bytes behind (see erase.go, retention.go).
	q.Set("_secure_delete", "on")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_txlock", "deferred")
	}
	return "file:" + uriPath.Replace(filepath.ToSlash(path)) + "?" + q.Encode()
}

// uriPath escapes what SQLite's URI file names give a meaning to, so any
// directory name works.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Reader is the pool of read-only connections, for copying every table
// into another store (syncd migrate-store); writes through it fail.
func (db *DB) Reader() *sql.DB { return db.r }

// Close closes both pools.
func (db *DB) Close() error {
	defer db.lock.Release() // once the pools are closed: the next daemon may start
	if db.header != nil {
		defer db.header.Close()
	}
	if db.overwritten.Load() {
		// Closed, the last connection would checkpoint the WAL into the
		// database copied over the file, mixing the two. The process ends:
		// the WAL stays beside it, which the next Open refuses (ForeignWAL).
		return nil
	}
	var cleared, kerr error
	if db.lock != nil { // the daemon stops cleanly: its last checkpoint leaves no -wal
		cleared = db.clearServing()
	} else if db.servedBy != "" {
		cleared = db.clearStaleServing()
	}
	if cleared != nil { // the mark stays (a full disk, a copy's): so must the -wal
		kerr = db.keepWAL()
	}
	db.stepped("cleared")
	rerr := db.r.Close()
	db.ws.close()
	if db.wal != nil {
		defer db.wal.close()
	}
	if err := db.w.Close(); err != nil {
		return fmt.Errorf("close db: %w", err)
	}
	if rerr != nil {
		return fmt.Errorf("close db: %w", rerr)
	}
	if kerr != nil {
		return fmt.Errorf("close db: %w", kerr)
	}
	return nil
}

// migrate applies every embedded migration newer than PRAGMA user_version,
// each in its own transaction; opts.Migrating, when set, is told before
// those of a database that has a schema already (a new one's take no
// time). Only the daemon migrates a database an older daemon serves (see
// olderDaemon).
//
// A migration's version is its file's number (see internal/migration):
// numbers may have gaps, and user_version holds the last one applied.
func (db *DB) migrate(ctx context.Context, opts Options) error {
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	latest := migration.Latest(files)
	var version int
	if err := db.w.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if version > latest {
		return fmt.Errorf("migrate: %w", newerSchema(db.path, version, latest))
	}
	db.schema = [2]int{version, latest}
	if version > 0 && version < latest {
		if !opts.Daemon {
			if err := olderDaemon(db.path, version, latest); err != nil {
				return err
			}
		}
		if opts.Migrating != nil {
			opts.Migrating("migrating the database schema")
		}
		db.upgradeCopy = db.copyBeforeUpgrade(ctx, version)
	}
	for _, f := range files {
		if f.Version <= version {
			continue
		}
		body, err := migrations.ReadFile(f.Path)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := db.apply(ctx, f.Version, string(body), version > 0, opts.ContactKey); err != nil {
			return fmt.Errorf("migrate %s: %w", strings.TrimPrefix(f.Path, "migrations/"), err)
		}
	}
	return nil
}

// notNewer is migrate for Options.AsIs: it only refuses a schema newer
// than this binary's.
func (db *DB) notNewer(ctx context.Context, _ Options) error {
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var version int
	if err := db.w.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if latest := migration.Latest(files); version > latest {
		return fmt.Errorf("migrate: %w", newerSchema(db.path, version, latest))
	}
	db.schema = [2]int{version, version}
	return nil
}

// apply runs migration version (body) in its own transaction; existing
// says the database held a schema before this Open, whose contact keys
// the contact keys' migration rewrites with key.
func (db *DB) apply(ctx context.Context, version int, body string, existing bool, key func(stored, target string) string) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if version == contactKeysVersion && existing {
		if key == nil {
			return errors.New("contact keys: no ContactKey to rewrite them with")
		}
		clashes, err := storesql.RekeyContacts(ctx, storesql.SQLite, txQuery(tx), txExec(tx), key)
		if err != nil {
			return err
		}
		db.clashes = clashes
	}
	if version == documentedTypesVersion && existing {
		if _, err := storesql.DocumentTypes(ctx, storesql.SQLite, txQuery(tx), txExec(tx)); err != nil {
			return err
		}
	}
	if version == leadKeysVersion && existing {
		n, err := keyLeadsByID(ctx, tx)
		if err != nil {
			return err
		}
		db.leads.Rekeyed = n
	}
	if version == requeueVersion && existing {
		n, err := storesql.RequeueDocumentedTypes(ctx, storesql.SQLite, txQuery(tx), txExec(tx))
		if err != nil {
			return err
		}
		db.leads.Requeued = n
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, version)); err != nil {
		return err
	}
	return tx.Commit()
}

// contactKeysVersion is the migration after whose SQL the contacts'
// email keys an older syncd stored are rewritten to today's form
// (storesql.RekeyContacts).
const contactKeysVersion = 16

// documentedTypesVersion is the migration after whose SQL the events an
// older syncd stored with a documented type in another case or with white
// space around it take the documented type (storesql.DocumentTypes).
const documentedTypesVersion = 19

// leadKeysVersion is the migration after whose SQL the events
// documentedTypesVersion gave their documented type take the key intake
// gives their body now, where that is safe (storesql.KeyByDeliveryID).
const leadKeysVersion = 20

// requeueVersion is the migration after whose SQL the events an older
// syncd ignored for a documented type in another case are pending again,
// for the mapper (storesql.RequeueDocumentedTypes).
const requeueVersion = 21

// keyLeadsByID is leadKeysVersion's step: the events rekeyed, the
// seen_keys mark goes, so that the intake's next start reads the keys of
// the window's events again (as after a longer window), the new keys
// among them; the rows of the old ones are hints no event confirms. It
// returns how many events it rekeyed.
func keyLeadsByID(ctx context.Context, tx *sql.Tx) (int, error) {
	rekeyed, err := storesql.KeyByDeliveryID(ctx, storesql.SQLite, txQuery(tx))
	if err != nil || len(rekeyed) == 0 {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM state WHERE name = ?`, sealedMark)
	return len(rekeyed), err
}

// KeyClashes returns the persons this Open's migration found linked to two
// CRM records under two forms of one email (storesql.RekeyContacts): the
// operator merges each pair in the CRM. None when it migrated nothing.
func (db *DB) KeyClashes() []storesql.ContactKeyClash { return db.clashes }

// LeadsUpgraded returns how many leads an older syncd stored this Open's
// migration keyed by their delivery id and handed back to the mapper.
// None when it migrated nothing.
func (db *DB) LeadsUpgraded() storesql.LeadsUpgraded { return db.leads }

// Migrated returns the schema version Open found and the one it left:
// they differ when this Open migrated the database (an upgrade), after
// which an older syncd no longer opens it. Both are 0 for a database
// opened read-only, which is never migrated.
func (db *DB) Migrated() (from, to int) { return db.schema[0], db.schema[1] }

// now returns the current time as stored.
func (db *DB) now() string { return fmtTime(db.Now()) }

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return syncd.FormatTime(t)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	if t, ok := parseStored(s.String); ok {
		return t
	}
	t, _ := syncd.ParseTime(s.String)
	return t
}

// parseStored reads a timestamp in syncd.TimeFormat, which is how syncd
// stores every one, some five times faster than time.Parse: a day's
// report reads one per lead. ok is false for anything else.
func parseStored(s string) (t time.Time, ok bool) {
	const layout = "dddd-dd-ddTdd:dd:dd.ddddddZ"
	if len(s) != len(layout) {
		return time.Time{}, false
	}
	for i := range len(layout) {
		if c := s[i]; layout[i] == 'd' && (c < '0' || c > '9') || layout[i] != 'd' && c != layout[i] {
			return time.Time{}, false
		}
	}
	n := func(from, to int) int {
		v := 0
		for _, c := range s[from:to] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	mo, d, h, mi, sec := n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19)
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t = time.Date(n(0, 4), time.Month(mo), d, h, mi, sec, n(20, 26)*1000, time.UTC)
	return t, t.Day() == d // not 30 February
}
