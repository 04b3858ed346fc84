package main

import (
	"errors"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// startStatus is serve's exit status for err, a start that failed. The
// units restart the daemon on a failure (Restart=on-failure) every 2 s,
// except on exit status 2 (RestartPreventExitStatus=2): a start refused
// for what only a person mends exits 2, so that the unit fails at once and
// says so, instead of starting again for ever, each start logging the same
// refusal (an older syncd put back on a database a newer one migrated did).
// Those are: the files and rights syncd runs with (a data directory or
// file it may not write, a read-only disk, another daemon on the same
// database, reports directory or socket unit), a database a person must
// put right or choose (a newer schema, lost, moved without its -wal,
// copied while served, damaged, a link to it leading nowhere: a disk
// mounted late is the unit's to wait for, RequiresMountsFor=), and on
// PostgreSQL what its server refuses
// (the password, the role's rights, a database that does not exist,
// TLS). What may pass by itself exits 1, to be started again: an
// address taken by another program (it may let go), a database busy, a
// PostgreSQL host name not found (it may resolve later), an error of the
// disk or of the server not said to be one of those. A disk
// full or a PostgreSQL server not answering is waited out (serve does not
// exit); an invalid configuration exits 2 before any of this.
func startStatus(err error) int {
	switch {
	case databaseNeedsAPerson(err), errors.Is(err, errReportsDirTaken), errors.Is(err, systemd.ErrTooManySockets),
		sqlite.Unwritable(err):
		return exitUsage
	}
	return exitFailure
}

// databaseNeedsAPerson reports whether err is a database refused for what
// only a person mends (startStatus): a newer schema, lost, moved without
// its -wal, copied while served, damaged, not a database, an empty file in
// its place, a data directory that is a file or whose mode lets others in
// (another user's), a link to it leading nowhere; on PostgreSQL what its server refuses until someone
// changes it (a password, a role's rights, no such database, TLS).
func databaseNeedsAPerson(err error) bool {
	var linked *linkedAwayError
	var notDir notADirError
	var empty *emptyDBError
	return sqlite.NeedsAPerson(err) || postgres.NeedsAPerson(err) || errors.As(err, &linked) || errors.As(err, &notDir) ||
		errors.As(err, &empty)
}

// failOpen is fail for err, the database of a command not opened, which
// exits 2 where serve, refusing it at its start, exits 2 too: a database
// that needs a person (fail says so of one met at any time:
// databaseNeedsAPerson), and a database file or directory this user may
// not read or write, or a read-only disk under a command that writes. The
// commands exited 1, "failed", which says that a retry may do. A database
// busy, or a server that cannot be reached, stays 4 (try again); a daemon
// serving a database a command needs stopped is that command's to say (4).
func (c *cli) failOpen(err error) int {
	code := c.fail(err)
	if code == exitFailure && sqlite.Unwritable(err) {
		return exitUsage
	}
	return code
}
