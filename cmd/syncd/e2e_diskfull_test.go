package main_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A full disk, for real: the daemon runs in a mount namespace of its own
// (unshare -rm, no root needed where unprivileged user namespaces are
// allowed) with its data directory on a small tmpfs. Writes there fail
// with ENOSPC, which SQLite reports as SQLITE_FULL ("database or disk is
// full") or as an I/O error naming ENOSPC: the code paths of a full disk,
// unlike RLIMIT_FSIZE's EFBIG (TestDiskFull). The test fills and frees the
// tmpfs through /proc/PID/root, the daemon's view of the file system.

// tmpfsDaemon is a `syncd serve` whose data directory is a tmpfs of size
// bytes holding a copy of seed (a data directory) and, when full is set, a
// file filling what is left; when syncd has stopped, what the tmpfs holds
// is copied back to seed.
type tmpfsDaemon struct {
	cmd   *exec.Cmd
	data  string // the data directory as the daemon sees it
	mu    sync.Mutex
	logs  bytes.Buffer
	lines chan string
	done  chan error
}

// needTmpfs skips the test where this user cannot mount a tmpfs in a user
// and mount namespace of its own.
func needTmpfs(t *testing.T) {
	t.Helper()
	probe := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs -o size=64k tmpfs "$0"`, t.TempDir())
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("needs unshare -rm (user and mount namespaces) to mount a small tmpfs: %v %s", err, out)
	}
}

func startOnTmpfs(t *testing.T, config, seed, data string, size int, full bool, env ...string) *tmpfsDaemon {
	t.Helper()
	needTmpfs(t)
	// The shell stays, to forward SIGTERM and SIGHUP and, once syncd is
	// done, copy the data directory out to seed (what the tmpfs held at
	// the end). Its traps are set before syncd starts: a signal sent as
	// soon as syncd logs must not find the shell with its default action
	// (a HUP then ended the shell alone, and syncd never reloaded). A wait
	// a trap cut short returns 128+signal, not syncd's status: the shell
	// waits again until a wait no signal cut short (the loop on kill -0 it
	// had exited 143 when syncd was gone before the check).
	script := `mount -t tmpfs -o size="$1" tmpfs "$2" && cp -a "$3"/. "$2"/ || exit 111
if [ "$4" = full ]; then dd if=/dev/zero of="$2/filler" bs=4096 2>/dev/null; fi
data=$2 seed=$3; shift 4
trap 'sig=1; kill -TERM $pid' TERM
trap 'sig=1; kill -HUP $pid' HUP
"$@" & pid=$!
while :; do sig=; wait $pid; rc=$?; [ -n "$sig" ] || break; done
rm -f "$data/filler"; cp -a "$data"/. "$seed"/; exit $rc`
	fill := "room"
	if full {
		fill = "full"
	}
	cmd := exec.Command("unshare", "-rm", "--propagation", "private", "sh", "-c", script, "sh",
		fmt.Sprint(size), data, seed, fill, syncdBin, "serve", "-config", config)
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &tmpfsDaemon{cmd: cmd, data: data, lines: make(chan string, 1000), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			d.mu.Lock()
			d.logs.Write(append(sc.Bytes(), '\n'))
			d.mu.Unlock()
			select {
			case d.lines <- sc.Text():
			default:
			}
		}
		d.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	return d
}

// await returns the first log line from now on with the message msg.
func (d *tmpfsDaemon) await(t *testing.T, msg string) map[string]any {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l := <-d.lines:
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && m["message"] == msg {
				return m
			}
		case err := <-d.done:
			t.Fatalf("syncd exited (%v) before logging %q:\n%s", err, msg, d.log())
		case <-deadline:
			t.Fatalf("syncd did not log %q within 30s:\n%s", msg, d.log())
		}
	}
}

func (d *tmpfsDaemon) log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.logs.String()
}

// path is p, in the data directory, as the test reaches it.
func (d *tmpfsDaemon) path(p string) string {
	return fmt.Sprintf("/proc/%d/root%s", d.cmd.Process.Pid, filepath.Join(d.data, p))
}

// fill writes a file taking the room left on the tmpfs; free removes it.
func (d *tmpfsDaemon) fill(t *testing.T) {
	t.Helper()
	f, err := os.Create(d.path("filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			return // full
		}
	}
}

// syncdPID is the pid of syncd, the shell's one child still running.
func (d *tmpfsDaemon) syncdPID(t *testing.T) int {
	t.Helper()
	pid := d.cmd.Process.Pid
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) != 1 {
		t.Fatalf("the shell has children %q, want syncd alone", f)
	}
	child, err := strconv.Atoi(f[0])
	if err != nil {
		t.Fatal(err)
	}
	return child
}

func (d *tmpfsDaemon) free(t *testing.T) {
	t.Helper()
	if err := os.Remove(d.path("filler")); err != nil {
		t.Fatal(err)
	}
}

// seedDir makes a data directory with a database in dir/seed.
func seedDir(t *testing.T, dir string) string {
	t.Helper()
	makeDB(t, dir)
	seed := filepath.Join(dir, "seed")
	if err := os.Rename(filepath.Join(dir, "data"), seed); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o750); err != nil {
		t.Fatal(err)
	}
	return seed
}

// TestFullDiskAtStartWaitsForRoom: `syncd serve` started on a full disk (a
// reboot, a restart by hand) waits, saying once where room is needed, and
// starts by itself once there is some. It used to exit 1 at once ("migrate:
// disk I/O error: no space left on device"), and systemd gives up after
// five failed starts in ten seconds: syncd stayed down after the space was
// freed.
func TestFullDiskAtStartWaitsForRoom(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	addr := freeAddr(t)
	yaml, _ := os.ReadFile(config)
	os.WriteFile(config, []byte(strings.Replace(string(yaml), "listen: 127.0.0.1:0", "listen: "+addr, 1)), 0o600)
	data := filepath.Join(dir, "data")
	d := startOnTmpfs(t, config, seedDir(t, dir), data, 1<<20, true)
	line := d.await(t, "start: waiting for room on the disk; no delivery is accepted until then")
	if msg, _ := line["error"].(string); !strings.Contains(msg, "no room left for the database in "+data) || !strings.Contains(msg, "df -h "+sq(data)) {
		t.Errorf("the wait does not say where room is needed: %q", msg)
	}
	// syncd status said "no syncd answers at ADDR (context deadline
	// exceeded)" of the daemon waiting, and deliveries hung.
	out, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "UP, WAITING FOR ROOM ON THE DISK since ") || !strings.Contains(out, "no room left for the database in "+data) {
		t.Errorf("status of the daemon waiting for room: exit %d\n%s%s", code, out, stderr)
	}
	c := &http.Client{Timeout: 5 * time.Second} // it hung, nothing answering
	if resp, err := c.Post("http://"+addr+"/hooks/eaf/"+e2eEAFToken, "application/json", strings.NewReader(`{"eaf_type":"email_lead","eaf_id":"while-full"}`)); err != nil {
		t.Errorf("a delivery while the daemon waits for room: %v, want 503", err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a delivery while the daemon waits for room: %s, want 503", resp.Status)
	}
	// systemctl reload while it waits, sent to syncd itself: a shell
	// started with SIGHUP ignored (a run under nohup) cannot trap it.
	if err := syscall.Kill(d.syncdPID(t), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(6 * time.Second) // a retry or more, logged by none
	if n := strings.Count(d.log(), "no room left"); n != 1 {
		t.Errorf("the full disk logged %d times while waiting, want once:\n%s", n, d.log())
	}
	d.free(t)
	d.await(t, "room on the disk again: starting")
	serving := d.await(t, "serving")
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(d.log(), `"message":"reloaded"`); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the reload asked for while it waited was not done as it serves, within 30s:\n%s", d.log())
		}
	}
	url := "http://" + serving["listen"].(string)
	if a, err := post(url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"after-room"}`)); err != nil || a.Code != 200 {
		t.Fatalf("delivery after room was made: %+v %v", a, err)
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-d.done; err != nil {
		t.Fatalf("syncd stopped with %v:\n%s", err, d.log())
	}
}

