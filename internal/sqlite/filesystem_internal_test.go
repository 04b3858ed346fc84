package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDatabaseOnANetworkFileSystemIsRefused: SQLite's write-ahead log
// does not work over a network file system, and the daemon served from
// an NFS mount as from a disk. Its refusal is checked here on the file
// system statfs names (no NFS in this kernel to mount: /proc/filesystems);
// the daemon opens a database on a disk as before (on a tmpfs:
// TestDataDirInMemoryIsSaid).
func TestDatabaseOnANetworkFileSystemIsRefused(t *testing.T) {
	err := refuseNetwork("/mnt/nas/syncd", fileSystems[unix.NFS_SUPER_MAGIC])
	if err == nil || !strings.Contains(err.Error(), "/mnt/nas/syncd is on a network file system (nfs)") ||
		!strings.Contains(err.Error(), "store.kind: postgres") {
		t.Fatalf("nfs: %v", err)
	}
	for _, magic := range []int64{unix.CIFS_SUPER_MAGIC, unix.SMB2_SUPER_MAGIC, unix.CEPH_SUPER_MAGIC, unix.V9FS_MAGIC} {
		if refuseNetwork("/mnt/x", fileSystems[magic]) == nil {
			t.Errorf("%#x not refused", magic)
		}
	}
	dir := t.TempDir()
	if fs, err := FileSystemOf(filepath.Join(dir, "syncd.db")); err != nil || fs.Network {
		t.Fatalf("a temporary directory's file system: %+v, %v", fs, err)
	}
	db, err := Open(t.Context(), filepath.Join(dir, "syncd.db"), Options{Daemon: true})
	if err != nil {
		t.Fatalf("the daemon on a disk: %v", err)
	}
	db.Close()
}
