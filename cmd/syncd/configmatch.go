package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"syscall"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
)

// A command run with another -config than the one the running daemon
// uses reads the same database (the same data_dir) through other
// settings: syncd status beside a daemon on another syncd.yaml advised a
// restart to move it "to the file's" listen, and syncd replay with the
// example file beside a HubSpot daemon queued operations for the dry run,
// which the daemon then showed as NOT SENT, nothing said of the two files.
// The daemon's record (servingrecord.go) names its file: a command that
// only reads says, in one line, that the files differ and which -config
// to give (noteOtherFile); one that writes to the outbox or changes what
// the daemon does (replay, sync, outbox retry, give-up and drop, erase
// -crm) refuses, exit 2 (refusedOtherFile). The files are the same when
// they are one file (absolute, symlinks followed): a copy is another file.
//
// The record also says whether systemd started the daemon (startedBy):
// one started by hand in a shell has no unit for "systemctl reload syncd",
// which status and crm setup advised all the same; they name "syncd
// reload -config FILE" for it, and for "systemctl restart syncd" stopping
// it and starting it again as it was, by the command line its record
// keeps (reloadAsStarted). syncd reload with another file than the
// daemon's refuses, exit 2, nothing signalled: the daemon loads again
// its own file, and "reloaded" read as if the file given was taken
// (refusedReload).

// refusedReload refuses, for syncd reload with file, to signal the daemon
// pid found from it where its record says it runs on another file: it
// would load its own again, not file. True when it refused (exit 2).
func (c *cli) refusedReload(file string, cfg *config.Config, pid int) bool {
	r, ok := otherDaemonFile(file, cfg)
	if !ok || r.PID != pid {
		return false
	}
	c.errorf("refused: %s; nothing signalled: a reload loads the daemon's own file again, not this one (to run on "+
		"this one, copy it over %s and reload, or start the daemon with -config %s)",
		otherFileWords(r, file), shellescape.Quote(r.Config), shellescape.Quote(abs(file)))
	return true
}

// Who started a daemon, as its record says (servingRecord.StartedBy).
const (
	startedBySystemd = "systemd" // NOTIFY_SOCKET or INVOCATION_ID in its environment at its start
	startedByHand    = "hand"    // neither: a shell, a script, a test
)

// startedBy is who started this process, from its environment.
func startedBy(getenv func(string) string) string {
	if getenv("NOTIFY_SOCKET") != "" || getenv("INVOCATION_ID") != "" {
		return startedBySystemd
	}
	return startedByHand
}

// runningRecord is the record, in cfg's data directory, of a daemon that
// still runs (its pid is a process that started when it did: running)
// serving cfg's database; false when there is none.
func runningRecord(cfg *config.Config) (servingRecord, bool) {
	r, err := readServing(cfg.DataDir)
	if err != nil || r.Config == "" || !r.running() {
		return servingRecord{}, false
	}
	if db, err := storeName(cfg); err != nil || r.Database != db && !sameFile(r.Database, db) {
		return servingRecord{}, false
	}
	return r, true
}

// alive reports whether pid is a process (one of another user's too).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// otherDaemonFile is the record of the daemon running on cfg's database
// on another configuration file than file; false when none runs, or it
// runs on file.
func otherDaemonFile(file string, cfg *config.Config) (servingRecord, bool) {
	r, ok := runningRecord(cfg)
	if !ok || sameConfig(r.Config, file) {
		return servingRecord{}, false
	}
	return r, true
}

// otherFileWords says that the daemon of r runs on another file than
// file, naming both and the flag to give.
func otherFileWords(r servingRecord, file string) string {
	return fmt.Sprintf("the daemon (pid %d) serving %s runs on %s, not on -config %s: give -config %s",
		r.PID, r.Database, r.Config, abs(file), shellescape.Quote(r.Config))
}

// noteOtherFile says on stderr, for a command that only reads, that the
// daemon serving cfg's database runs on another file than file.
func (c *cli) noteOtherFile(file string, cfg *config.Config) {
	if r, ok := otherDaemonFile(file, cfg); ok {
		c.errorf("note: %s (what this command showed follows -config's crm.kind and mappings, not the daemon's)", otherFileWords(r, file))
	}
}

// refusedOtherFile refuses, for a command that writes to the outbox or
// changes what the daemon does, to run with another file than the
// running daemon's, saying so; true when it refused (exit 2).
func (c *cli) refusedOtherFile(file string, cfg *config.Config) bool {
	r, ok := otherDaemonFile(file, cfg)
	if ok {
		c.errorf("refused: %s (or stop that daemon first); it would write by this file's crm.kind and mappings, "+
			"not the daemon's", otherFileWords(r, file))
	}
	return ok
}

