package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/writable"
)

// pruneRefused says, of err, a read or a delete in the reports directory
// dir that the prune was refused (permission denied: what `sudo syncd ...`
// left root's there), what it could not read or delete, whose it is, and
// the chown, as root, that gives it to the user the daemon runs as
// (pruneOwner): it said "prune: open …: permission denied" alone. Other
// errors are returned as they are.
func pruneRefused(dir string, err error) error {
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrPermission) || !errors.As(err, &pe) {
		return err
	}
	rel, rerr := filepath.Rel(dir, pe.Path)
	if rerr != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return err
	}
	who, me := pruneOwner(dir), writable.UserName(os.Geteuid())
	verb := "read"
	if pe.Op == "remove" || pe.Op == "unlinkat" {
		verb = "delete"
	}
	if rel == "." || verb == "delete" && filepath.Dir(pe.Path) == filepath.Clean(dir) { // the directory itself is in the way
		owner, mode := writable.Owner(dir)
		return fmt.Errorf("cannot %s %s: the reports directory %s (owned by %s, mode %04o) is not %s's to %s: "+
			"give it to %s, as root: chown %s %s (%w)", verb, pe.Path, dir, owner, mode, me, map[string]string{"read": "read", "delete": "write"}[verb],
			who, who, shellescape.Quote(dir), err)
	}
	top := filepath.Join(dir, strings.SplitN(rel, string(filepath.Separator), 2)[0]) // a temporary directory and what is in it
	owner, mode := writable.Owner(pe.Path)
	return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s: give it to %s, as root: chown -R %s %s (%w)",
		verb, pe.Path, owner, mode, me, who, who, shellescape.Quote(top), err)
}

// pruneOwner is the user the reports directory dir is for: its owner,
// else its parent's (the data directory, when root made the reports
// directory), when not root; else the user this process runs as.
func pruneOwner(dir string) string {
	for _, p := range []string{dir, filepath.Dir(dir)} {
		if st, err := os.Stat(p); err == nil {
			if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != 0 {
				return writable.UserName(int(sys.Uid))
			}
		}
	}
	return writable.UserName(os.Geteuid())
}
