package writable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// ExplainRead adds to err, a read refused (fs.ErrPermission on a path: the
// configuration, a secret or mapping file left to root, a directory the
// service user may not enter), the file or directory to blame, its owner
// and mode and what to do. Other errors, and a refusal no file mode
// explains, are returned as they are.
func ExplainRead(err error) error {
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrPermission) || !errors.As(err, &pe) {
		return err
	}
	p, need := blocked(pe.Path)
	if p == "" {
		return err
	}
	owner, mode := Owner(p)
	me := UserName(os.Geteuid())
	return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s: let %s %s it (chown, chmod), or run syncd as %s (%w)",
		need, p, owner, mode, me, me, need, owner, err)
}

// blocked returns the first directory on the way to p this user cannot
// enter ("enter"), else p if it cannot read it ("read"), else "".
func blocked(p string) (string, string) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", ""
	}
	dir := string(filepath.Separator)
	for _, part := range strings.Split(filepath.Dir(abs), string(filepath.Separator)) {
		dir = filepath.Join(dir, part)
		if unix.Access(dir, unix.X_OK) != nil {
			return dir, "enter"
		}
	}
	if unix.Access(abs, unix.R_OK) != nil {
		return p, "read"
	}
	return "", ""
}
