package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// reloadPoll is how often syncd reload asks the daemon whether it has
// loaded the files again.
const reloadPoll = 100 * time.Millisecond

// cmdReload asks the daemon serving -config to load its configuration and
// mappings again (SIGHUP) and waits for what it made of them. The units
// run it as their ExecReload: with kill -HUP, systemctl reload returned 0
// whether the daemon took the files or rejected them (Debian 12's systemd
// 252 has no Type=notify-reload), and an operator learnt of a rejection
// only from syncd status or the journal.
func cmdReload(ctx context.Context, c *cli) int {
	fs := c.flags("reload")
	file := fs.String("config", defaultConfig, "configuration file")
	pid := fs.Int("pid", 0, "the daemon's process id (the units pass systemd's $MAINPID); default: the one the daemon found from -config says it runs as; another process is refused, nothing signalled")
	wait := fs.Duration("wait", 90*time.Second, "how long to wait for the daemon to say whether it took the files (1s or more)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, reloadExits()...)
	}
	if why := waitRefused(*wait); why != "" {
		fmt.Fprintf(c.stderr, "syncd reload: %s\n", why)
		return exitUsage
	}
	c.stdout, c.stderr = forInstance(c.stdout, *file), forInstance(c.stderr, *file)
	cfg, err := config.Lenient(*file, c.getenv) // a file that does not load still names its daemon
	if cfg == nil {
		c.configFailed(*file, err)
		return exitUsage
	}
	addr, before, err := daemonOf(ctx, *file, cfg)
	if err != nil {
		return c.reloadUnseen(*file, *pid, err)
	}
	if *pid != 0 {
		if why := pidRefused(*pid, before.PID, addr, *file); why != "" {
			fmt.Fprintf(c.stderr, "syncd reload: %s\n", why)
			return exitUsage
		}
	}
	target := pidToSignal(*pid, before.PID)
	if target == 0 {
		fmt.Fprintf(c.stderr, "syncd reload: the syncd at %s does not say its process id (an older syncd): give -pid, or kill -HUP it\n", addr)
		return exitFailure
	}
	if c.refusedReload(*file, cfg, target) { // it would load its own file again, not this one
		return exitUsage
	}
	c.stdout = reloadAsStarted(c.stdout, cfg) // a daemon started by hand: restarted as it was, not by systemctl
	if err := syscall.Kill(target, syscall.SIGHUP); err != nil {
		fmt.Fprintf(c.stderr, "syncd reload: signal pid %d: %v%s\n", target, err, killHint(err))
		return exitFailure
	}
	if before.Loads < 0 {
		fmt.Fprintf(c.stdout, "sent SIGHUP to pid %d; the syncd at %s cannot say what it made of it (an older syncd, which does "+
			"not count its loads): syncd status -config %s says\n", target, addr, shellescape.Quote(*file))
		return exitOK
	}
	if !before.WaitingSince.IsZero() {
		return c.reloadStarting(*file, clockOf(cfg), target, before)
	}
	deadline := time.Now().Add(*wait)
	after, err := loadedAgain(ctx, "http://"+addr+"/metrics", before, *wait)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd reload: sent SIGHUP to pid %d, but %v: syncd status -config %s says whether it took the files\n", target, err, shellescape.Quote(*file))
		return exitFailure
	}
	own := daemonFile(after, *file)
	if after.ReloadFailed {
		c.reloadRejected(own, target, after)
		c.notTheFileGiven(own, *file)
		return exitUsage
	}
	waited := ""
	if !before.MappingHeldSince.IsZero() {
		waited = "; the leads that waited while its mapping was held are mapped now"
	}
	fmt.Fprintf(c.stdout, "reloaded: the daemon (pid %d) runs on %s and its mappings as they are now%s\n", target, own, waited)
	if len(after.RestartNeeded) > 0 {
		fmt.Fprintf(c.stdout, "%s\n", restartLine(after.RestartNeeded))
	}
	c.notTheFileGiven(own, *file)
	c.reloadWarnings(own)
	c.reloadChecked(ctx, "http://"+addr+"/metrics", own, before, after, deadline)
	return exitOK
}

// reloadWarnings says on stderr, as syncd validate does, what loading the
// configuration the daemon just took notices that does not stop it (a
// token every local user can read, a password a comment cut short): the
// daemon logged it, and the operator who reloaded after an edit read
// "reloaded" alone. The secret files are not read (a shell may lack the
// service's credentials): their own warnings are validate's.
func (c *cli) reloadWarnings(file string) {
	cfg, err := config.LoadWithoutSecrets(file, c.getenv)
	if err != nil {
		return // the daemon took it; validate says what this shell's environment makes of it
	}
	for _, w := range cfg.Warnings {
		c.errorf("warning: %s", w)
	}
}

