package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// validateReach is how long validate waits for PostgreSQL to answer.
const validateReach = 5 * time.Second

// checkDatabase says which database the configuration names and what
// serve would find there, and returns validate's exit status for it. An
// SQLite database is looked for on disk; a PostgreSQL one is connected to,
// read-only, unless offline (only the files are checked).
//
// It also returns the outbox's depth per CRM where it could read it (a
// database of this syncd's schema): what waits for a CRM crm.kind no
// longer names is a warning.
func (c *cli) checkDatabase(ctx context.Context, cfg *config.Config, offline bool) (int, []syncd.OutboxDepth) {
	where, err := storeName(cfg)
	if err != nil { // said by cmdValidate already
		return exitUsage, nil
	}
	if cfg.Store.Kind != config.StorePostgres {
		if err := refusedFile(where); err != nil {
			fmt.Fprintf(c.stderr, "syncd validate: %v\n", err)
			return exitUsage, nil // a person's to mend, as serve's exit 2 says
		}
		if err := sqlite.CheckIntact(ctx, cfg.DBPath()); err != nil {
			fmt.Fprintf(c.stderr, "syncd validate: %v\n", err)
			return refusedStatus(err), nil
		}
		if existingDB(cfg.DBPath()) != nil {
			fmt.Fprintf(c.stdout, "database: %s%s\n", where, notYet(ctx, cfg, offline))
			return exitOK, nil
		}
		depths, err := sqlite.ReadOutboxDepths(ctx, cfg.DBPath()) // unreadable here, or an older schema: serve's to judge
		fmt.Fprintf(c.stdout, "database: %s%s\n", where, olderNote(err, cfg.DBPath()))
		var newer *sqlite.NewerSchemaError
		if errors.As(err, &newer) {
			fmt.Fprintf(c.stderr, "syncd validate: database %s: %v (serve refuses it)\n", where, newer)
			return exitUsage, nil
		}
		return exitOK, depths
	}
	if offline {
		fmt.Fprintf(c.stdout, "database: %s (not checked: -offline)\n", where)
		return exitOK, nil
	}
	ctx, cancel := context.WithTimeout(ctx, validateReach)
	defer cancel()
	found, err := postgres.Check(ctx, cfg.Store.DSN)
	if postgres.Full(err) { // reached: the host, the port and the role are right
		fmt.Fprintf(c.stderr, "syncd validate: the database takes no more connections now (serve would wait for one): %v\n", err)
		return exitUnavailable, nil
	} else if syncd.ErrorCode(err) == syncd.EUnavailable { // what is wrong and what to do lead err (postgres.Check)
		fmt.Fprintf(c.stderr, "syncd validate: %v\nsyncd validate: a serve started meanwhile waits for the database, "+
			"taking no delivery, and starts when it answers\n", err)
		return exitUnavailable, nil
	} else if err != nil {
		fmt.Fprintf(c.stderr, "syncd validate: %v\n", err)
		return refusedStatus(err), nil
	}
	return c.sayFound(found), found.Outbox
}

// sqliteMagic is how every SQLite database file begins.
const sqliteMagic = "SQLite format 3\x00"

