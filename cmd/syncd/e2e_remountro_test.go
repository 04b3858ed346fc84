package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountExt4 mounts a new 32 MB ext4 file system (a loop device, with
// errors=remount-ro as distributions mount theirs) on dir and returns the
// loop device's name (loop0); it is unmounted and freed as the test ends.
// It skips where loop devices cannot be used (not root, no loop module)
// or ext4 cannot be told to fail (its sysfs trigger_fs_error).
func mountExt4(t *testing.T, dir string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: a loop device and a mount")
	}
	img := filepath.Join(t.TempDir(), "fs.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 32<<20); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("losetup", "-f", "--show", img).CombinedOutput()
	if err != nil {
		t.Skipf("needs a loop device (losetup -f --show): %v %s", err, out)
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() { exec.Command("losetup", "-d", dev).Run() })
	if out, err := exec.Command("mkfs.ext4", "-q", dev).CombinedOutput(); err != nil {
		t.Skipf("needs mkfs.ext4: %v %s", err, out)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-o", "errors=remount-ro", dev, dir).CombinedOutput(); err != nil {
		t.Skipf("needs to mount an ext4 loop device: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	name := filepath.Base(dev)
	if _, err := os.Stat("/sys/fs/ext4/" + name + "/trigger_fs_error"); err != nil {
		t.Skipf("needs ext4's trigger_fs_error to make the file system fail: %v", err)
	}
	return name
}

// TestFileSystemReadOnlyUnderTheDaemon: the kernel remounts the data
// directory's file system read-only under the running daemon (a disk
// error, errors=remount-ro; here ext4's own trigger for it). Deliveries
// were answered 503 (right), but the log said only "commit intake: disk
// I/O error: read-only file system", and syncd status blamed a full disk
// ("its disk full: df -h"). Now the log says the file system is read-only
// and what to do, and status names read-only among the causes.
func TestFileSystemReadOnlyUnderTheDaemon(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	loop := mountExt4(t, data)
	d := start(t, config)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("syncd's log:\n%s", d.log())
		}
	})
	postTestdata(t, d, "eaf/email_lead.json")
	if err := os.WriteFile("/sys/fs/ext4/"+loop+"/trigger_fs_error", []byte("1"), 0); err != nil {
		t.Skipf("ext4's trigger_fs_error refused: %v", err)
	}
	body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 503 {
		t.Fatalf("a delivery on a read-only file system: %+v %v, want 503 (senders retry)", a, err)
	}
	say := "the file system holding " + data + " is read-only"
	waitFor(t, "the log to say the file system is read-only", func() bool { return strings.Contains(d.log(), say) })
	mustContain(t, "the log", d.log(), "checked with fsck and mounted again")
	stdout, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Errorf("status: exit %d, want 5\n%s%s", code, stdout, stderr)
	}
	mustContain(t, "status", stdout, "deliveries    REFUSED", "read-only")
	d.stop(t, syscall.SIGTERM) // its exit on a read-only disk is not this test's
}
