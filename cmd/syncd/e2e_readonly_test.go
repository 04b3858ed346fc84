package main_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// A data disk gone read-only, for real: the kernel remounts a file system
// read-only after an I/O error, and an operator's snapshot is mounted so.
// Each command runs in a mount namespace of its own (unshare -rm) where
// the data directory is bind-mounted read-only over itself: every write
// there fails with EROFS, as root too.

// onReadOnlyData runs syncd with args where data is read-only, returning
// its stdout, stderr and exit status.
func onReadOnlyData(t *testing.T, data string, args ...string) (string, string, int) {
	t.Helper()
	script := `mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 111; exec "$@"`
	cmd := exec.Command("unshare", append([]string{"-rm", "sh", "-c", script, data, syncdBin}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code == 111 {
		t.Fatalf("cannot mount %s read-only: %s", data, errOut.String())
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// crashedDaemonData runs the daemon, stores Jane's leads and kills it
// (SIGKILL, as a disk failing under it): the committed events are in the
// WAL, not yet checkpointed into syncd.db. It returns the configuration,
// the data directory and the ids of the events acknowledged.
func crashedDaemonData(t *testing.T) (string, string, []string) {
	t.Helper()
	needTmpfs(t) // the same namespaces and mounts a read-only bind needs
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	var ids []string
	for _, del := range e2eJane.deliveries(t) {
		token := e2eLBToken
		if del[0] == "eaf" {
			token = e2eEAFToken
		}
		a, err := post(d.url+"/hooks/"+del[0]+"/"+token, []byte(del[1]))
		if err != nil || a.Code != 200 {
			t.Fatalf("delivery: %+v %v", a, err)
		}
		if a.Status == "accepted" {
			ids = append(ids, a.ID)
		}
	}
	d.cmd.Process.Kill()
	<-d.done
	data := filepath.Join(dir, "data")
	if st, err := os.Stat(filepath.Join(data, "syncd.db-wal")); err != nil || st.Size() == 0 {
		t.Fatalf("the crash left no WAL to read (%v)", err)
	}
	return config, data, ids
}

// TestReadOnlyDiskCommandsRead: on a read-only data disk whose WAL was
// never checkpointed (the daemon killed), the commands that only read
// work, from a read-only database that shows every committed event, and
// say so on stderr; the commands that must write refuse, naming the
// read-only file system. Every command used to fail at once with "open db:
// create db file: open …/syncd.db: read-only file system", exit 1: no
// backup, no export for a data-protection request.
func TestReadOnlyDiskCommandsRead(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, data, ids := crashedDaemonData(t)
	saysReadOnly := func(args []string, stderr string) {
		if !strings.Contains(stderr, typedCommand(args)+": the database was opened read-only, so nothing in it changes: cannot write "+
			filepath.Join(data, "syncd.db")+": read-only file system") {
			t.Errorf("syncd %v does not say the database was opened read-only, and why:\n%s", args, stderr)
		}
	}
	listed, stderr, code := onReadOnlyData(t, data, "events", "list", "-json", "-limit", "0", "-config", config)
	if code != 0 {
		t.Fatalf("events list on a read-only disk: exit %d\n%s", code, stderr)
	}
	saysReadOnly([]string{"events", "list"}, stderr)
	for _, id := range ids {
		if !strings.Contains(listed, `"id":`+id+`,`) {
			t.Errorf("event %s, committed in the WAL, is not listed:\n%s", id, listed)
		}
	}

	exported, stderr, code := onReadOnlyData(t, data, "export", "-email", e2eJane.email, "-config", config)
	saysReadOnly([]string{"export"}, stderr)
	var person struct{ Events []any }
	if json.Unmarshal([]byte(exported), &person); code != 0 || len(person.Events) != len(ids) {
		t.Errorf("export on a read-only disk: exit %d, %d events, want Jane's %d\n%s\n%s", code, len(person.Events), len(ids), exported, stderr)
	}

	out := filepath.Join(t.TempDir(), "copy.db") // another disk
	_, stderr, code = onReadOnlyData(t, data, "backup", "-out", out, "-config", config)
	saysReadOnly([]string{"backup"}, stderr)
	if code != 0 {
		t.Fatalf("backup on a read-only disk: exit %d\n%s", code, stderr)
	}
	if n := countEvents(t, out); n != len(ids) {
		t.Errorf("the backup holds %d events, want the %d committed", n, len(ids))
	}

	for _, args := range [][]string{{"status"}, {"outbox", "list"}, {"events", "show", ids[0]}} {
		stdout, stderr, code := onReadOnlyData(t, data, append(args, "-config", config)...)
		saysReadOnly(args, stderr)
		if code != 0 && !(args[0] == "status" && code == 5 && strings.Contains(stdout, "figures from the database")) {
			t.Errorf("syncd %v on a read-only disk: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	for _, args := range [][]string{{"purge"}, {"erase", "-email", e2eJane.email}, {"sync"}, {"replay"}, {"serve"}} {
		stdout, stderr, code := onReadOnlyData(t, data, append(args, "-config", config)...)
		want := 2 // the disk is a person's to mend: serve is not restarted by the unit, the commands exited 1
		if code != want || !strings.Contains(stdout+stderr, "cannot write "+filepath.Join(data, "syncd.db")+": read-only file system") ||
			!strings.Contains(stdout+stderr, "this command writes to the database. The commands that only read open it read-only") {
			t.Errorf("syncd %v on a read-only disk: exit %d, want %d naming the read-only file system\n%s%s", args, code, want, stdout, stderr)
		}
	}
}

// TestReadOnlyDiskWithoutTheWALIndex: a database stopped cleanly (no -wal,
// no -shm) is read in full from a read-only disk (SQLite's immutable=1);
// a -wal without its -shm (a copy of two of the three files) holds
// committed transactions that a reader could only see by creating the
// -shm, so the command refuses, saying what to do, rather than answer
// without them.
func TestReadOnlyDiskWithoutTheWALIndex(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, data, ids := crashedDaemonData(t)
	os.Remove(filepath.Join(data, "syncd.db-shm"))
	_, stderr, code := onReadOnlyData(t, data, "events", "list", "-config", config)
	if code != 2 || !strings.Contains(stderr, "syncd.db-wal holds transactions not yet in syncd.db and its index syncd.db-shm is missing") ||
		!strings.Contains(stderr, "copy "+filepath.Join(data, "syncd.db")+" and "+filepath.Join(data, "syncd.db-wal")+" to a disk syncd can write") {
		t.Errorf("events list, a WAL without its index on a read-only disk: exit %d\n%s", code, stderr)
	}

	d := start(t, config) // the daemon recovers the WAL; a clean stop checkpoints it and removes -wal and -shm
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "syncd.db-wal")); err == nil {
		t.Fatal("a clean stop left the WAL")
	}
	listed, stderr, code := onReadOnlyData(t, data, "events", "list", "-json", "-config", config)
	if code != 0 || strings.Count(listed, `"id":`) != len(ids) || !strings.Contains(stderr, "opened read-only") {
		t.Errorf("events list, a clean database on a read-only disk: exit %d, want %d events\n%s\n%s", code, len(ids), listed, stderr)
	}
}

// TestMigrateStoreFromAReadOnlySnapshot: migrate-store copies a database
// on a read-only mount (the WAL not checkpointed) into PostgreSQL, every
// committed event included, saying it read it read-only. It used to exit 1
// with "open db: create db file: … read-only file system".
func TestMigrateStoreFromAReadOnlySnapshot(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dsn := pgtest.DSN(t)
	config, data, ids := crashedDaemonData(t)
	dir := filepath.Dir(data)
	cfg, _ := os.ReadFile(config)
	pg := filepath.Join(dir, "postgres.yaml")
	os.WriteFile(pg, append(cfg, pgStore(t, dir, dsn)...), 0o600)
	out, stderr, code := onReadOnlyData(t, data, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("events     %d rows", len(ids))) ||
		!strings.Contains(stderr, "the database was opened read-only") {
		t.Errorf("migrate-store from a read-only snapshot: exit %d\n%s%s", code, out, stderr)
	}
}

// countEvents is the number of events in the SQLite database at path.
func countEvents(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