// refusedFile says why serve would refuse the SQLite database at path: a
// data_dir that is a file, the database lost (its data directory held
// it), a file that is not an SQLite database (or a directory), a backup
// restored beside the -wal of the database it replaced, or a database
// moved without its daemon's -wal (sqlite.WALLeftBehind); nil
// where serve opens or creates it.
func refusedFile(path string) error {
	if err := notADir(path, "serve"); err != nil {
		return err
	}
	if sqlite.Lost(path) {
		return fmt.Errorf("%s is gone, though data_dir held it (%s is there): serve refuses to start; %srestore it "+
			"from a backup, or point data_dir (or SYNCD_DATA_DIR) where it was moved, or run syncd serve -fresh once to begin "+
			"with an empty one", path, "."+filepath.Base(path)+".created", sqlite.RenamedHint(path))
	}
	if err := sqlite.ForeignWAL(path); err != nil {
		return fmt.Errorf("%w: serve refuses to start", err)
	}
	if err := sqlite.WALLeftBehind(path); err != nil {
		return fmt.Errorf("%w: serve refuses to start", err)
	}
	if err := sqlite.CopiedWhileServed(path); err != nil {
		return fmt.Errorf("%w: serve refuses to start", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil // not there yet (notYet says so), or unreadable by this user: serve runs as another
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	var empty *emptyDBError
	if err == io.EOF && errors.As(existingDB(path), &empty) && empty.kept {
		return fmt.Errorf("%w: serve refuses to start", empty)
	}
	if err == io.EOF {
		return nil // empty: serve makes its database in it
	}
	if string(head[:n]) != sqliteMagic {
		return fmt.Errorf("%s is not an SQLite database (damaged, or another file in its place): serve refuses to "+
			"start; restore it from a backup", path)
	}
	return nil
}

// sayFound says what the database holds: the schema serve would use,
// migrate or create; exit 2 when serve would refuse it for a person to act
// (a newer schema, rights missing), as serve exits, 1 for a standby, which
// a failover may promote.
func (c *cli) sayFound(f postgres.Found) int {
	switch {
	case f.Schema > f.Newest:
		fmt.Fprintf(c.stderr, "syncd validate: database %s: schema %d is newer than this syncd's %d, which serve "+
			"refuses: %s\n", f.Where, f.Schema, f.Newest, postgres.NewerWayBack)
		return exitUsage
	case f.ReadOnly != "":
		fmt.Fprintf(c.stderr, "syncd validate: database %s: reachable%s, but it takes no writes: %s; serve would not start "+
			"on it\n", f.Where, answered(f), f.ReadOnly)
		return exitFailure
	case f.Schema > 0 && f.Schema < f.Newest && !f.CanMigrate:
		fmt.Fprintf(c.stderr, "syncd validate: database %s: reachable, schema %d, older than this syncd's %d, which "+
			"user %s may not migrate (only the owner of syncd's tables may): serve would refuse it; start this syncd "+
			"once with the DSN of the tables' owner, which migrates it, or make %s their owner\n",
			f.Where, f.Schema, f.Newest, f.User, f.User)
		return exitUsage
	case len(f.Denied) > 0:
		fmt.Fprintf(c.stderr, "syncd validate: database %s: reachable, schema %d, but user %s may not use every table "+
			"of syncd's: %s: serve refuses to start; as their owner %s\n",
			f.Where, f.Schema, f.User, strings.Join(f.Denied, ", "), postgres.Grants(f.InSchema, f.User))
		return exitUsage
	case f.Schema > 0:
		fmt.Fprintf(c.stdout, "database: %s: reachable%s, schema %d%s\n", f.Where, answered(f), f.Schema, schemaNote(f))
		return exitOK
	case f.InSchema == "":
		fmt.Fprintf(c.stderr, "syncd validate: database %s: reachable, empty, and no schema of its search_path "+
			"exists: the first serve could not create its tables (CREATE SCHEMA, or fix search_path)\n", f.Where)
		return exitUsage
	case !f.CanCreate:
		fmt.Fprintf(c.stderr, "syncd validate: database %s: reachable, empty, but user %s may not create tables in "+
			"schema %s: the first serve would fail; make %s the database's owner (ALTER DATABASE %s OWNER TO %s) "+
			"or GRANT CREATE ON SCHEMA %s TO %s\n", f.Where, f.User, f.InSchema, f.User, f.Database, f.User, f.InSchema, f.User)
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "database: %s: reachable%s, empty: the first serve creates the schema\n", f.Where, answered(f))
	return exitOK
}

// answered names the server that answered a DSN naming several hosts,
// "" for one: the others may be down, and the first is not the one.
func answered(f postgres.Found) string {
	if f.Answered == "" {
		return ""
	}
	return " (" + f.Answered + " answered)"
}

// schemaNote says whether a schema is this syncd's or one serve migrates.
func schemaNote(f postgres.Found) string {
	if f.Schema == f.Newest {
		return " (this syncd's)"
	}
	return fmt.Sprintf(" (older: serve migrates it to %d, after which an older syncd no longer starts on it: "+
		"pg_dump the database first, the way back)", f.Newest)
}

// olderNote says, of the SQLite database at path of an older schema (err,
// from reading it read-only), what the next serve does to it: upgrade
// step 4 validates before the restart, and said only the database's path.
func olderNote(err error, path string) string {
	var older *sqlite.OlderSchemaError
	if !errors.As(err, &older) {
		return ""
	}
	return fmt.Sprintf(": schema %d, older than this syncd's %d: serve migrates it, after which an older syncd no "+
		"longer starts on it; it copies it first to %s, the way back (room for a copy as large as the database is needed there)",
		older.Schema, older.Known, sqlite.NextUpgradeCopyPath(path, older.Schema))
}

// refusedStatus is validate's exit status for err, the database refused:
// 2 where serve's start is refused for a person to act (exit 2 there too),
// 1 where a start again may get through.
func refusedStatus(err error) int {
	if databaseNeedsAPerson(err) {
		return exitUsage
	}
	return exitFailure
}

// notADir refuses the SQLite database at path where its data_dir is a
// file, or lies under one (a path mistyped onto the configuration file),
// as who (serve, syncd) would meet it: serve stopped with "mkdir …: not a
// directory", exit 1, which the units restart for ever, and the commands
// said they could neither write nor read syncd.db there.
func notADir(path, who string) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err == nil && st.IsDir() || err != nil && !errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return notADirError{fmt.Sprintf("data_dir %s is not a directory (a file is in the way): %s cannot make or open %s "+
		"there; point data_dir (or SYNCD_DATA_DIR) at a directory", dir, who, filepath.Base(path))}
}

// notADirError is notADir's error: syscall.ENOTDIR, said; only a person
// mends it (databaseNeedsAPerson).
type notADirError struct{ msg string }

func (e notADirError) Error() string { return e.msg }
func (e notADirError) Unwrap() error { return syscall.ENOTDIR }