// reloadChecked waits, until deadline, for the CRM account check the
// reload started (after counts it running) and says how it went: an
// operator who reloaded to take a new token or a field made in the CRM
// learnt only from syncd status whether the account was ready for the
// mappings. The files were taken either way: exit 0.
func (c *cli) reloadChecked(ctx context.Context, url, file string, before, after Snapshot, deadline time.Time) {
	names := checksStarted(before, after)
	if len(names) == 0 {
		// One scrape reads the checks running and those ended one after
		// the other: a check that ended in between (a CRM answering at
		// once, a loaded machine's slow scrape) was in neither, and reload
		// said nothing of it. A scrape begun after that one sees it ended.
		if again, err := scrape(ctx, url); err == nil && again.PID == after.PID {
			names = checksStarted(before, again)
		}
	}
	if len(names) == 0 {
		return // no check started: no account check for this CRM, or another instance leads sync
	}
	if limit := time.Now().Add(reloadCheckWait); limit.Before(deadline) {
		deadline = limit
	}
	done, err := checksEnded(ctx, url, after.PID, deadline)
	if err != nil {
		fmt.Fprintf(c.stdout, "the CRM account check it started %v: syncd status -config %s says how it went\n", err, shellescape.Quote(file))
		return
	}
	for _, a := range done.Adapters {
		if slices.Contains(names, a.Name) && a.Checked {
			fmt.Fprintf(c.stdout, "%s\n", reloadCheckLine(a, pausedIn(before, a.Name), file))
		}
	}
}

// checksStarted names the adapters of after that run an account check a
// reload started, or have ended one since before.
func checksStarted(before, after Snapshot) []string {
	var names []string
	for _, a := range after.Adapters {
		if a.CheckRunning > 0 || a.ReloadChecks > reloadChecksIn(before, a.Name) {
			names = append(names, a.Name)
		}
	}
	return names
}

// reloadCheckWait is how long at most syncd reload waits for the account
// check after the daemon took the files: a check takes a second or two; a
// CRM that does not answer would hold systemctl reload to its timeout,
// though the files were taken.
const reloadCheckWait = 20 * time.Second

// checksEnded waits until the daemon pid at url runs no account check a
// reload started, or deadline; the snapshot then.
func checksEnded(ctx context.Context, url string, pid int, deadline time.Time) (Snapshot, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	snap, err := pollDaemon(ctx, url, pid, func(s Snapshot) bool {
		return !slices.ContainsFunc(s.Adapters, func(a AdapterStatus) bool { return a.CheckRunning > 0 })
	})
	var other errOtherDaemon
	switch {
	case errors.As(err, &other):
		return snap, fmt.Errorf("was not seen to end: another daemon answers now (pid %d)", other.pid)
	case err != nil:
		return snap, errors.New("has not ended yet")
	}
	return snap, nil
}

// reloadCheckLine says how the account check of a ended: passed, and the
// sync's pause lifted if a was paused before the reload (wasPaused) and
// is no more; found problems; or could not run.
func reloadCheckLine(a AdapterStatus, wasPaused bool, file string) string {
	switch {
	case a.CheckProblems == 0 && wasPaused && !a.Paused:
		return fmt.Sprintf("the CRM account check (%s) passed, and the sync's pause is lifted: the leads that waited go out now", a.Name)
	case a.CheckProblems == 0:
		return fmt.Sprintf("the CRM account check (%s) passed", a.Name)
	case a.CheckProblems < 0:
		return fmt.Sprintf("the CRM account check (%s) COULD NOT RUN: the CRM did not answer it; it runs again by itself as CRM calls "+
			"go through (syncd crm check -config %s tries now)", a.Name, shellescape.Quote(file))
	}
	return fmt.Sprintf("the CRM account check (%s) FAILED: %s with the account or the mappings; leads still go out unless the CRM "+
		"refuses them for it: syncd crm check -config %s says what and how to fix it", a.Name,
		syncd.Counted(a.CheckProblems, "problem", "problems"), shellescape.Quote(file))
}

// pausedIn says whether the adapter name was paused in s.
func pausedIn(s Snapshot, name string) bool {
	a, ok := adapterIn(s, name)
	return ok && a.Paused
}

// reloadChecksIn is how many account checks of reloads the adapter name
// had ended in s.
func reloadChecksIn(s Snapshot, name string) int {
	a, _ := adapterIn(s, name)
	return a.ReloadChecks
}

