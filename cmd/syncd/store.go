package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storeapi"
	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/webhook"
	"github.com/syncd-dev/syncd/internal/writable"
)

// store is everything the daemon and the commands use from a store: what
// both stores offer alike (storeapi.Store) and the state the commands and
// the daemon keep. *sqlite.DB and *postgres.DB are both one.
type store interface {
	storeapi.Store
	// Intents keeps the CRM adapters' create intents on disk: without it a
	// backend would hide them and the adapters keep them in memory only,
	// lost with a restart (crm.IntentsOf).
	crm.Intents

	StateValue(ctx context.Context, name string) (string, bool, error)
	SetStateValue(ctx context.Context, name, value string) error
	SwapStateValue(ctx context.Context, name, old, value string) (bool, error)
	// ServerTime puts a time on this host's clock on the store's, for a
	// state row another instance reads (PostgreSQL: the server's clock,
	// which instances whose clocks differ share); HostTime puts one read
	// back on this host's clock. SQLite keeps times as they are.
	ServerTime(t time.Time) time.Time
	HostTime(t time.Time) time.Time
	InstalledAt(ctx context.Context) (time.Time, error)
	UnconfirmedCreates(ctx context.Context, target string, sentBefore time.Time) (int, error)
}

// Both stores are one; checked here, where they meet.
var (
	_ store  = (*sqlite.DB)(nil)
	_ intake = (*sqlite.Intake)(nil)
)

// intake is the receiver's store with the writer that commits it.
type intake interface {
	webhook.Store
	Run(ctx context.Context) error
	Ready(ctx context.Context) error // the store takes writes now (/readyz)
}

// backend is an open store with what differs between kinds: where it is
// (for logs, never a password) and how its intake is made.
type backend struct {
	store
	where     string
	newIntake func(cfg *config.Config) intake
	cluster   cluster // nil for a store of one instance
	// durable waits until every write so far is on disk; nil when each
	// commit already waits (PostgreSQL, SQLite without DeferSync).
	durable func() error
	// created: opening made a new, empty SQLite database.
	created bool
	// migrated is "4 -> 5" when opening moved the database's schema on
	// (an upgrade): an older syncd no longer starts on it. wayBack says
	// where the copy taken before is, on SQLite (keepUpgradeCopy), or
	// that the instances on an older syncd go on, on PostgreSQL.
	migrated, wayBack string
	// keyClashes are the persons the upgrade found linked to two CRM
	// records under two forms of one email (keyClashNotes).
	keyClashes []storesql.ContactKeyClash
	// leads counts the leads an older syncd stored that the upgrade keyed
	// by their delivery id and handed back to the mapper (leadsNote).
	leads storesql.LeadsUpgraded
	// readOnly says why an SQLite database was opened read-only
	// (storeHooks.ReadOnly); nil when it takes writes.
	readOnly error
}

// storeHooks are what the daemon gives a store it opens; the zero value
// is a command's.
type storeHooks struct {
	Fresh   bool        // SQLite: create an empty database where one was lost
	WALLost bool        // SQLite: open it without its daemon's lost -wal (sqlite.Options.WALLost)
	OnError func(error) // failures callers only see as "unavailable"
	// OnAnswer (PostgreSQL): a part that failed, told to OnError as a
	// postgres.PartError, reached the database (postgres.DB.OnAnswer).
	OnAnswer func(part string)
	// DeferSync (SQLite): commits do not wait for the disk; what must
	// survive a power cut waits for backend.durable.
	DeferSync bool
	// Daemon: serve opens it. SQLite: hold the database's daemon lock,
	// so that a second daemon on the same database refuses to start;
	// PostgreSQL: refuse a role lacking a right serve uses.
	Daemon bool
	// OnLost: the SQLite file was removed under the running daemon.
	OnLost func(err error, where string)
	// Create (SQLite): make the database where there is none, as the
	// daemon does; a command refuses (see existingDB).
	Create bool
	// Migrating: what the start waits for, the migration lock
	// (PostgreSQL) or a schema migration (postgres.Options.Migrating,
	// sqlite.Options.Migrating).
	Migrating func(status string)
	// ReadOnly (SQLite): the command only reads, so where the database
	// cannot be written (a read-only file system) it is opened read-only.
	// Such a command reads no secret file either.
	ReadOnly bool
	// NoSecrets: the command reaches neither the CRM nor the mail server,
	// so the configuration is loaded without the secret files
	// (loadReaderConfig).
	NoSecrets bool
}

