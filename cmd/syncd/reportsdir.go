package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/syncd-dev/syncd/internal/config"
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
func lockReportsDir(dir, db string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("reports directory lock: %w", err)
	}
	lp := filepath.Join(dir, reportsLockName)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("reports directory lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readReportsHolder(f).String()
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: another syncd daemon%s writes its reports to %s (it holds %s): "+
				"give each daemon its own report.dir (the default, <data_dir>/reports, is)", errReportsDirTaken, holder, dir, lp)
		}
		return nil, fmt.Errorf("reports directory lock: %w", err)
	}
	if err := f.Truncate(0); err == nil { // the holder, for the message a second daemon prints
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+db+"\n"), 0)
	}
	return f, nil
}

// reportsHolder is the daemon a reports directory's lock file records:
// its pid and database; zero when the file records none.
type reportsHolder struct{ pid, db string }

// readReportsHolder reads the holder recorded in the lock file f.
func readReportsHolder(f *os.File) reportsHolder {
	b := make([]byte, 4096)
	n, _ := f.ReadAt(b, 0)
	pid, db, _ := strings.Cut(string(b[:n]), "\n")
	if _, err := strconv.Atoi(pid); err != nil {
		return reportsHolder{}
	}
	return reportsHolder{pid: pid, db: strings.TrimSpace(db)}
}

// String names the holder for a message, " (pid N, database P)", or "".
func (h reportsHolder) String() string {
	if h.pid == "" {
		return ""
	}
	return " (pid " + h.pid + ", database " + h.db + ")"
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
	f, err := os.Open(filepath.Join(dir, reportsLockName))
	if err != nil {
		return nil // no daemon has held it
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err == nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return nil // held by nobody now
	}
	holder := readReportsHolder(f)
	if holder.db == db {
		return nil
	}
	return fmt.Errorf("%w: another syncd daemon%s writes its reports to %s: give each daemon its own report.dir",
		errReportsDirTaken, holder, dir)
}

// takeReportsDir locks the reports directory of a daemon on SQLite, or
// says which other daemon writes there; a lock it cannot take for another
// reason (a directory not writable yet) is logged and the daemon goes on,
// as it did before: the report it cannot write fails and says so then.
func (d *daemon) takeReportsDir() error {
	if d.cfg.Store.Kind != config.StoreSQLite {
		return nil
	}
	f, err := lockReportsDir(d.cfg.Report.Dir, d.db.where)
	if errors.Is(err, errReportsDirTaken) {
		return err
	}
	if err != nil {
		d.log.Warn().Err(err).Msg("reports directory")
	}
	d.reportsLock = f
	return nil
}
