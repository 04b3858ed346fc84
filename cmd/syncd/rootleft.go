package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"al.essio.dev/pkg/shellescape"
	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/writable"
)

// rootsLeftovers refuses serve, run as a user other than root, an SQLite
// data directory where syncd run as root before (sudo syncd serve, the
// directory made by root with mkdir) left a file the daemon must write
// root's: the directory, the database, its -wal or -shm, the daemon's
// lock (the reports directory too, in giveBack's chown; of its own, the
// daemon warns of it, serving). It was told one file at a time, each with
// "run the command as root, or let syncd write it" (a data directory wider
// than 0751 first with a chmod that did not let it either), while the way
// out is the one chown that gives them all back to the user serve runs
// as. Files of another user than root are left to the messages as before
// (run as that user: the service's).
func rootsLeftovers(cfg *config.Config) error {
	if os.Geteuid() == 0 || cfg.Store.Kind != config.StoreSQLite {
		return nil
	}
	db := cfg.DBPath()
	for _, p := range []string{cfg.DataDir, db, db + "-wal", db + "-shm", db + "-daemon.lock"} { // a reports directory is warned of
		if !errors.Is(unix.Access(p, unix.W_OK), unix.EACCES) || !rootsFile(p) {
			continue
		}
		_, mode := writable.Owner(p)
		me := writable.UserName(os.Geteuid())
		return fmt.Errorf("cannot write %s (owned by root, mode %04o) as %s, the user this serve runs as: syncd "+
			"run as root there before (sudo), or the directory made by root, left it root's. Give syncd's files "+
			"there to %s, as root: %s; then start syncd again", abs(p), mode, me, me, giveBack(cfg, me))
	}
	return nil
}

// rootsFile reports whether p is root's.
func rootsFile(p string) bool {
	st, err := os.Stat(p)
	if err != nil {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && sys.Uid == 0
}

// giveBack is the chown that gives syncd's files in the data directory
// of cfg to user: of the whole directory where it holds nothing but
// syncd's, else of syncd's files alone (a data_dir of other things too,
// /srv or /var/lib, must not change hands). The group is left as it is
// (the reports directory's, syncd-reports, lets its members read them).
func giveBack(cfg *config.Config, user string) string {
	dir := abs(cfg.DataDir)
	if onlySyncds(dir) {
		return "chown -R " + user + " " + shellescape.Quote(dir)
	}
	cmd := "chown " + user + " " + shellescape.Quote(dir) + " " + shellescape.Quote(abs(cfg.DBPath())) + "*"
	if _, err := os.Stat(cfg.Report.Dir); err == nil {
		cmd += " && chown -R " + user + " " + shellescape.Quote(abs(cfg.Report.Dir))
	}
	return cmd
}

// abs is p made absolute, for a command run from another directory.
func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// onlySyncds reports whether dir holds only what syncd makes in a data
// directory: the database and the files beside it, the reports, the
// erasure log, the daemon's record, damaged files set aside. One this
// user may not list is taken for syncd's where its mode is one syncd gives
// a data directory (0750 as made, 0751 at most): a root's directory of
// other things (/root, 0700) is not.
func onlySyncds(dir string) bool {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrPermission) {
		_, mode := writable.Owner(dir)
		return mode == 0o750 || mode == 0o751
	}
	if err != nil {
		return false
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, "syncd") && !strings.HasPrefix(n, ".syncd") && n != "reports" && n != "damaged" {
			return false
		}
	}
	return true
}
