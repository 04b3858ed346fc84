package main

import (
	"path/filepath"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// inMemory is the type of the file system in memory (tmpfs, ramfs) the
// SQLite database at path is on, "" when it is on a disk or cannot be
// told. A data_dir there (/tmp is a tmpfs on Debian 13 and many
// distributions; /run, /dev/shm) served, answered 200 and lost every lead
// at the next reboot, and nothing said so.
func inMemory(path string) string {
	fs, err := sqlite.FileSystemOf(path)
	if err != nil || !fs.Memory {
		return ""
	}
	return fs.Type
}

// inMemoryLoss is what a database in memory means.
const inMemoryLoss = "every lead stored is lost at the next reboot, though each was answered 200 as stored"

// inMemoryFix is what to do about the database at path in memory.
func inMemoryFix(path string) string {
	return "stop syncd, move the files of " + shellescape.Quote(filepath.Dir(path)) + " to a disk (findmnt -T DIR says " +
		"what a directory is on), set data_dir there, start syncd"
}
