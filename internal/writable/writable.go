// Package writable says, of files this process was refused writing (or
// reading: ExplainRead), which one it cannot write, whose it is and what
// to do: the data directory and the database, their -wal and -shm files,
// the daemon's lock file, the reports directory, the configuration and
// the mapping files are often left to root by a first `sudo syncd ...`.
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

// Explain adds to err, a write refused, the first of files this user
// cannot write (list a directory after what it holds), its owner and mode
// and what to do. A file that is missing or out of reach is passed over
// (a directory further on is the one); err is returned as it is when none
// of files is to blame.
func Explain(err error, files ...string) error {
	for _, p := range files {
		denied := unix.Access(p, unix.W_OK)
		if denied == nil || unix.Access(p, unix.F_OK) != nil {
			continue
		}
		if errors.Is(denied, unix.EROFS) { // nobody's to blame: not the owner's, nor the mode's
			dir := p
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				dir = filepath.Dir(p)
			}
			return ReadOnly(p, dir, err)
		}
		owner, mode := Owner(p)
		me := UserName(os.Geteuid())
		if owner == me { // "run the command as nobody" to nobody: its mode is to blame, not its owner
			return fmt.Errorf("cannot write %s (owned by %s, mode %04o) as %s, its owner: its mode keeps even its owner from writing it: chmod u+w %s (%w)",
				p, owner, mode, me, shellescape.Quote(p), err)
		}
		if os.Getenv("INVOCATION_ID") != "" && inStateDirectory(p) {
			return serviceCannot(p, owner, mode, me, err)
		}
		return fmt.Errorf("cannot write %s (owned by %s, mode %04o) as %s: run the command as %s, or let %s write it (%w)",
			p, owner, mode, me, owner, me, err)
	}
	return err
}

// serviceCannot is Explain's words for a systemd service (systemd gives it
// $INVOCATION_ID), user me, refused writing p, owner's, in its state
// directory: it runs as the user its unit names, not as owner, so "run the
// command as root" (of a reports directory root made, say) had it started
// as root, which serve refuses on the service's data. What is in its state
// directory is its own: the chown that gives p back (p alone: a
// directory's files the service replaces, it need not own). Outside it (a
// ReadWritePaths= directory, a parent such as /srv) a chown is no advice.
func serviceCannot(p, owner string, mode fs.FileMode, me string, err error) error {
	return fmt.Errorf("cannot write %s (owned by %s, mode %04o) as %s, the user the service runs as: give it to %s, as root: "+
		"chown %s %s (%w)", p, owner, mode, me, me, me, shellescape.Quote(p), err)
}

