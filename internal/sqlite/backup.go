package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to out while others keep
// writing: SQLite's VACUUM INTO reads one snapshot (a read transaction, so
// the daemon's writer is not held up) into a compact new file. The copy is
// made in a temporary file beside out (FileMode, whatever the umask),
// synced and renamed into place, so out is either the old file or a whole
// new backup.
func (db *DB) Backup(ctx context.Context, out string) error {
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		var pe *fs.PathError // names the temporary file, which the operator never chose
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("backup: cannot create a file in %s: %w", dir, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // fails harmlessly once renamed
	err = tmp.Chmod(FileMode)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// VACUUM INTO fills an empty file; it does not sync it.
		_, err = db.r.ExecContext(ctx, `VACUUM INTO ?`, name)
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
