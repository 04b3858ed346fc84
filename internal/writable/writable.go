// Package writable says, of files this process was refused writing (or
// reading: ExplainRead), which one it cannot write, whose it is and what
// to do: the data directory and the database, their -wal and -shm files,
// the daemon's lock file, the reports directory, the configuration and
// the mapping files are often left to root by a first `sudo syncd ...`.
package writable

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// Explain adds to err, a write refused, the first of files this user
// cannot write (list a directory after what it holds), its owner and mode
// and what to do. A file that is missing or out of reach is passed over
// (a directory further on is the one); err is returned as it is when none
// of files is to blame.
func Explain(err error, files ...string) error {
	for _, p := range files {
		if unix.Access(p, unix.W_OK) == nil || unix.Access(p, unix.F_OK) != nil {
			continue
		}
		owner, mode := Owner(p)
		me := UserName(os.Geteuid())
		return fmt.Errorf("cannot write %s (owned by %s, mode %04o) as %s: run the command as %s, or let %s write it (%w)",
			p, owner, mode, me, owner, me, err)
	}
	return err
}

// Owner returns the name of p's owner and p's permission bits.
func Owner(p string) (string, fs.FileMode) {
	st, err := os.Stat(p)
	if err != nil {
		return "?", 0
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return "?", st.Mode().Perm()
	}
	return UserName(int(sys.Uid)), st.Mode().Perm()
}

// UserName is the login name of uid, or "uid N" when it has none.
func UserName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}
