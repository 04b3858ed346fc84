package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"golang.org/x/sys/unix"
)

// exportTmpSuffix ends the name of the hidden file an export -out writes
// before it is put in place, .FILE.NNN.syncd-export.tmp beside FILE: one
// that an export killed midway (kill -9, a power cut) left says what it
// is, and the next export to FILE deletes it.
const exportTmpSuffix = ".syncd-export.tmp"

// writeOut writes b, an export, to the new file path and prints its name;
// first it deletes, and names, what exports to path killed midway left.
func (c *cli) writeOut(path string, b []byte) int {
	for _, p := range removeKilledExports(path) {
		c.errorf("deleted %s, the unfinished file of an export to %s that was killed before it was done", p, filepath.Base(path))
	}
	if err := writeNewFile(path, b); errors.Is(err, fs.ErrExist) {
		c.errorf("-out: %v", existsError(path))
		return exitUsage
	} else if err != nil {
		return c.fail(fmt.Errorf("export: %w", err))
	}
	fmt.Fprintln(c.stdout, path)
	return exitOK
}

// writeNewFile writes b to path, a new file readable by its owner only,
// whatever the umask: it fails with fs.ErrExist on one there already. b
// goes to a hidden temporary file beside path, held under an flock while
// it is written, synced, and only then linked into place: path is never
// seen partly written, and an export killed before it is done leaves only
// that hidden file. On failure it removes it.
func writeNewFile(path string, b []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*"+exportTmpSuffix) // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		f.Close() // lets the flock go, once the file is in place or removed
		if err != nil {
			os.Remove(tmp)
		}
	}()
	unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) // no flock there: the next export leaves it
	if _, err = f.Write(b); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = os.Link(tmp, path); err == nil {
		os.Remove(tmp)
	} else if errors.Is(err, fs.ErrExist) {
		return err
	} else if _, serr := os.Lstat(path); serr == nil { // no hard links there (vfat, exFAT): a rename checked first
		return fs.ErrExist
	} else if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // the new name, on disk
		d.Sync()
		d.Close()
	}
	return nil
}

// removeKilledExports deletes beside path the hidden files that exports
// to path killed midway left (writeNewFile), and returns their paths: a
// file no export holds the flock of any more. One being written now is
// left alone.
func removeKilledExports(path string) (removed []string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // writeNewFile says why
	}
	left := regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.\d+` + regexp.QuoteMeta(exportTmpSuffix) + `$`)
	for _, e := range entries {
		if !left.MatchString(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil && os.Remove(p) == nil {
			removed = append(removed, p)
		}
		f.Close()
	}
	return removed
}
