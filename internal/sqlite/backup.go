package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/writable"
)

// State rows that tell a restored backup from the database it was taken
// of: the copy records when it was taken (StateBackupTaken) and drops the
// StateRestoredAt and the ids skipped it may have inherited, which
// are set when a copy is first served (cmd/syncd) and written to.
//
// StateLaterBackupsSought says that the first writer on a restored backup
// looked for the backups taken after it (cmd/syncd records them); Backup
// drops it too.
const (
	StateBackupTaken        = "backup_taken_at"
	StateRestoredAt         = "restored_at"
	StateLaterBackupsSought = "later_backups_sought"
	// StateBackupWrittenTo, in a copy syncd backup made, is the absolute
	// path it was written to: the first backup records no other, so a
	// restore of it learns from this row where to look for the backups
	// taken after it, and for itself.
	StateBackupWrittenTo = "backup_written_to"
)

// Backup writes a consistent copy of the database to out while others keep
// writing: SQLite's VACUUM INTO reads one snapshot (a read transaction, so
// the daemon's writer is not held up) into a compact new file. The copy is
// made in a temporary file beside out (FileMode, whatever the umask),
// synced and renamed into place, so out is either the old file or a whole
// new backup.
func (db *DB) Backup(ctx context.Context, out string) error {
	if err := db.refuseInUse(out); err != nil {
		return err
	}
	return db.copyInto(ctx, db.r, out, db.Now())
}

// execer runs a statement: the reader pool for a backup beside the
// daemon, the writer's for the copy Open takes before an upgrade (the
// readers are not open yet).
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// copyInto is Backup past its checks: the copy of the database read
// through q, marked taken at, written to out.
func (db *DB) copyInto(ctx context.Context, q execer, out string, at time.Time) error {
	dir := filepath.Dir(out)
	removeKilledCopies(dir, filepath.Base(out), db.Now())
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".*"+copySuffix)
	if err != nil {
		var pe *fs.PathError // names the temporary file, which the operator never chose
		if errors.As(err, &pe) {
			err = pe.Err
		}
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return unwritableDir(dir, err)
		}
		if errors.Is(err, syscall.EIO) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			return fmt.Errorf("backup: cannot create a file in %s: %w", dir, err)
		}
		// A directory there that takes no files (/proc, /sys: "no such
		// file or directory") is the -out given, as one it may not write is.
		return syncd.Errorf(syncd.EInvalid, "backup: %s takes no new files (creating one there said: %v): %s",
			dir, err, backupDirFix())
	}
	name := tmp.Name()
	defer os.Remove(name) // fails harmlessly once renamed
	err = tmp.Chmod(FileMode)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// VACUUM INTO fills an empty file; it does not sync it.
		_, err = q.ExecContext(ctx, `VACUUM INTO ?`, name)
	}
	if err == nil {
		err = markCopy(ctx, name, out, at)
	}
	if diskFull(err) { // SQLite's "database or disk is full" is the copy's disk, not the database's
		return fmt.Errorf("backup: no room for the copy in %s (the disk is full or over quota): free space there, or write the backup elsewhere (%w)", dir, err)
	}
	if err == nil {
		err = syncFile(name)
	}
	if err == nil {
		err = os.Rename(name, out)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	syncFile(dir) // make the rename durable; not every filesystem can
	return nil
}

// unwritableDir is the refusal of a backup into dir, which this user may
// not write in (err: permission denied, or a read-only file system), with
// whose the directory is and what to do: a directory the user may write,
// best made for the backups; on a read-only file system, the mount to look
// at and, run from a systemd unit with ProtectSystem=strict (as
// syncd.service is), the directory added to its ReadWritePaths=, outside
// which every directory is read-only to it. Nothing is copied, as for a
// directory that does not exist: exit 2.
func unwritableDir(dir string, err error) error {
	me, fix := writable.UserName(os.Geteuid()), backupDirFix()
	if errors.Is(err, syscall.EROFS) {
		return syncd.Errorf(syncd.EInvalid, "backup: cannot write in %s as %s: read-only file system (findmnt -T %s shows "+
			"its mount; the kernel remounts a disk read-only after an I/O error: see dmesg): %s; run from a systemd unit with "+
			"ProtectSystem=strict (as syncd.service), every directory not in its ReadWritePaths= is read-only to it: "+
			"add ReadWritePaths=%s to that unit (systemctl edit)", dir, me, shellescape.Quote(dir), fix, writable.UnitPath(dir))
	}
	why := "permission denied"
	if owner, mode := writable.Owner(dir); owner != "?" {
		why = fmt.Sprintf("permission denied (the directory is %s's, mode %04o)", owner, mode)
	}
	return syncd.Errorf(syncd.EInvalid, "backup: cannot write in %s as %s: %s: %s", dir, me, why, fix)
}