// openBackend opens the configured store.
func openBackend(ctx context.Context, cfg *config.Config, h storeHooks) (*backend, error) {
	if cfg.Store.Kind == config.StorePostgres {
		return openPostgres(ctx, cfg, h)
	}
	name, err := storeName(cfg)
	if err != nil {
		return nil, err
	}
	if err := notADir(cfg.DBPath(), "syncd"); err != nil {
		return nil, err
	}
	if err := linkedAway(cfg.DBPath()); err != nil { // serve too, which would make one through it
		return nil, err
	}
	missing := existingDB(cfg.DBPath())
	var empty *emptyDBError
	if missing != nil && !h.Create && !h.Fresh || errors.As(missing, &empty) && empty.kept && !h.Fresh {
		return nil, missing
	}
	db, err := sqlite.Open(ctx, cfg.DBPath(), sqlite.Options{Fresh: h.Fresh, WALLost: h.WALLost, DeferSync: h.DeferSync, Daemon: h.Daemon,
		ReadOnlyFallback: h.ReadOnly, Migrating: h.Migrating, ContactKey: mapping.EmailKey})
	if err != nil && !h.ReadOnly {
		err = mustWrite(err)
	}
	if err != nil {
		return nil, err
	}
	if !h.ReadOnly && db.ReadOnly() == nil { // the first writer on a restored backup
		err := markOlderCopy(ctx, cfg, db)
		if err == nil {
			_, _, err = db.SkipLostEventIDs(ctx)
		}
		if err == nil {
			err = recordLaterBackups(ctx, db)
		}
		if err != nil {
			db.Close()
			return nil, err
		}
	}
	db.OnError = h.OnError
	if h.OnLost != nil {
		db.OnLost = func(err error) { h.OnLost(err, db.Path()) }
	}
	b := &backend{store: db, where: name, created: missing != nil, readOnly: db.ReadOnly(), newIntake: func(cfg *config.Config) intake {
		return db.NewIntake(sqlite.IntakeOptions{MaxBatch: cfg.Intake.MaxBatch, Window: cfg.Intake.DedupWindow})
	}}
	if h.DeferSync {
		b.durable = db.Durable
	}
	if from, to := db.Migrated(); from > 0 && from != to { // not a new database
		b.migrated = fmt.Sprintf("%d -> %d", from, to)
		b.wayBack = keepUpgradeCopy(ctx, db)
		b.keyClashes = db.KeyClashes()
		b.leads = db.LeadsUpgraded()
	}
	return b, nil
}

// keepUpgradeCopy records the copy db's Open took before migrating it as
// a backup syncd made (erase and export name it, the purge once it is
// older than the retention), and says what the operator needs of it. The
// copy of a restored backup no syncd served yet holds what that backup
// held, no lead it lacks: it is recorded as taken when the backup was, so
// that status and the first start do not name it among the later backups
// holding leads the restore lacks, to be restored instead.
func keepUpgradeCopy(ctx context.Context, db *sqlite.DB) string {
	up := db.UpgradeCopy()
	if up.Path == "" {
		return fmt.Sprintf("an older syncd no longer opens it, and no copy of the database as it was could be taken (%v): "+
			"to go back, restore a backup taken before the upgrade", up.Err)
	}
	at := up.TakenAt
	if taken, served, err := restoreState(ctx, db); err == nil && !taken.IsZero() && served.IsZero() {
		at = taken
	}
	unrecorded := ""
	if err := recordBackup(ctx, db, up.Path, at); err != nil {
		unrecorded = fmt.Sprintf(" (not recorded as a backup, so erase and export will not name it: %v)", err)
	}
	return fmt.Sprintf("an older syncd no longer opens it; the database as it was (schema %d) is kept in %s%s, the way back "+
		"to the older syncd: stop syncd and restore it as a backup is restored; it holds every lead held before the "+
		"upgrade: delete it once this syncd runs well", up.Schema, up.Path, unrecorded)
}

