package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDataOnlyAPersonMendsExits2: three refusals of the database's files
// that running again never mends exited 1, "failed", which the units
// restart every 2 s and a script takes for a retry: a data_dir that is a
// file (serve stopped with "mkdir …: not a directory", the commands said
// they could neither write nor read syncd.db there, validate exited 1), a
// data directory of too wide a mode owned by another user, and an empty
// syncd.db (a copy that did not finish). Each now exits 2 from serve and
// the commands, as the exit-status tables promise for what only a person
// mends, saying what is wrong, where and what to do. serve made a new
// database of an empty syncd.db where syncd had kept one (its marker
// beside it), serving on from event 1 as if nothing were lost; it refuses
// it now, as it refuses a syncd.db gone, until the copy is made again or
// serve -fresh says to begin anew.
func TestDataOnlyAPersonMendsExits2(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	commands := [][]string{{"events", "list"}, {"purge"}, {"backup", "-out", "COPY"}, {"report", "-out", "OUT"}}
	run := func(t *testing.T, dir string, args ...string) (string, int) {
		t.Helper()
		for i, a := range args {
			args[i] = strings.NewReplacer("COPY", filepath.Join(dir, "copy.db"), "OUT", filepath.Join(dir, "r.xlsx")).Replace(a)
		}
		cmd := syncdCmd(args...)
		stop := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() }) // a serve that serves
		defer stop.Stop()
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}

	t.Run("data_dir a file", func(t *testing.T) {
		dir := t.TempDir()
		config := writeConfig(t, dir)
		file := filepath.Join(dir, "data")
		if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range append(commands, []string{"serve"}, []string{"validate"}) {
			out, code := run(t, dir, append(append([]string{}, args...), "-config", config)...)
			who := "syncd"
			if args[0] == "validate" {
				who = "serve"
			}
			if want := "data_dir " + file + " is not a directory (a file is in the way): " + who + " cannot make or open syncd.db there; " +
				"point data_dir (or SYNCD_DATA_DIR) at a directory"; code != 2 || !strings.Contains(out, want) {
				t.Errorf("syncd %v, data_dir a file: exit %d, want 2 saying %q\n%s", args, code, want, out)
			}
		}
	})

	t.Run("empty syncd.db", func(t *testing.T) {
		dir := t.TempDir()
		config := writeConfig(t, dir)
		makeDB(t, dir) // its marker, .syncd.db.created, beside it
		db := filepath.Join(dir, "data", "syncd.db")
		for _, p := range []string{db + "-wal", db + "-shm"} {
			os.Remove(p)
		}
		if err := os.Truncate(db, 0); err != nil {
			t.Fatal(err)
		}
		for _, args := range append(commands, []string{"serve"}, []string{"validate"}) {
			out, code := run(t, dir, append(append([]string{}, args...), "-config", config)...)
			if want := db + " is empty (0 bytes), though syncd kept a database there (.syncd.db.created is beside it): a copy " +
				"that did not finish? Copy it again, or restore it from a backup (see Backup in the README, To restore) or, with " +
				"none, start once with an empty database: syncd serve -fresh"; code != 2 || !strings.Contains(out, want) {
				t.Errorf("syncd %v, syncd.db empty: exit %d, want 2 saying %q\n%s", args, code, want, out)
			}
		}
		if st, err := os.Stat(db); err != nil || st.Size() != 0 {
			t.Fatalf("the empty file was written: %v", err)
		}
	})

	t.Run("data directory too wide, another user's", func(t *testing.T) {
		as := otherUser(t)
		dir, bin, config := accessDir(t, as, "")
		makeDB(t, dir)
		data := filepath.Join(dir, "data")
		filepath.Walk(data, func(p string, _ os.FileInfo, _ error) error {
			if p != data {
				return os.Chown(p, int(as.Uid), int(as.Gid))
			}
			return nil
		})
		if err := os.Chmod(data, 0o777); err != nil { // root's, open to every user
			t.Fatal(err)
		}
		for _, args := range append(commands, []string{"serve"}) {
			args = append(append([]string{}, args...), "-config", config)
			for i, a := range args {
				args[i] = strings.NewReplacer("COPY", filepath.Join(dir, "copy.db"), "OUT", filepath.Join(dir, "r.xlsx")).Replace(a)
			}
			cmd := exec.Command(bin, args...)
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			want := data + " is mode 0777, wider than syncd keeps (0751), and owned by root, not by postgres: run syncd " +
				"as root, or narrow it as root: chmod 751 " + sq(data)
			if args[0] == "serve" { // its log: JSON
				want = inJSON(want)
			}
			if code != 2 || !strings.Contains(string(out), want) {
				t.Errorf("syncd %v as postgres, %s root's 0777: exit %d, want 2 saying %q\n%s", args[:len(args)-2], data, code, want, out)
			}
		}
	})
}