// backupDirFix says where to write a backup instead: a directory this
// user may write, and the command that makes one.
func backupDirFix() string {
	me := writable.UserName(os.Geteuid())
	return fmt.Sprintf("give -out a file in a directory %s may write, best on another disk (install -d -m 0700 -o %s "+
		"/var/backups/syncd makes one)", me, shellescape.Quote(me))
}

// copySuffix ends the name of the temporary file a backup copies into,
// .NAME.RANDOM.syncd-backup.tmp beside NAME, so that one a killed backup
// left is told from other files, whatever NAME that backup was given.
const copySuffix = ".syncd-backup.tmp"

// killedAfter is how long a temporary copy has not been written to when
// it is taken as left by a backup that was killed, not one running now
// (VACUUM INTO writes to it all the time).
const killedAfter = time.Hour

// killedCopy matches the temporary copies (and their rollback journals)
// backups leave when killed; killedCopyOf those of a file named base under
// the name earlier versions gave them.
var killedCopy = regexp.MustCompile(`^\..+\.\d+` + regexp.QuoteMeta(copySuffix) + `(-journal)?$`)

func killedCopyOf(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.\d+\.tmp(-journal)?$`)
}

// removeKilledCopies deletes from dir the partial copies, and their
// journals, that backups killed (kill -9, a power cut) more than
// killedAfter before now left behind: hidden files holding leads, which
// neither a rotation of the backups nor an erase would reach. A journal
// goes with its copy (a running backup may leave its own unwritten for
// long), or alone once its copy is gone. What it cannot delete stays, for
// the next backup. It returns the copies it deleted.
func removeKilledCopies(dir, base string, now time.Time) (removed []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // the backup's own CreateTemp says why
	}
	legacy := killedCopyOf(base)
	for _, e := range entries {
		name := e.Name()
		if !killedCopy.MatchString(name) && !legacy.MatchString(name) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) <= killedAfter {
			continue
		}
		p := filepath.Join(dir, name)
		if copyOf, ok := strings.CutSuffix(p, "-journal"); ok {
			if _, err := os.Lstat(copyOf); err == nil {
				continue // goes with its copy, if that is left over too
			}
			os.Remove(p)
			continue
		}
		if os.Remove(p) == nil {
			os.Remove(p + "-journal")
			removed = append(removed, p)
		}
	}
	return removed
}

// RemoveKilledCopies deletes, beside the backup file out, the partial
// copies that backups killed more than an hour before now left there, as
// the next backup into that directory does, and returns their paths: the
// retention purge calls it for the backups it knows of, so that a partial
// copy holding leads does not outlive the retention when no backup follows.
func RemoveKilledCopies(out string, now time.Time) []string {
	return removeKilledCopies(filepath.Dir(out), filepath.Base(out), now)
}

// markCopy records in the copy at name, a rollback-journal database as
// VACUUM INTO writes it, when it was taken (at) and where it is written
// (out).
func markCopy(ctx context.Context, name, out string, at time.Time) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("mark the copy: %w", err)
	}
	c, err := sql.Open("sqlite3", "file:"+uriPath.Replace(filepath.ToSlash(name))+"?_journal_mode=DELETE&_synchronous=FULL")
	if err != nil {
		return err
	}
	defer c.Close()
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mark the copy: %w", err)
	}
	defer tx.Rollback()
	if err := markTaken(ctx, tx, fmtTime(at)); err != nil {
		return fmt.Errorf("mark the copy: %w", err)
	}
	if _, err := tx.ExecContext(ctx, setStateSQL, StateBackupWrittenTo, abs, fmtTime(at)); err != nil {
		return fmt.Errorf("mark the copy: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark the copy: %w", err)
	}
	return c.Close()
}

// refuseInUse refuses an out that is a directory (the copy would be made,
// then not renamed over it), a file that is no database (otherFile) or a
// copy syncd keeps beside the database (keptCopy), or in a directory that
// does not exist (a typo: exit 2, as report -out; it was exit 1, a
// failure), or one that would replace this database or one of the files
// beside it, or another database in use (a file with its
// write-ahead log beside it: the WAL would later be replayed onto the
// copy's pages). The rename would otherwise take the file from under the
// daemon that serves it.
func (db *DB) refuseInUse(out string) error {
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return syncd.Errorf(syncd.EInvalid, "backup: %s is a directory: give -out the file to write in it, e.g. %s",
			out, shellescape.Quote(filepath.Join(out, "syncd-"+db.Now().Format("2006-01-02")+".db")))
	}
	if dir := filepath.Dir(out); isNotExist(dir) { // a mistyped directory, as report -out says: not made for it
		return syncd.Errorf(syncd.EInvalid, "backup: the directory %s does not exist: create it first (mkdir -p %s), "+
			"or give -out a file in one that does", dir, shellescape.Quote(dir))
	}
	for _, f := range []string{db.path, db.path + "-wal", db.path + "-shm", db.path + "-journal",
		daemonLockPath(db.path), markerFile(db.path)} {
		if samePath(out, f) {
			return syncd.Errorf(syncd.EInvalid, "backup: %s is the database being backed up, or a file of it: "+
				"write the copy elsewhere, best on another disk (e.g. /var/backups/syncd/syncd.db)", out)
		}
	}
	if db.keptCopy(out) {
		return syncd.Errorf(syncd.EInvalid, "backup: %s is a copy syncd keeps beside the database (the one taken before an "+
			"upgrade, the way back to the older syncd, or the one saved of a database lost under the daemon): write the "+
			"copy elsewhere, best on another disk (e.g. /var/backups/syncd/syncd.db)", out)
	}
	if otherFile(out) {
		name := "syncd-" + db.Now().Format("2006-01-02") + ".db"
		instead := "e.g. " + shellescape.Quote(filepath.Join(filepath.Dir(out), name)) // pasted after -out
		if samePath(filepath.Dir(out), filepath.Dir(db.path)) {                        // the data directory: lost with the database's disk
			instead = "best on another disk, e.g. /var/backups/syncd/" + name
		}
		return syncd.Errorf(syncd.EInvalid, "backup: %s is there and is not a database (a backup replaces only an earlier "+
			"backup, not the erasure log, a configuration or another file): give -out another file, %s", out, instead)
	}
	if _, err := os.Lstat(out + "-wal"); err == nil {
		return syncd.Errorf(syncd.EInvalid, "backup: %s is a database in use (its write-ahead log %s-wal is beside it), "+
			"which the copy would damage: write the copy elsewhere, best on another disk", out, out)
	}
	return nil
}

// keptCopy reports whether out names, beside the database, a copy syncd
// keeps of it there: an upgrade's (syncd.db.schema-N.bak) or one a daemon
// saved of it lost (syncd.db.lost-TIME), there or not yet.
func (db *DB) keptCopy(out string) bool {
	base := filepath.Base(db.path)
	name := filepath.Base(out)
	return samePath(filepath.Dir(out), filepath.Dir(db.path)) &&
		(upgradeCopyOf(base).MatchString(name) || strings.HasPrefix(name, base+lostSuffix))
}

// otherFile reports whether out is a file with something in it that is no
// SQLite database: the erasure log beside the database, a configuration,
// a workbook, which the copy renamed over it would destroy. One that
// cannot be read is left to the write to say.
func otherFile(out string) bool {
	f, err := os.Open(out)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
		return false
	}
	head := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, head)
	return (err == nil || errors.Is(err, io.ErrUnexpectedEOF)) && string(head) != sqliteMagic
}

// isNotExist reports whether nothing is at path (a path that cannot be
// looked at for another reason is left to the write to say).
func isNotExist(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// samePath reports whether a and b name one file: the same existing file
// (through a symbolic or hard link too), or the same absolute path.
func samePath(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// BackupTakenAt reads, read-only and creating nothing, when the backup
// at path (a copy Backup made) was taken; ok is false for a file that is
// no such backup (no database, another file, one that cannot be read).
func BackupTakenAt(path string) (taken time.Time, ok bool) {
	v, ok := BackupStateValue(path, StateBackupTaken)
	if !ok {
		return time.Time{}, false
	}
	t, err := syncd.ParseTime(v)
	return t, err == nil
}

// BackupStateValue reads, read-only and creating nothing, the state row
// name of the backup at path (a copy Backup made, or any syncd database);
// ok is false for a file that is no such database, one that cannot be
// read, or a row it lacks.
func BackupStateValue(path, name string) (value string, ok bool) {
	if !sqliteHeader(path) {
		return "", false
	}
	q, err := readOnlyQuery(path)
	if err != nil {
		return "", false
	}
	c, err := sql.Open("sqlite3", "file:"+uriPath.Replace(filepath.ToSlash(path))+"?mode=ro"+q)
	if err != nil {
		return "", false
	}
	defer c.Close()
	if c.QueryRow(`SELECT value FROM state WHERE name = ?`, name).Scan(&value) != nil {
		return "", false
	}
	return value, true
}