// systemctlReload is "systemctl reload syncd" (or syncd@NAME) in what a
// command prints; systemctlRestart, "systemctl restart syncd".
var (
	systemctlReload  = regexp.MustCompile(`\bsystemctl reload syncd(@[\w.-]+)?\b`)
	systemctlRestart = regexp.MustCompile(`\bsystemctl restart syncd(@[\w.-]+)?\b`)
	// systemctlStop and systemctlStart are those of a command to paste
	// (purge's VACUUM line: "systemctl stop syncd; ...; systemctl start
	// syncd"), ended by ";" or the line's end.
	systemctlStop  = regexp.MustCompile(`\bsystemctl stop syncd(@[\w.-]+)?(;|\n|$)`)
	systemctlStart = regexp.MustCompile(`\bsystemctl start syncd(@[\w.-]+)?(;|\n|$)`)
)

// reloadAsStarted is w with "systemctl reload syncd" made "syncd reload
// -config FILE", and "systemctl restart syncd" what restarts it
// (restartAsStarted), where the daemon serving cfg's database was started
// by hand (its record says so): no unit reloads or restarts it, and
// systemctl restart failed, or started the unit's daemon beside it. Else
// w. A terminal's escaping stays outermost (newTable looks for it).
func reloadAsStarted(w io.Writer, cfg *config.Config) io.Writer {
	r, ok := runningRecord(cfg)
	if !ok {
		return w
	}
	return asStarted(w, r)
}

// asStarted is w with the words of reloadAsStarted for the daemon of r,
// found by its record, if it was started by hand; else w.
func asStarted(w io.Writer, r servingRecord) io.Writer {
	if r.StartedBy != startedByHand {
		return w
	}
	rw := reloadWriter{reload: []byte("syncd reload -config " + shellescape.Quote(r.Config)), restart: []byte(restartAsStarted(r)),
		stop: []byte(stopAsStarted(r)), start: []byte(startAsStarted(r))}
	if e, ok := w.(ctlEscaper); ok {
		rw.w = e.w
		return ctlEscaper{rw}
	}
	rw.w = w
	return rw
}

// restartAsStarted says how to restart the daemon of r, started by hand:
// stop it and start it again as it was, with its command line where its
// record keeps it, each word and the directory quoted for the shell (Go's
// quoting, which the shell does not read, left a $ in them to expand).
func restartAsStarted(r servingRecord) string {
	if len(r.Command) == 0 {
		return fmt.Sprintf("kill %d, then start it again as it was started: syncd serve -config %s", r.PID, shellescape.Quote(r.Config))
	}
	args := make([]string, len(r.Command))
	for i, a := range r.Command {
		args[i] = shellescape.Quote(a)
	}
	return fmt.Sprintf("kill %d, then start it again as it was started, in %s: %s", r.PID, shellescape.Quote(r.WorkDir), strings.Join(args, " "))
}

// stopAsStarted is the shell command that stops the daemon of r, started
// by hand, and waits for it to end, as systemctl stop does: purge's VACUUM
// line said systemctl stop syncd, which stops no daemon started by hand
// (or syncd.service's, on another file), and the VACUUM then ran beside
// the daemon serving the file.
func stopAsStarted(r servingRecord) string {
	return fmt.Sprintf("kill %d && tail --pid=%d -f /dev/null", r.PID, r.PID)
}

// startAsStarted is the shell command that starts the daemon of r again
// as it was started by hand: in its working directory, with its command
// line, each quoted for the shell (restartAsStarted's words).
func startAsStarted(r servingRecord) string {
	if len(r.Command) == 0 {
		return "syncd serve -config " + shellescape.Quote(r.Config)
	}
	args := make([]string, len(r.Command))
	for i, a := range r.Command {
		args[i] = shellescape.Quote(a)
	}
	return "cd " + shellescape.Quote(r.WorkDir) + " && " + strings.Join(args, " ")
}

// reloadWriter writes to w with systemctlReload made reload,
// systemctlRestart restart, and a pasted systemctlStop and systemctlStart
// stop and start.
type reloadWriter struct {
	w                            io.Writer
	reload, restart, stop, start []byte
}

func (rw reloadWriter) Write(p []byte) (int, error) {
	q := systemctlRestart.ReplaceAllLiteral(systemctlReload.ReplaceAllLiteral(p, rw.reload), rw.restart)
	if rw.stop != nil {
		q = replaceKeepingEnd(systemctlStop, replaceKeepingEnd(systemctlStart, q, rw.start), rw.stop)
	}
	if _, err := rw.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}

// replaceKeepingEnd is p with each match of re made with, the match's
// last group (what ended it) kept.
func replaceKeepingEnd(re *regexp.Regexp, p, with []byte) []byte {
	return re.ReplaceAllFunc(p, func(m []byte) []byte {
		sub := re.FindSubmatch(m)
		return append(append([]byte{}, with...), sub[len(sub)-1]...)
	})
}