// existingDB refuses a command an SQLite database that is not at path:
// opening would create an empty one, and the command would answer from it
// as if nothing had ever arrived. A relative data_dir read from another
// working directory, or a SYNCD_DATA_DIR set for the service but not in
// the operator's shell, points there; so does a daemon not started yet,
// which a new operator was told to mend with data_dir alone.
func existingDB(path string) error {
	if err := notADir(path, "syncd"); err != nil {
		return err
	}
	if err := linkedAway(path); err != nil {
		return err
	}
	if st, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		if err == nil && st.Mode().IsRegular() && st.Size() == 0 && emptyWAL(path) {
			return emptyDB(path)
		}
		return nil // there, or a problem that opening reports
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if sqlite.Lost(path) {
		return &lostError{fmt.Sprintf("no database at %s, though syncd kept one there: %srestore it from a backup "+
			"(see Backup in the README, To restore) or, with none, start once with an empty database: syncd serve -fresh "+
			"(what reached the CRM stays there)", abs, sqlite.RenamedHint(abs))}
	}
	relative := "" // said only of a relative one: of an absolute one it is no help
	if !filepath.IsAbs(path) {
		relative = "; a relative data_dir is read from the working directory"
	}
	return fmt.Errorf("no database at %s: syncd serve makes it as it first starts (systemctl start syncd); if the daemon "+
		"has run already, set data_dir (or SYNCD_DATA_DIR, as the systemd unit does) to its data directory%s", abs, relative)
}

// linkedAway says why the database at path cannot be reached when path
// is a link to a file that is not there (the bigger disk the database was
// moved to not mounted, its file moved again), and nil otherwise: syncd
// must make no database through the link (serve took the database for
// one gone, and -fresh would begin an empty one through it), nor send the
// operator to a backup.
func linkedAway(path string) error {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	target, _ := os.Readlink(path)
	return &linkedAwayError{fmt.Sprintf("%s is a link to %s, which is not there: mount the disk it is on (findmnt -T %s), "+
		"or point the link at the database; syncd makes no database through it", path, target, shellescape.Quote(filepath.Dir(target)))}
}

// linkedAwayError is linkedAway's: serve's exit status tells it by its
// type (startStatus).
type linkedAwayError struct{ msg string }

// lostError is existingDB's error for a database gone from the data
// directory that held it: sqlite.ErrDatabaseMissing, as serve is refused
// it, said for a command.
type lostError struct{ msg string }

func (e *lostError) Error() string { return e.msg }
func (e *lostError) Unwrap() error { return sqlite.ErrDatabaseMissing }

func (e *linkedAwayError) Error() string { return e.msg }

// emptyWAL reports whether the database at path has no WAL holding
// transactions (none, or an empty one).
func emptyWAL(path string) bool {
	st, err := os.Stat(path + "-wal")
	return errors.Is(err, fs.ErrNotExist) || err == nil && st.Size() == 0
}

