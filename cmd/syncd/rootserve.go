package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/writable"
)

// rootOnServiceData refuses serve run as root on an SQLite data_dir that
// another user owns: the service's, made for it by the package's tmpfiles
// (or StateDirectory=). What root would create there (the database, its
// -wal and -shm, the daemon's lock, the reports directory) would be root's,
// and the service, running as that user, could not open them afterwards:
// it failed at every restart, naming one file at a time. file is the
// configuration file, for the command to run instead; start the flags serve
// was given, whose way on is the service's: -wal-lost's is accept-restore,
// which root may run, and -fresh's, where the database is lost, the marker
// removed, after which the service starts with an empty one. The refusal
// named the service and serve run as its user without them, both of which
// refused the database again.
func rootOnServiceData(cfg *config.Config, file string, start startFlags) error {
	if os.Geteuid() != 0 || cfg.Store.Kind != config.StoreSQLite {
		return nil
	}
	st, err := os.Stat(cfg.DataDir)
	if err != nil || !st.IsDir() {
		return nil // made by this serve, as root's: nobody else's to spoil
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok || sys.Uid == 0 {
		return nil
	}
	owner := writable.UserName(int(sys.Uid))
	unit := instanceUnit(file) // syncd@NAME serves /etc/syncd/NAME.yaml alone: a trial's c.yaml is no syncd@c
	if unit == "" {
		unit = "syncd"
	}
	why := fmt.Sprintf("data_dir %s is %s's, and this serve runs as root: what it made there (the database, its lock, "+
		"reports) would be root's, and syncd run as %s (the service) could not open it after: ", cfg.DataDir, owner, owner)
	db := cfg.DBPath()
	switch {
	case start.walLost:
		return fmt.Errorf("%stake the database for a restored backup with syncd accept-restore, which root may run "+
			"(it keeps the files' owner): syncd accept-restore -config %s; then start the service (systemctl start %s)",
			why, shellescape.Quote(file), unit)
	case start.fresh && sqlite.Lost(db):
		return fmt.Errorf("%sto have the service begin with an empty database, remove the marker that keeps it from "+
			"making one where %s was (what -fresh overrides), as root: rm %s; then start the service (systemctl start %s)",
			why, filepath.Base(db), shellescape.Quote(abs(sqlite.MarkerFile(db))), unit)
	}
	args := "serve"
	if start.fresh {
		args += " -fresh"
	}
	return fmt.Errorf("%sstart the service (systemctl start %s), or run syncd serve as %s: runuser -u %s -- syncd %s -config %s",
		why, unit, owner, owner, args, shellescape.Quote(file))
}

// unitOf names the unit that serves the configuration file: syncd for
// syncd.yaml, syncd@NAME for an agency's NAME.yaml (syncd@.service).
func unitOf(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if name == "syncd" || name == "" {
		return "syncd"
	}
	return "syncd@" + name
}

// instanceUnit is the unit of an agency's instance, syncd@NAME, where file
// is /etc/syncd/NAME.yaml, the configuration syncd@.service's ExecStart
// gives serve; "" for syncd.service's /etc/syncd/syncd.yaml and for a file
// elsewhere (a trial, a checkout), whose unit is not known.
func instanceUnit(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil || filepath.Dir(abs) != "/etc/syncd" {
		return ""
	}
	if u := unitOf(abs); u != "syncd" {
		return u
	}
	return ""
}

// unitCommand is a systemctl command of syncd.service in what a command
// prints ("systemctl reload syncd"), not of another unit (syncd@NAME,
// syncd.socket).
var unitCommand = regexp.MustCompile(`\bsystemctl (reload|restart|start|stop) syncd([^@\w.-]|\.\s|\.$|$)`)

// unitJournal is the journal of syncd.service in what a command prints
// ("journalctl -u syncd"), not of another unit.
var unitJournal = regexp.MustCompile(`\bjournalctl -u syncd([^@\w.-]|\.\s|\.$|$)`)

// forInstance is w, the output of a command run on file, with the
// systemctl commands it names of syncd.service made the agency's instance's
// (syncd@NAME) where file is one's (instanceUnit). Status of
// /etc/syncd/NAME.yaml said "systemctl reload syncd", another daemon's
// unit. A terminal's escaping stays outermost (newTable looks for it).
func forInstance(w io.Writer, file string) io.Writer {
	u := instanceUnit(file)
	if u == "" {
		return w
	}
	if e, ok := w.(ctlEscaper); ok {
		return ctlEscaper{instanceWriter{w: e.w, unit: u}}
	}
	return instanceWriter{w: w, unit: u}
}

// instanceWriter writes to w with unitCommand's commands naming unit.
type instanceWriter struct {
	w    io.Writer
	unit string
}

func (iw instanceWriter) Write(p []byte) (int, error) {
	q := unitJournal.ReplaceAll(unitCommand.ReplaceAll(p, []byte("systemctl ${1} "+iw.unit+"${2}")), []byte("journalctl -u "+iw.unit+"${1}"))
	if _, err := iw.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}