// TestFullDiskWhileServing: the disk fills under a serving daemon while
// clients post. Deliveries get 503 with Retry-After, never a 200 for an
// event not stored; /readyz fails; the log says once (per 10 s) where room
// is needed; systemctl status and syncd status say deliveries are refused
// (syncd status said nothing, exit 0); the daemon stays up, and once room
// is made it stores again with no restart. Every event answered 200 is in
// the database.
func TestFullDiskWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	seed := seedDir(t, dir)
	n, sock := listenNotify(t)
	d := startOnTmpfs(t, config, seed, data, 8<<20, false, "NOTIFY_SOCKET="+sock) // over the WAL's 4 MB before a checkpoint, or the load alone fills it again
	url := "http://" + d.await(t, "serving")["listen"].(string)
	l := startLoad(t, url, 4, 4<<10)
	waitUntil(t, "some deliveries stored", func() bool { return l.count() > 20 })
	d.fill(t)
	waitUntil(t, "deliveries refused", func() bool { return l.refused.Load() > 50 })
	if status(t, url+"/readyz") != 503 {
		t.Error("/readyz 200 on a full disk")
	}
	if !strings.Contains(d.log(), "no room left for the database in "+data) {
		t.Errorf("the log does not say where room is needed:\n%.3000s", d.log())
	}
	n.await(t, "STATUS=ATTENTION: disk FULL: deliveries answered 503 (df -h)") // systemctl status says it
	// So does syncd status, the cron job's check (it said nothing, exit 0).
	listen := "SYNCD_LISTEN=" + strings.TrimPrefix(url, "http://")
	out, stderr, code := syncdRunEnv(t, listen, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "deliveries    REFUSED: the daemon's /readyz answers 503") {
		t.Errorf("syncd status on a full disk: exit %d, want 5 saying deliveries are refused:\n%s%s", code, out, stderr)
	}
	d.free(t)
	ackedBefore := l.count()
	waitUntil(t, "deliveries stored again", func() bool { return l.count() > ackedBefore+20 })
	// Serving again, the disk's alarm gone; the load's unmappable leads
	// (below) may be what the line says needs attention.
	n.awaitMatch(t, "STATUS=serving on, or the unmappable leads alone", func(m string) bool {
		return strings.HasPrefix(m, "STATUS=serving on") || regexp.MustCompile(
			`^STATUS=ATTENTION: \d+ unmappable leads? WAITS? for a person: syncd status -config `+regexp.QuoteMeta(sq(config))+` \(serving on `).MatchString(m)
	}, time.Minute)
	// The load's leads carry no email or phone: once mapped, unmappable,
	// which status says (exit 5) whatever the disk; nothing else may need
	// attention.
	out, stderr, code = syncdRunEnv(t, listen, "status", "-config", config)
	unmapped := code == 5 && strings.Contains(out, " UNMAPPABLE, ") &&
		!regexp.MustCompile(`[A-Z]{4,}`).MatchString(regexp.MustCompile(`(?m)^unmapped .*\n(\s+.*\n)?`).ReplaceAllString(out, ""))
	if (code != 0 && !unmapped) || strings.Contains(out, "REFUSED") {
		t.Errorf("syncd status once room was made: exit %d, want 0 (or 5 for the load's unmappable leads alone):\n%s%s", code, out, stderr)
	}
	acked := l.finish()
	if n := l.badCodes.Load(); n > 0 {
		t.Errorf("%d answers neither 200 nor 503 with Retry-After", n)
	}
	if status(t, url+"/readyz") != 200 {
		t.Errorf("/readyz still failing once room was made:\n%s", d.log())
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-d.done; err != nil {
		t.Fatalf("syncd stopped with %v:\n%s", err, d.log())
	}
	stored := storedKeys(t, filepath.Join(seed, "syncd.db")) // copied out of the tmpfs at the end
	for _, n := range acked {
		if !stored[n] {
			t.Fatalf("event %s answered 200 is not stored", n)
		}
	}
	t.Logf("%d acknowledged, %d refused while the disk was full", len(acked), l.refused.Load())
}

