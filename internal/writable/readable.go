package writable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

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
	if group, ok := groupMay(p, need, mode); ok {
		// Installed 0640 as the guide says, but in another group (root's,
		// install without -g syncd): the group is the one thing to change.
		return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s: its mode lets its group (%s) %s it: chgrp %s %s, "+
			"or run syncd as %s (%w)", need, p, owner, mode, me, group, need, groupName(os.Getegid()), p, owner, err)
	}
	return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s: let %s %s it (chown, chmod), or run syncd as %s (%w)",
		need, p, owner, mode, me, me, need, owner, err)
}

// groupMay reports whether mode lets p's group do what this process needs
// ("read" or "enter"), p's group not being this process's, and names it.
func groupMay(p, need string, mode fs.FileMode) (string, bool) {
	bit := fs.FileMode(0o040)
	if need == "enter" {
		bit = 0o010
	}
	st, err := os.Stat(p)
	if err != nil || mode&bit == 0 {
		return "", false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok || int(sys.Gid) == os.Getegid() {
		return "", false
	}
	return groupName(int(sys.Gid)), true
}

// groupName is the name of group gid, or its number when it has none.
func groupName(gid int) string {
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		return g.Name
	}
	return strconv.Itoa(gid)
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
