package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/sys/unix"
)

// explainAccess adds to err, an open failing for want of write access to
// the database at path, which file this user cannot write, whose it is and
// what to do; other errors are returned as they are.
func explainAccess(path string, err error) error {
	// SQLite writes the database, its WAL and SHM files, and creates the
	// last two in the directory when they are not there.
	return explainFiles(err, path, path+"-wal", path+"-shm", filepath.Dir(path))
}

// explainFiles adds to err, a failure for want of write access to one of
// files (the first this user cannot write, a directory last), whose it is
// and what to do; other errors are returned as they are.
func explainFiles(err error, files ...string) error {
	var se sqlite3.Error
	readonly := errors.As(err, &se) && se.Code == sqlite3.ErrReadonly
	if !readonly && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	for _, p := range files {
		if unix.Access(p, unix.W_OK) == nil || unix.Access(p, unix.F_OK) != nil { // writable, missing or out of reach: a directory further on is the one
			continue
		}
		owner, mode := ownerOf(p)
		me := userName(os.Geteuid())
		return fmt.Errorf("cannot write %s (owned by %s, mode %04o) as %s: run the command as %s, or let %s write it (%w)",
			p, owner, mode, me, owner, me, err)
	}
	return err
}

// notNarrowed is the error of narrow when p, mode m, is not this user's
// to chmod to want.
func notNarrowed(p string, m, want fs.FileMode) error {
	owner, _ := ownerOf(p)
	return fmt.Errorf("%s is mode %04o, wider than syncd keeps (%04o), and owned by %s, not by %s: run syncd as %s, or narrow it as %s: chmod %o %s",
		p, m, want, owner, userName(os.Geteuid()), owner, owner, m&want, p)
}

// ownerOf returns the name of p's owner and p's permission bits.
func ownerOf(p string) (string, fs.FileMode) {
	st, err := os.Stat(p)
	if err != nil {
		return "?", 0
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return "?", st.Mode().Perm()
	}
	return userName(int(sys.Uid)), st.Mode().Perm()
}

// userName is the login name of uid, or "uid N" when it has none.
func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}