// emptyDB refuses a command an empty file where the database should be (a
// copy that did not finish, a file made in its place): opening would make
// a new database of it, and the command would answer from that as if
// nothing had ever arrived. Where syncd kept a database (its marker is
// there, sqlite.MarkerFile) serve is refused it too, as a database gone
// (sqlite.Lost): it made a new database of it, its event ids from 1 again,
// and served on as if nothing had been lost.
func emptyDB(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if _, err := os.Stat(sqlite.MarkerFile(path)); err == nil {
		return &emptyDBError{kept: true, msg: fmt.Sprintf("%s is empty (0 bytes), though syncd kept a database there "+
			"(%s is beside it): a copy that did not finish? Copy it again, or restore it from a backup (see Backup in the "+
			"README, To restore) or, with none, start once with an empty database: syncd serve -fresh (what reached the "+
			"CRM stays there)", abs, filepath.Base(sqlite.MarkerFile(path)))}
	}
	return &emptyDBError{msg: fmt.Sprintf("%s is empty (0 bytes), not a database syncd made: a copy that did not finish? Copy it again, "+
		"or restore it from a backup (see Backup in the README, To restore)", abs)}
}

// emptyDBError is emptyDB's: a person's to mend (databaseNeedsAPerson).
// kept: syncd kept a database there, and serve refuses it too.
type emptyDBError struct {
	msg  string
	kept bool
}

func (e *emptyDBError) Error() string { return e.msg }

// storeName names the configuration's database as the daemon announces
// it (syncd status checks that the daemon answering serves it): the SQLite
// file's absolute path, or PostgreSQL's host, port and database.
func storeName(cfg *config.Config) (string, error) {
	if cfg.Store.Kind == config.StorePostgres {
		return postgres.Where(cfg.Store.DSN)
	}
	return filepath.Abs(cfg.DBPath())
}

// mustWrite adds to err, a store that cannot be opened for writing on a
// read-only file system, which commands still work there.
func mustWrite(err error) error {
	if !errors.Is(err, syscall.EROFS) || writable.OutsideStateDirectory(err) { // the unit's sandbox: the fix is data_dir
		return err
	}
	return fmt.Errorf("%w; this command writes to the database. %s", err, readOnlyCommands)
}

// readOnlyCommands names the commands that read a database that cannot be
// written (storeHooks.ReadOnly).
const readOnlyCommands = "The commands that only read open it read-only: syncd backup -out FILE " +
	"(on another disk), export, events list and show, outbox list and show, status, migrate-store, " +
	"report -out FILE, replay -dry-run, crm check"

// withStore loads the configuration, opens its store and runs fn.
func (c *cli) withStore(ctx context.Context, file string, fn func(*config.Config, *backend) int) int {
	return c.withStoreHooks(ctx, file, storeHooks{}, fn)
}

// withReader is withStore for a command that only reads: a database that
// cannot be written is opened read-only, saying so on stderr.
// It reads no secret file (loadReaderConfig).
func (c *cli) withReader(ctx context.Context, file string, fn func(*config.Config, *backend) int) int {
	return c.withStoreHooks(ctx, file, storeHooks{ReadOnly: true}, fn)
}

// withWriter is withStore for a command that writes the store but reaches
// neither the CRM nor the mail server (erase without -crm, purge, replay,
// outbox retry, give-up and drop, events repair and dismiss, report without -mail): it
// reads no secret file, so that it runs from a shell without the
// service's $CREDENTIALS_DIRECTORY.
func (c *cli) withWriter(ctx context.Context, file string, fn func(*config.Config, *backend) int) int {
	return c.withStoreHooks(ctx, file, storeHooks{NoSecrets: true}, fn)
}

func (c *cli) withStoreHooks(ctx context.Context, file string, h storeHooks, fn func(*config.Config, *backend) int) int {
	load := c.loadConfig
	if h.ReadOnly || h.NoSecrets {
		load = c.loadReaderConfig
	}
	cfg, ok := load(file)
	if !ok {
		return exitUsage
	}
	if cfg.Store.Kind == config.StoreSQLite {
		c.db = cfg.DBPath()
	}
	b, err := openBackend(ctx, cfg, h)
	if err != nil {
		return c.failOpen(err) // 4 for a full disk or a database that cannot be reached now: try again; 2 for a person to act
	}
	defer b.Close()
	c.saidOpened(b)
	return fn(cfg, b)
}

