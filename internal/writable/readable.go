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

	"al.essio.dev/pkg/shellescape"

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
	if group, gid, ok := groupMay(p, need, mode); ok {
		return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s: its mode lets its group (%s) %s it: %s (%w)",
			need, p, owner, mode, me, group, need, joinOrChgrp(p, group, gid, me), err)
	}
	if owner == me { // "run syncd as nobody" to nobody: its mode is to blame, not its owner
		bits := "r"
		if need == "enter" {
			bits = "x"
		}
		return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s, its owner: its mode keeps even its owner from doing so: chmod u+%s %s (%w)",
			need, p, owner, mode, me, bits, shellescape.Quote(p), err)
	}
	return fmt.Errorf("cannot %s %s (owned by %s, mode %04o) as %s: let %s %s it (chown, chmod), or run syncd as %s (%w)",
		need, p, owner, mode, me, me, need, owner, err)
}

// joinOrChgrp says what to do of p, whose group (named group, gid) may
// read it and this process, user me, is not in: the service (systemd
// gives it $INVOCATION_ID) reading a file left in root's group (installed
// 0640 without -g syncd) gives the file its group; anyone else joins the
// file's group, rather than take the file from the service that reads it.
func joinOrChgrp(p, group string, gid int, me string) string {
	if gid == 0 && os.Getenv("INVOCATION_ID") != "" {
		return "give it the service's group, chgrp " + groupName(os.Getegid()) + " " + p
	}
	if gid == 0 {
		return "give it the group syncd runs as (chgrp syncd " + p + ", as the install guide does), or run syncd as root"
	}
	return "run syncd as a member of " + group + " (usermod -aG " + group + " " + me + ", then log in again), or as root"
}

// groupMay reports whether mode lets p's group do what this process needs
// ("read" or "enter"), p's group not being this process's, and names it.
func groupMay(p, need string, mode fs.FileMode) (string, int, bool) {
	bit := fs.FileMode(0o040)
	if need == "enter" {
		bit = 0o010
	}
	st, err := os.Stat(p)
	if err != nil || mode&bit == 0 {
		return "", 0, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok || int(sys.Gid) == os.Getegid() {
		return "", 0, false
	}
	return groupName(int(sys.Gid)), int(sys.Gid), true
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
