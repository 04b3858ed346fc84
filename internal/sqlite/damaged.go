package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"al.essio.dev/pkg/shellescape"
	"github.com/mattn/go-sqlite3"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// ErrDamaged is in the chain of the error of a database file SQLite finds
// damaged (SQLITE_CORRUPT, "database disk image is malformed"; or PRAGMA
// quick_check finding it so): bytes written over it, a failing disk. Its
// code is EInternal: trying again does not help.
var ErrDamaged = syncd.Errorf(syncd.EInternal, "database damaged")

// ExplainDamaged adds to err, SQLite finding the database at path damaged,
// what that means and the commands that put it right; other errors are
// returned as they are.
func ExplainDamaged(path string, err error) error {
	var se sqlite3.Error
	if err == nil || errors.Is(err, ErrDamaged) || !errors.As(err, &se) || se.Code != sqlite3.ErrCorrupt {
		return err
	}
	return damagedError(path, err.Error())
}

// damagedError is ErrDamaged for the database at path, found so (what
// SQLite said), with the way out (DamagedWayOut).
func damagedError(path, found string) error {
	return damaged(fmt.Sprintf("%s is damaged (SQLite: %s): what it holds cannot all be read, and serve refuses to "+
		"start on it, as writing into it could lose more. %s", path, found, DamagedWayOut(path)))
}

// DamagedWayOut is what to do about the database at path found damaged:
// the files set aside, kept, then a backup restored or an empty database
// started, and the disk checked. The words of the check at start, for
// the running daemon (syncd status) to say the same.
func DamagedWayOut(path string) string {
	aside := shellescape.Quote(filepath.Join(filepath.Dir(path), "damaged"))
	return fmt.Sprintf("Stop syncd (systemctl stop syncd), set the damaged files aside, kept: mkdir -p %s && mv %s* %s/; "+
		"then restore the newest copy syncd backup made (see Backup in the README, To restore) or, with none, start once "+
		"with an empty database: syncd serve -fresh (what reached the CRM stays there). A file damages so on a failing "+
		"disk, or written into by something else than SQLite: check the disk (dmesg, smartctl -a) first",
		aside, shellescape.Quote(path), aside)
}

// damaged is the text of a damagedError, with ErrDamaged in its chain.
type damaged string

func (d damaged) Error() string { return string(d) }
func (d damaged) Unwrap() error { return ErrDamaged }

// quickCheck runs PRAGMA quick_check on c: nil where SQLite finds the
// file sound, ErrDamaged with the first problems it found where not;
// other errors (the file cannot be read, is not a database) as they are.
// It reads the whole file: a start's cost, never a request's.
func quickCheck(ctx context.Context, c *sql.DB, path string) error {
	rows, err := c.QueryContext(ctx, `PRAGMA quick_check(3)`)
	if err != nil {
		return ExplainDamaged(path, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return ExplainDamaged(path, err)
		}
		found = append(found, s)
	}
	if err := rows.Err(); err != nil {
		return ExplainDamaged(path, err)
	}
	if len(found) == 0 || len(found) == 1 && found[0] == "ok" {
		return nil
	}
	return damagedError(path, "quick_check: "+strings.Join(found, "; "))
}

// CheckIntact says whether the database at path is damaged (ErrDamaged,
// saying what to do), reading it read-only as it is, -wal included; nil
// where it is sound, or cannot be read here (opening it says why). For
// syncd validate and syncd status with no daemon answering: serve checks
// the file as it starts and refuses a damaged one. A -wal beside it that
// is not its own (ForeignWAL: a backup restored without the restore
// steps' rm) is not read into it: the two mixed read as damaged, and
// opening it says what to do.
func CheckIntact(ctx context.Context, path string) error {
	if ForeignWAL(path) != nil {
		return nil
	}
	q, err := readOnlyQuery(path) // leaves no -wal or -shm where there was none
	if err != nil {
		return nil
	}
	c, err := sql.Open("sqlite3", "file:"+uriPath.Replace(filepath.ToSlash(path))+"?mode=ro"+q)
	if err != nil {
		return nil
	}
	defer c.Close()
	if err := quickCheck(ctx, c, path); errors.Is(err, ErrDamaged) {
		return err
	}
	return nil
}

// longCheck is the size of a database file whose check at start may be
// long: quick_check reads every page, some 5 s for 300 MB not cached, so a
// file of a few GB outlasted systemd's start timeout (2 minutes), the
// daemon killed and restarted before it served. Over it the check is
// told to Options.Migrating, which extends the timeout as it runs.
const longCheck = 64 << 20

// intactFirst is migrate preceded by quickCheck, for the daemon: it
// refuses a damaged file as it starts, before its migrations or its first
// delivery write into it (a damaged page was found only by the query that
// read it, mid-start or mid-run, said as "database disk image is
// malformed" alone).
func (db *DB) intactFirst(migrate func(context.Context, Options) error) func(context.Context, Options) error {
	return func(ctx context.Context, opts Options) error {
		if st, err := os.Stat(db.path); err == nil && st.Size() >= longCheck && opts.Migrating != nil {
			opts.Migrating(fmt.Sprintf("checking the database file for damage (%d MB: read once at each start)", st.Size()>>20))
		}
		if err := quickCheck(ctx, db.w, db.path); err != nil {
			return err
		}
		return migrate(ctx, opts)
	}
}