// adapterIn is the adapter name of s, if s has it.
func adapterIn(s Snapshot, name string) (AdapterStatus, bool) {
	i := slices.IndexFunc(s.Adapters, func(a AdapterStatus) bool { return a.Name == name })
	if i < 0 {
		return AdapterStatus{}, false
	}
	return s.Adapters[i], true
}

// reloadUnseen is syncd reload where no daemon is found from the file
// (why: err), as when the file is broken above its listen: the process
// pid, given, is signalled all the same; either way, a file that does not
// load is said with its problems, exit 2, as the daemon rejects it.
func (c *cli) reloadUnseen(file string, pid int, err error) int {
	signalled := ""
	if pid != 0 {
		if why := pidRefused(pid, 0, "", file); why != "" {
			fmt.Fprintf(c.stderr, "syncd reload: %s\n", why)
			return exitUsage
		}
		if kerr := syscall.Kill(pid, syscall.SIGHUP); kerr != nil {
			fmt.Fprintf(c.stderr, "syncd reload: signal pid %d: %v%s\n", pid, kerr, killHint(kerr))
			return exitFailure
		}
		signalled = fmt.Sprintf("sent SIGHUP to pid %d, but ", pid)
	}
	found := checkOnDisk(c, loadedFiles{config: file}, "", true)
	if len(found.problems) == 0 {
		if pid == 0 {
			fmt.Fprintf(c.stderr, "syncd reload: %v: nothing to reload (syncd status says more)\n", err)
			return exitFailure
		}
		fmt.Fprintf(c.stdout, "%scannot read what it made of it: %v; syncd status -config %s says\n", signalled, err, shellescape.Quote(file))
		return exitOK
	}
	if pid != 0 {
		fmt.Fprintf(c.stderr, "syncd reload: %s%s does NOT LOAD, so the daemon keeps running on the files it loaded before "+
			"(no daemon is found from the file to ask: %v):\n", signalled, file, err)
	} else {
		fmt.Fprintf(c.stderr, "syncd reload: %s does NOT LOAD, and no daemon is found from it (%v): nothing signalled; "+
			"a reload would be rejected:\n", file, err)
	}
	c.fileProblems(file, found.problems)
	return exitUsage
}

// reloadStarting is syncd reload of a daemon (pid) still waiting at start
// for its database, as s says: it keeps the signal and loads the files
// as they are then once it serves. syncd reload waited the whole -wait
// for an answer it could not give and failed. The files are checked as
// they are now: those that do not load are listed, exit 2, as the
// daemon would reject them.
func (c *cli) reloadStarting(file string, clk clock, pid int, s Snapshot) int {
	waits := fmt.Sprintf("the daemon (pid %d) is still starting, waiting for its database since %s: %s",
		pid, when(clk, s.WaitingSince, time.Now()), s.WaitingWhy)
	found := checkOnDisk(c, loadedFiles{config: file}, "", true)
	if len(found.problems) == 0 {
		fmt.Fprintf(c.stdout, "sent SIGHUP: %s\nit loads the files as they are then once it serves (syncd status -config %s says when)\n", waits, shellescape.Quote(file))
		return exitOK
	}
	fmt.Fprintf(c.stderr, "syncd reload: sent SIGHUP: %s\nbut %s does NOT LOAD: the daemon will reject it once it serves, and run on "+
		"the files it started with:\n", waits, file)
	c.fileProblems(file, found.problems)
	return exitUsage
}

// fileProblems lists the problems of the files of file on stderr, with
// what to do.
func (c *cli) fileProblems(file string, problems []string) {
	for _, p := range problems {
		fmt.Fprintf(c.stderr, "  %s\n", strings.ReplaceAll(p, "\n", "\n  "))
	}
	fmt.Fprintf(c.stderr, "fix them (syncd validate -config %s checks them), then syncd reload again\n", shellescape.Quote(file))
}

// reloadExits are the lines of syncd reload's exit statuses.
func reloadExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "the daemon took the files (or, still starting or an older syncd, was signalled)"},
		exitMeaning{exitFailure, "no daemon found from the configuration, the signal refused, or no answer within -wait"},
		exitMeaning{exitUsage, "bad flags (a -pid that is not the daemon's: nothing signalled), -config not the daemon's file (it\n" +
			"     would load its own again: nothing signalled), or the files do not load: the daemon rejected them\n" +
			"     and runs on those it loaded before (their problems are listed)"},
	)
}

// pidToSignal is the process to signal: the one given, else the daemon's own.
func pidToSignal(given, said int) int {
	if given != 0 {
		return given
	}
	return said
}

