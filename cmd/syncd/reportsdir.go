package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/holdlock"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/writable"
)

// reportsLockName is the file in the reports directory a daemon on SQLite
// holds an flock on for as long as it runs; report purges leave it alone
// (they remove leads-*.xlsx only).
const reportsLockName = ".syncd-reports.lock"

// errReportsDirTaken is a reports directory another daemon writes to.
var errReportsDirTaken = errors.New("reports directory taken")

// lockReportsDir takes the reports directory dir for the daemon serving
// the SQLite database db, or says which daemon has it: two daemons on
// separate databases (two agencies whose files share a report.dir line)
// would write their leads-DAY.xlsx over each other's and purge each
// other's old ones. The kernel lets the lock go when the process ends.
// An error that is not errReportsDirTaken only means no lock was taken.
func lockReportsDir(dir, db string) (*holdlock.Lock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("reports directory lock: %w", writable.ExplainMkdir(dir, err))
	}
	lp := filepath.Join(dir, reportsLockName)
	l, err := holdlock.Take(lp, 0o640, db)
	var held *holdlock.HeldError
	switch {
	case errors.As(err, &held):
		return nil, fmt.Errorf("%w: another syncd daemon%s writes its reports to %s (it holds %s): "+
			"give each daemon its own report.dir (the default, <data_dir>/reports, is)", errReportsDirTaken, holderNote(held.Holder), dir, lp)
	case err != nil:
		return nil, fmt.Errorf("reports directory lock: %w", writable.Explain(err, lp, dir))
	}
	return l, nil
}

// holderNote names the daemon a reports directory's lock file records for
// a message, " (pid N, database P, configuration F)", or "" when it
// records none.
func holderNote(h holdlock.Holder) string {
	if h.PID == 0 {
		return ""
	}
	note := " (pid " + strconv.Itoa(h.PID) + ", database " + h.Line(0)
	if f := servedBy(h.Line(0), h.PID); f != "" {
		note += ", configuration " + f
	}
	return note + ")"
}

// servedBy is the configuration file the daemon pid serving the SQLite
// database db was started on, as its record beside db says
// (servingRecord); "" when the record names none, or another daemon. Two
// agencies' daemons on one server are told apart by their files
// (/etc/syncd/NAME.yaml), not by a pid.
func servedBy(db string, pid int) string {
	r, err := readServing(filepath.Dir(db))
	if err != nil || r.PID != pid {
		return ""
	}
	return r.Config
}

// servedByOther adds to err, serve's refusal of a database another daemon
// serves (a data_dir copied from another agency's file), the file that
// daemon runs and file, this one's, where they differ: it named a pid and
// the database alone.
func servedByOther(err error, file string) error {
	var serving *sqlite.ServingError
	if !errors.As(err, &serving) {
		return err
	}
	other := servedBy(serving.Path, serving.PID)
	if other == "" || sameFile(other, abs(file)) {
		return err
	}
	return fmt.Errorf("%w; that daemon runs %s, this one %s", err, other, abs(file))
}

// ownReportsDir is checkReportsDir for the reports directory and the
// SQLite database of cfg; nil on PostgreSQL, whose instances share their
// reports.
func ownReportsDir(cfg *config.Config) error {
	if cfg.Store.Kind != config.StoreSQLite {
		return nil
	}
	name, err := storeName(cfg)
	if err != nil {
		return err
	}
	return checkReportsDir(cfg.Report.Dir, name)
}

// checkReportsDir returns errReportsDirTaken, naming the daemon, when a
// daemon serving another database than db holds the reports directory dir:
// a report made by hand with a configuration whose report.dir was copied
// from another agency's would write over that agency's workbooks. Its own
// daemon, or none, is no obstacle.
func checkReportsDir(dir, db string) error {
	holder, held := holdlock.Holding(filepath.Join(dir, reportsLockName))
	if !held || holder.Line(0) == db {
		return nil // held by nobody now, or by its own daemon
	}
	return fmt.Errorf("%w: another syncd daemon%s writes its reports to %s: give each daemon its own report.dir "+
		"(the default, <data_dir>/reports, is)", errReportsDirTaken, holderNote(holder), dir)
}

// takeReportsDir locks the reports directory of a daemon on SQLite, or
// says which other daemon writes there; a lock it cannot take for another
// reason (a directory not writable yet) is logged and the daemon goes on,
// as it did before: the report it cannot write fails and says so then.
func (d *daemon) takeReportsDir() error {
	if d.cfg.Store.Kind != config.StoreSQLite {
		return nil
	}
	l, err := lockReportsDir(d.cfg.Report.Dir, d.db.where)
	if errors.Is(err, errReportsDirTaken) {
		return err
	}
	if err != nil {
		// Not writable here, as another agency's reports directory is
		// under the unit's sandbox (read-only to it): that agency's daemon
		// writing there refuses this start all the same, as where it is
		// writable; it was a warning, the daemon serving, its report
		// failing each morning, the warning's fix (ReadWritePaths=) that
		// agency's directory.
		if taken := checkReportsDir(d.cfg.Report.Dir, d.db.where); taken != nil {
			return taken
		}
		d.log.Warn().Err(err).Msg("reports directory")
	}
	d.reportsLock = l
	return nil
}