// saidOpened says on stderr how b was opened when the operator should
// know: read-only, or its schema migrated by this command.
func (c *cli) saidOpened(b *backend) {
	c.saidReadOnly(b.readOnly)
	if b.migrated != "" {
		c.errorf("database schema migrated %s: %s%s", b.migrated, b.wayBack, leadsNote(b.leads, false))
	}
	for _, n := range keyClashNotes(b.keyClashes) {
		c.errorf("%s", n)
	}
}

// keyClashNotes says, for each person the upgrade found linked to two CRM
// records (an older syncd keyed the same email in two forms, and a CRM
// that does not dedupe made a record for each), which one syncd goes on
// updating and that the operator merges the other into it: syncd deletes
// no CRM record. It names CRM ids alone, no person's data.
func keyClashNotes(clashes []storesql.ContactKeyClash) []string {
	var notes []string
	for _, c := range clashes {
		name, record := c.Target, "record"
		switch c.Target {
		case "pipedrive":
			name, record = "Pipedrive", "person"
		case "hubspot":
			name, record = "HubSpot", "contact"
		}
		notes = append(notes, fmt.Sprintf("one person is two %s %ss, %s and %s: an older syncd keyed their email in two "+
			"forms; syncd updates %s %s from now on and leaves %s %s as it is: merge %s into %s in %s",
			name, record, c.Kept, c.Other, record, c.Kept, record, c.Other, c.Other, c.Kept, name))
	}
	return notes
}

// leadsNote says what the upgrade did to the leads an older syncd stored
// (counts only, no lead's data), to follow "database schema migrated …":
// "; 2 leads keyed by their delivery id …; 3 leads an older syncd ignored
// for their type's spelling … are handed to the mapper …", or "" when it
// did neither. serving: the daemon migrated the database and maps them
// as it starts; else a command did, and syncd serve will.
func leadsNote(l storesql.LeadsUpgraded, serving bool) string {
	note := ""
	switch n := l.Rekeyed; {
	case n == 1:
		note += "; 1 lead keyed by its delivery id (eaf:<eaf_id>), which an older syncd keyed by its body's hash: " +
			"the sender sending it again is the same lead, not a second deal"
	case n > 1:
		note += fmt.Sprintf("; %d leads keyed by their delivery id (eaf:<eaf_id>), which an older syncd keyed by their "+
			"body's hash: the sender sending one again is the same lead, not a second deal", n)
	}
	// the rules in use map them: a portal submission or feed import the
	// rules ignore is ignored again, with no deal
	switch n := l.Requeued; {
	case n == 1 && serving:
		note += "; 1 lead an older syncd ignored for its type's spelling (Email_Lead for email_lead) is handed to " +
			"the mapper, which maps it now with the rules in use (a deal made where a rule maps it)"
	case n == 1:
		note += "; 1 lead an older syncd ignored for its type's spelling (Email_Lead for email_lead) is handed to " +
			"the mapper: syncd serve maps it with the rules in use as it starts (a deal made where a rule maps it)"
	case n > 1 && serving:
		note += fmt.Sprintf("; %d leads an older syncd ignored for their type's spelling (Email_Lead for email_lead) "+
			"are handed to the mapper, which maps them now with the rules in use (deals made where a rule maps them)", n)
	case n > 1:
		note += fmt.Sprintf("; %d leads an older syncd ignored for their type's spelling (Email_Lead for email_lead) "+
			"are handed to the mapper: syncd serve maps them with the rules in use as it starts (deals made where a "+
			"rule maps them)", n)
	}
	return note
}

// saidReadOnly says on stderr that the database was opened read-only, and
// why (nil: it was not).
func (c *cli) saidReadOnly(why error) {
	if why != nil {
		c.errorf("the database was opened read-only, so nothing in it changes: %v", why)
	}
}