// inStateDirectory reports whether p is in (or is) a directory
// STATE_DIRECTORY names, the state directory of the unit this process runs
// under.
func inStateDirectory(p string) bool {
	a, err := filepath.Abs(p)
	return err == nil && under(a, stateDirectories())
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

// stateDir is the directory syncd's systemd units leave writable
// (StateDirectory=syncd, syncd/NAME), all else being read-only to them
// (ProtectSystem=strict): said where STATE_DIRECTORY does not tell.
const stateDir = "/var/lib/syncd"

// ReadOnly is the error of p not written, err, because the file system
// holding it is read-only: a disk the kernel remounted so after an I/O
// error, a snapshot, or, under syncd's systemd unit, any directory outside
// its state directory. dir is the directory to look at the mount of.
//
// Under a unit with StateDirectory= (systemd sets STATE_DIRECTORY), a dir
// outside it is read-only for that reason alone, and the words say so and
// name the directory the service may write: syncd@NAME may write
// /var/lib/syncd/NAME only, not /var/lib/syncd nor another agency's
// directory, so a data_dir left at ./data or copied from another agency's
// file is told to be data_dir: /var/lib/syncd/NAME, not sent to dmesg.
func ReadOnly(p, dir string, err error) error {
	abs, e := filepath.Abs(dir)
	if e != nil {
		abs = dir
	}
	if states := stateDirectories(); len(states) > 0 && !under(abs, states) {
		fix := "set data_dir: " + states[0] + " in the configuration (report.dir unset, or under it)"
		// A directory of syncd's elsewhere, never: another agency's (syncd@NAME's) is its own.
		if st, e := os.Stat(abs); e == nil && st.IsDir() && !under(abs, []string{stateDir}) {
			fix += ", or add ReadWritePaths=" + UnitPath(abs) + " with systemctl edit"
		}
		return &readOnlyError{msg: fmt.Sprintf("cannot write %s: read-only file system: under its systemd unit syncd may write "+
			"only its state directory %s (StateDirectory=; every other directory is read-only to it: ProtectSystem=strict): %s",
			p, states[0], fix), err: err, outside: true}
	}
	why := "; the kernel remounts a disk read-only after an I/O error: see dmesg"
	if !under(abs, []string{stateDir}) {
		why += "; under syncd's systemd unit every directory but " + stateDir + " is read-only (ProtectSystem=strict): " +
			"keep " + dir + " under " + stateDir + ", or add ReadWritePaths=" + UnitPath(dir) + " with systemctl edit"
	}
	return &readOnlyError{msg: fmt.Sprintf("cannot write %s: read-only file system (findmnt -T %s shows the mount%s)", p, shellescape.Quote(existing(abs)), why), err: err}
}

// Creatable says whether this user may write in directory dir or, where
// dir is not there yet, make it: nil, or an error naming the directory
// that keeps it from it (dir, or the nearest one above it that is there),
// its owner and mode and what to do, as Explain does. Where the directory
// it would be made in is a file, it says so.
func Creatable(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	in := existing(abs)
	if st, err := os.Stat(in); err == nil && !st.IsDir() {
		return fmt.Errorf("cannot make %s: %s is a file, not a directory", abs, in)
	}
	denied := unix.Access(in, unix.W_OK|unix.X_OK)
	if denied == nil {
		return nil
	}
	op := "mkdir"
	if in == abs {
		op = "write in"
	}
	return Explain(&fs.PathError{Op: op, Path: abs, Err: denied}, in)
}

// ExplainMkdir is err, a directory dir not made for want of permission,
// as Creatable says it (the directory in the way, whose it is, its mode
// and what to do); any other err as it is.
func ExplainMkdir(dir string, err error) error {
	if !errors.Is(err, fs.ErrPermission) {
		return err
	}
	if why := Creatable(dir); why != nil {
		return why
	}
	return err
}

// existing is p, or, where p is not there (a directory not made), the
// nearest directory above it that is: what findmnt -T can look at.
func existing(p string) string {
	for p != filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		p = filepath.Dir(p)
	}
	return p
}

// stateDirectories are the directories STATE_DIRECTORY names, the
// StateDirectory= of the unit this process runs under (systemd 240 on,
// colon-separated); none outside such a unit.
func stateDirectories() []string {
	var dirs []string
	for _, d := range strings.Split(os.Getenv("STATE_DIRECTORY"), ":") {
		if filepath.IsAbs(d) {
			dirs = append(dirs, filepath.Clean(d))
		}
	}
	return dirs
}

// under reports whether the absolute path p is one of dirs or inside one.
func under(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// readOnlyError is ReadOnly's: its words, and the error it explains (the
// file's own, or the bare EROFS) for errors.Is, not repeated in them.
type readOnlyError struct {
	msg string
	err error
	// outside: the directory is outside the unit's state directory,
	// read-only for that alone.
	outside bool
}

// OutsideStateDirectory reports whether err is ReadOnly's of a directory
// outside the state directory of the unit syncd runs under: read-only by
// the unit's sandbox, not a disk's, so the way out is the directory, not
// a command that only reads.
func OutsideStateDirectory(err error) bool {
	var e *readOnlyError
	return errors.As(err, &e) && e.outside
}

func (e *readOnlyError) Error() string { return e.msg }
func (e *readOnlyError) Unwrap() error { return e.err }

// UnitPath is p as a systemd unit's path setting (ReadWritePaths=) reads
// it: its % doubled (systemd expands %i and the like there), and in
// double quotes, with " and \ escaped, where it holds a space, a quote or
// a backslash. Bare, a space split it into two paths (the second relative,
// ignored) and an apostrophe made the line fail to parse, ignored too.
func UnitPath(p string) string {
	p = strings.ReplaceAll(p, "%", "%%")
	if !strings.ContainsAny(p, " \t\n\"'\\") {
		return p
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p) + `"`
}
