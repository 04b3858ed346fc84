package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/syncd-dev/syncd/internal/config"
)

// serviceReportsDir makes the reports directory of cfg, where it is not
// there yet and this process runs as root (sudo syncd report), owned by the
// user the daemon runs as: the owner of the SQLite database (of the data
// directory on PostgreSQL, whose daemon makes the directory only at its
// first report), with that owner's group (or the one a setgid directory
// above hands down). Made by the report as root's, the daemon, running as
// that user, could write no report there: every daily report failed, as did
// the prune of old ones, until someone gave it back. A directory that is
// there is left as it is, and so is everything where that owner is root.
func serviceReportsDir(cfg *config.Config) error {
	dir := abs(cfg.Report.Dir)
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		return nil // there (or out of reach: the report says why)
	}
	like := cfg.DataDir
	if cfg.Store.Kind == config.StoreSQLite {
		like = cfg.DBPath()
	}
	uid, ownerGid, ok := ownerForRoot(like)
	if !ok || uid == 0 {
		return nil
	}
	var missing []string // dir and the directories above it not there yet, innermost first
	for p := dir; p != filepath.Dir(p); p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		missing = append(missing, p)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		p := missing[i]
		if err := os.Mkdir(p, 0o750); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil // the report makes it, or says why it cannot
		}
		gid := ownerGid
		if up, err := os.Stat(filepath.Dir(p)); err == nil && up.Mode()&fs.ModeSetgid != 0 {
			gid = -1 // the group the directory above hands down (syncd-reports)
		}
		if err := os.Lchown(p, uid, gid); err != nil {
			return fmt.Errorf("reports directory: give %s to the database's owner: %w", p, err)
		}
	}
	return nil
}