// killHint says what to do about a signal the system refused.
func killHint(err error) string {
	switch {
	case errors.Is(err, syscall.EPERM):
		return ": it runs as another user: run this as root or as the daemon's user (systemctl reload syncd does)"
	case errors.Is(err, syscall.ESRCH):
		return ": no such process: is the daemon running? (systemctl status syncd)"
	}
	return ""
}

// daemonOf finds the daemon of cfg, as syncd status does: the one answering
// at its listen address and serving its database, else the one its
// serving record names; its address and what its /metrics say.
func daemonOf(ctx context.Context, file string, cfg *config.Config) (string, Snapshot, error) {
	addr := addrOf(cfg)
	dbPath, err := storeName(cfg)
	if err != nil {
		return "", Snapshot{}, err
	}
	snap, err := scrape(ctx, "http://"+addr+"/metrics")
	switch {
	case err != nil:
		err = fmt.Errorf("no syncd answers at %s (%v)", addr, err)
	case snap.Database != dbPath && !sameFile(snap.Database, dbPath):
		err = fmt.Errorf("the syncd at %s serves %s, not this configuration's database", addr, orUnknown(snap.Database))
	}
	if err != nil {
		if rec, s, ok := recorded(ctx, file, cfg, dbPath, snap.Database); ok {
			return rec.addr(), s, nil
		}
	}
	return addr, snap, err
}

// loadedAgain waits until the daemon whose /metrics are at url has loaded
// its files once more than in before, and returns what it says then: from
// a scrape begun after the one that saw the count grow. The daemon counts
// a load after it has set everything the load changed, but one scrape
// reads its series concurrently, and could see the count grown beside the
// previous reload's outcome.
func loadedAgain(ctx context.Context, url string, before Snapshot, wait time.Duration) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	snap, err := pollDaemon(ctx, url, before.PID, func(s Snapshot) bool { return s.Loads > before.Loads })
	var other errOtherDaemon
	switch {
	case errors.As(err, &other):
		return snap, fmt.Errorf("another daemon answers now (pid %d): it restarted", other.pid)
	case err != nil:
		return snap, fmt.Errorf("the daemon did not say within %s whether it took the files", syncd.HowLong(wait))
	}
	if again, err := scrape(ctx, url); err == nil && again.PID == snap.PID {
		return again, nil
	}
	return snap, nil
}

// pollDaemon scrapes url every reloadPoll until done says a snapshot of
// the daemon pid is what is waited for, another daemon answers there
// (errOtherDaemon), or ctx ends (its error); the last snapshot.
func pollDaemon(ctx context.Context, url string, pid int, done func(Snapshot) bool) (Snapshot, error) {
	tick := time.NewTicker(reloadPoll)
	defer tick.Stop()
	for {
		snap, err := scrape(ctx, url)
		switch {
		case err == nil && snap.PID != pid:
			return snap, errOtherDaemon{snap.PID}
		case err == nil && done(snap):
			return snap, nil
		}
		select {
		case <-ctx.Done():
			return snap, ctx.Err()
		case <-tick.C:
		}
	}
}

// errOtherDaemon is another daemon than the one signalled answering: it
// restarted.
type errOtherDaemon struct{ pid int }

func (e errOtherDaemon) Error() string {
	return fmt.Sprintf("another daemon answers now (pid %d)", e.pid)
}

// reloadRejected says that the daemon rejected the files, with their
// problems as they are on disk now (those the daemon found, unless they
// were changed since), on stderr: read as syncd status reads them, with
// the daemon's credentials where it says where they are.
func (c *cli) reloadRejected(file string, pid int, s Snapshot) {
	if !s.MappingHeldSince.IsZero() { // no mappings loaded to run on
		fmt.Fprintf(c.stderr, "syncd reload: REJECTED: the daemon (pid %d) still holds its mapping: it stores every delivery "+
			"but maps none, and sends nothing to the CRM, until the files load\n", pid)
	} else {
		fmt.Fprintf(c.stderr, "syncd reload: REJECTED: the daemon (pid %d) runs on the configuration and mappings it loaded before\n", pid)
	}
	var found diskCheck
	if s.loaded != nil {
		found = checkOnDisk(c, *s.loaded, daemonTarget(s.Adapters), true)
	} else {
		found = checkOnDisk(c, loadedFiles{config: file}, daemonTarget(s.Adapters), true)
	}
	if len(found.problems) == 0 {
		why := "the files load as they are now: syncd reload again"
		if found.secretsUnread {
			why = "their secret files aside, which this user may not read, the files load as they are now: run this as root"
		}
		fmt.Fprintf(c.stderr, "  why: journalctl -u syncd, \"reload rejected\" (%s)\n", why)
		return
	}
	c.fileProblems(file, found.problems)
}
