package sqlite

import (
	"fmt"
	"path/filepath"

	"al.essio.dev/pkg/shellescape"

	"golang.org/x/sys/unix"
)

// FileSystem is what the file system holding the database is, where it
// matters to SQLite and to what syncd promises.
type FileSystem struct {
	// Type names it ("nfs", "tmpfs"); "" when it is neither of the kinds
	// below.
	Type string
	// Network is true of a file system served by another host (NFS, SMB,
	// CephFS, AFS, 9p): SQLite's write-ahead log needs every process on
	// one host sharing memory, and its locks there are not to be trusted,
	// so a database on it can be damaged.
	Network bool
	// Memory is true of a file system in memory (tmpfs, ramfs): what is
	// stored is lost at the next reboot, and a commit waits for no disk.
	Memory bool
}

// fileSystems are the kinds FileSystemOf tells apart, by statfs(2)'s
// f_type.
var fileSystems = map[int64]FileSystem{
	unix.NFS_SUPER_MAGIC:   {Type: "nfs", Network: true},
	unix.SMB_SUPER_MAGIC:   {Type: "smb", Network: true},
	unix.CIFS_SUPER_MAGIC:  {Type: "cifs", Network: true},
	unix.SMB2_SUPER_MAGIC:  {Type: "smb2", Network: true},
	unix.CEPH_SUPER_MAGIC:  {Type: "ceph", Network: true},
	unix.AFS_SUPER_MAGIC:   {Type: "afs", Network: true},
	unix.AFS_FS_MAGIC:      {Type: "afs", Network: true},
	unix.CODA_SUPER_MAGIC:  {Type: "coda", Network: true},
	unix.V9FS_MAGIC:        {Type: "9p", Network: true},
	unix.OCFS2_SUPER_MAGIC: {Type: "ocfs2", Network: true},
	unix.TMPFS_MAGIC:       {Type: "tmpfs", Memory: true},
	unix.RAMFS_MAGIC:       {Type: "ramfs", Memory: true},
}

// FileSystemOf says what the file system holding the database at path
// is (its directory's, the file not made yet).
func FileSystemOf(path string) (FileSystem, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(filepath.Dir(path), &st); err != nil {
		return FileSystem{}, fmt.Errorf("file system of %s: %w", filepath.Dir(path), err)
	}
	return fileSystems[int64(st.Type)], nil
}

// onNetwork refuses the daemon a database at path on a network file
// system: SQLite's documentation says its write-ahead log does not work
// over one. Before, the daemon served from an NFS mount as from a disk.
func onNetwork(path string) error {
	fs, err := FileSystemOf(path)
	if err != nil {
		return nil // a directory that cannot be read is said by what opens the database in it
	}
	return refuseNetwork(filepath.Dir(path), fs)
}

// refuseNetwork is onNetwork for the directory dir on fs.
func refuseNetwork(dir string, fs FileSystem) error {
	if !fs.Network {
		return nil
	}
	return fmt.Errorf("%s is on a network file system (%s): SQLite's write-ahead log needs the database on a disk of "+
		"this host (its shared memory and locks do not work across hosts, and a database there can be damaged); "+
		"set data_dir to a local disk (findmnt -T %s says what it is on), or, for several hosts, store.kind: postgres",
		dir, fs.Type, shellescape.Quote(dir))
}
