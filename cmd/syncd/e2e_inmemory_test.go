package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDataDirInMemoryIsSaid: data_dir on a file system in memory (/tmp
// is a tmpfs on Debian 13, and /run and /dev/shm are everywhere). The
// daemon served from it, answered 200 as stored, and lost every lead at
// the next reboot, and nothing said so. It warns as it starts, and syncd
// status says so with what to do: a note, not an exit 5, as a test's or a
// trial's database is rightly there (these tests' own TMPDIR may be one).
func TestDataDirInMemoryIsSaid(t *testing.T) {
	t.Parallel()
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err != nil || st.Type != 0x01021994 || syscall.Access("/dev/shm", 2) != nil {
		t.Skip("no writable tmpfs at /dev/shm")
	}
	mem, err := os.MkdirTemp("/dev/shm", "syncd-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(mem) })
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(dir, "data"), "data_dir: "+mem, 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1) // where status finds it
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, file)
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the warning", func() bool {
		return strings.Contains(d.log(), `"message":"database on a file system in memory (tmpfs): every lead stored is lost at the next reboot`)
	})
	out, stderr, code := syncdRun(t, "status", "-config", file)
	if code != 0 {
		t.Errorf("status: exit %d, want 0\n%s%s", code, out, stderr)
	}
	mustContain(t, "status", out, "in memory (tmpfs): every lead stored is lost at the next reboot", "move the files of "+mem+" to a disk")

	// On a disk: not said.
	onDisk := t.TempDir()
	if syscall.Statfs(onDisk, &st) != nil || st.Type == 0x01021994 {
		return // TMPDIR is a tmpfs (.ci/run's /dev/shm)
	}
	disk := start(t, writeConfigWith(t, onDisk, ""))
	defer disk.stop(t, syscall.SIGTERM)
	postTestdata(t, disk, "eaf/email_lead.json")
	if strings.Contains(disk.log(), "in memory") {
		t.Errorf("a database on a disk said in memory:\n%s", disk.log())
	}
}