// TestBackupToAFullDiskSaysWhere: `syncd backup -out` onto a disk without
// room for the copy (a 48 KiB tmpfs, in a mount namespace of its own) says
// that disk is full, not the database's, and leaves nothing there. It used
// to say only "backup: database or disk is full", which reads as the
// database's disk.
func TestBackupToAFullDiskSaysWhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	needTmpfs(t)
	small := filepath.Join(dir, "small")
	os.Mkdir(small, 0o700)
	cmd := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs -o size=48k tmpfs "$1" && "$0" backup -config "$2" -out "$1/b.db"; echo "exit $?"; ls -A "$1"`,
		syncdBin, small, config)
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "backup: no room for the copy in "+small+" (the disk is full or over quota)") ||
		!strings.Contains(string(out), "exit 1\n") || strings.Contains(string(out), "b.db") {
		t.Errorf("backup onto a full disk:\n%s", out)
	}
}

// TestCleanStopOnAFullDiskStartsAgain: syncd stopped cleanly (SIGTERM)
// while its disk is full could not delete its serving mark (no room in
// the -wal for the delete), and its last checkpoint, which needed none
// (the database reused free pages, as after a retention purge), put
// everything into syncd.db and removed the -wal: the next start, once room
// was made, refused the database as moved without its write-ahead log,
// though it had lost nothing. The stop keeps the -wal then, which the next
// start reads as after a crash; every event answered 200 is there.
func TestCleanStopOnAFullDiskStartsAgain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	seed := seedDir(t, dir)
	padDB(t, filepath.Join(seed, "syncd.db"), 1<<20)
	d := startOnTmpfs(t, config, seed, data, 4<<20, false)
	url := "http://" + d.await(t, "serving")["listen"].(string) + "/hooks/eaf/" + e2eEAFToken
	d.fill(t)
	var acked []string
	for i := 0; ; i++ {
		a, err := post(url, fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":"full-%d","n":"%d"}`, i, i))
		if err != nil {
			t.Fatal(err)
		}
		if a.Code == 503 {
			break
		}
		if a.Code != 200 || i > 1000 {
			t.Fatalf("delivery %d on a full disk answered %d (want 200, then 503 once the -wal cannot grow):\n%s", i, a.Code, d.log())
		}
		acked = append(acked, fmt.Sprint(i))
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-d.done; err != nil || strings.Contains(d.log(), `"message":"close database"`) {
		t.Fatalf("syncd stopped with %v:\n%s", err, d.log())
	}
	// What the tmpfs held, the filler removed (room made), is now seed.
	if err := os.Remove(data); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(seed, data); err != nil {
		t.Fatal(err)
	}
	again := start(t, config) // it exited 1: "which did not stop cleanly, and its write-ahead log … is not beside it"
	stored := storedKeys(t, filepath.Join(data, "syncd.db"))
	for _, n := range acked {
		if !stored[n] {
			t.Fatalf("event %s answered 200 is not stored:\n%s", n, again.log())
		}
	}
	if err := again.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// padDB leaves n bytes of free pages in the database at path, as a
// retention purge does: new rows reuse them without growing the file.
func padDB(t *testing.T, path string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`CREATE TABLE pad (b BLOB)`, fmt.Sprintf(`INSERT INTO pad VALUES (zeroblob(%d))`, n), `DROP TABLE pad`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}
