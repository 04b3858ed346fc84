package holdlock

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestTwoHoldersInOneProcess takes one lock file twice, through two open
// file descriptions as two daemons would: the second is refused, naming
// the first's pid and lines, and takes it once the first lets it go.
func TestTwoHoldersInOneProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	first, err := Take(path, 0o640, "/var/lib/syncd/syncd.db")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Take(path, 0o640, "/srv/other.db")
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second holder: %v, want a HeldError", err)
	}
	want := Holder{PID: os.Getpid(), Lines: []string{"/var/lib/syncd/syncd.db"}}
	if !reflect.DeepEqual(held.Holder, want) {
		t.Errorf("second holder was told %+v, want %+v", held.Holder, want)
	}
	if h, ok := Holding(path); !ok || !reflect.DeepEqual(h, want) {
		t.Errorf("Holding while held: %+v %v, want %+v true", h, ok, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("lock file: %v %v, want mode 0640", fi, err)
	}
	first.Release()
	if h, ok := Holding(path); ok {
		t.Errorf("Holding once released: %+v, want nobody", h)
	}
	second, err := Take(path, 0o640, "/srv/other.db")
	if err != nil {
		t.Fatalf("once the first let go: %v", err)
	}
	defer second.Release()
	if h, _ := Holding(path); h.Line(0) != "/srv/other.db" || h.Line(1) != "" {
		t.Errorf("the second holder's record: %+v", h)
	}
}

// TestHolderReadBack holds the record a lock file keeps, byte for byte, and
// what is read back from one that records no holder.
func TestHolderReadBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.lock")
	if err := os.WriteFile(path, []byte("a much longer record left by an earlier holder\n\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Take(path, 0o600, "one", "two")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	b, err := os.ReadFile(path)
	if want := strconv.Itoa(os.Getpid()) + "\none\ntwo\n"; err != nil || string(b) != want {
		t.Errorf("record: %q %v, want %q", b, err, want)
	}
	bare := filepath.Join(dir, "bare.lock")
	other, err := os.Create(bare) // held, but by one that wrote nothing
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := syscall.Flock(int(other.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	_, err = Take(bare, 0o600)
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.PID != 0 || held.Error() != "lock held by another process" {
		t.Errorf("a lock held with no record: %v", err)
	}
}

// deadHolderEnv names, in the helper process of
// TestDeadHoldersLockTakenOver, the lock file it takes.
const deadHolderEnv = "HOLDLOCK_TEST_HOLD"

// TestDeadHoldersLockTakenOver kills a process holding a lock (SIGKILL, as
// a crash or the OOM killer would): its lock file, left behind with its
// pid, is taken over by the next comer, who records itself.
func TestDeadHoldersLockTakenOver(t *testing.T) {
	if path := os.Getenv(deadHolderEnv); path != "" {
		holdUntilKilled(t, path)
		return
	}
	path := filepath.Join(t.TempDir(), "x.lock")
	child := exec.Command(os.Args[0], "-test.run=^TestDeadHoldersLockTakenOver$")
	child.Env = append(os.Environ(), deadHolderEnv+"="+path)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := child.StdinPipe(); err != nil { // closed, the helper ends
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "held\n" {
		child.Process.Kill()
		child.Wait()
		t.Fatalf("helper: %q %v", line, err)
	}
	_, err = Take(path, 0o600)
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.PID != child.Process.Pid || held.Holder.Line(0) != "helper" {
		t.Errorf("while the helper lives: %v, want it named (pid %d)", err, child.Process.Pid)
	}
	child.Process.Kill()
	child.Wait()
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), strconv.Itoa(child.Process.Pid)+"\n") {
		t.Fatalf("the dead holder's file records %q", b)
	}
	l, err := Take(path, 0o600)
	if err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	defer l.Release()
	if b, _ := os.ReadFile(path); string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Errorf("taken over, the file records %q, want this process alone", b)
	}
}

// holdUntilKilled is the helper process of TestDeadHoldersLockTakenOver:
// it takes the lock at path, says so, and waits to be killed (or for its
// stdin to close, should the test end first).
func holdUntilKilled(t *testing.T, path string) {
	if _, err := Take(path, 0o600, "helper"); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("held\n")
	os.Stdin.Read(make([]byte, 1))
	os.Exit(1)
}

// TestUnusableDirectory takes a lock in a directory that is missing and in
// one on a read-only file system: the error is the open's, naming the
// file and why, and nothing is held.
func TestUnusableDirectory(t *testing.T) {
	if dir := os.Getenv(readOnlyDirEnv); dir != "" {
		wantOpenError(t, filepath.Join(dir, "x.lock"), syscall.EROFS)
		return
	}
	wantOpenError(t, filepath.Join(t.TempDir(), "missing", "x.lock"), fs.ErrNotExist)
	dir := t.TempDir()
	script := `mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 111; exec "$@"`
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script, dir, os.Args[0], "-test.run=^TestUnusableDirectory$", "-test.v")
	cmd.Env = append(os.Environ(), readOnlyDirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err != nil && (code == 111 || code == -1 || errors.Is(err, exec.ErrNotFound)) {
		t.Skipf("needs unshare -rm (user and mount namespaces) to mount a directory read-only: %v %s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestUnusableDirectory") {
		t.Fatalf("in a read-only directory (%v):\n%s", err, out)
	}
}

// readOnlyDirEnv names, in TestUnusableDirectory's process in a mount
// namespace of its own, the directory mounted read-only.
const readOnlyDirEnv = "HOLDLOCK_TEST_READONLY"

// wantOpenError takes the lock at path and wants the open to fail with
// target, its message naming path.
func wantOpenError(t *testing.T, path string, target error) {
	t.Helper()
	l, err := Take(path, 0o600)
	if err == nil {
		l.Release()
		t.Fatalf("took %s", path)
	}
	if want := "open " + path + ": "; !errors.Is(err, target) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("lock at %s: %v, want %q and %v", path, err, want, target)
	}
	if _, held := Holding(path); held {
		t.Errorf("%s held after a failed take", path)
	}
}
