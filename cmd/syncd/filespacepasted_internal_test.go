package main

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
)

// spaceOf is a fileSpacer of a file of size bytes, free of them free.
type spaceOf struct{ size, free int64 }

func (s spaceOf) FileSpace(context.Context) (int64, int64, error) { return s.size, s.free, nil }

// TestShrinkCommandPastesInAnyDirectory: purge, on a database a quarter or
// more free, names the sqlite3 VACUUM that shrinks it. It named the
// database bare, so under "Søren's syncd (test)" the line pasted into a
// shell did not run (sh: unterminated quoted string). It is quoted for
// the shell now: sh reads the database's path as one word.
func TestShrinkCommandPastesInAnyDirectory(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "Søren's syncd (test)", "syncd.db")
	var out strings.Builder
	if err := fileSpaceSaid(context.Background(), &out, spaceOf{size: 100 << 20, free: 60 << 20}, db); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`; (sudo -u syncd sqlite3 .* VACUUM);`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no VACUUM said:\n%s", out.String())
	}
	words, err := exec.Command("sh", "-c", `printf '%s\000' `+m[1]).CombinedOutput()
	if err != nil {
		t.Fatalf("%s, pasted into sh: %v\n%s", m[1], err, words)
	}
	got, want := strings.Split(strings.TrimSuffix(string(words), "\x00"), "\x00"), []string{"sudo", "-u", "syncd", "sqlite3", db, "VACUUM"}
	if !slices.Equal(got, want) {
		t.Errorf("%s, pasted into sh, runs %q, want %q", m[1], got, want)
	}
}

// TestShrinkCommandRunsAsTheDatabasesOwner: the sqlite3 VACUUM that purge
// names ran as syncd, the service's user, whoever owned the database: an
// operator running syncd as himself, on a server with no user syncd, was
// given a sudo -u syncd that fails. It runs as the file's owner now, with
// no sudo when that is the user running purge.
func TestShrinkCommandRunsAsTheDatabasesOwner(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "syncd.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	vacuum := regexp.MustCompile(`; ((sudo .* )?sqlite3 .* VACUUM);`)
	said := func() string {
		t.Helper()
		var out strings.Builder
		if err := fileSpaceSaid(context.Background(), &out, spaceOf{size: 100 << 20, free: 60 << 20}, db); err != nil {
			t.Fatal(err)
		}
		m := vacuum.FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no VACUUM said:\n%s", out.String())
		}
		return m[1]
	}
	if got, want := said(), "sqlite3 "+shellescape.Quote(db)+" VACUUM"; got != want {
		t.Errorf("purge by the database's owner says %s, want %s", got, want)
	}
	u, err := user.Lookup("postgres")
	if os.Geteuid() != 0 || err != nil {
		return // no other user to give the file to
	}
	uid, _ := strconv.Atoi(u.Uid)
	if err := os.Chown(db, uid, -1); err != nil {
		t.Fatal(err)
	}
	if got, want := said(), "sudo -u postgres sqlite3 "+shellescape.Quote(db)+" VACUUM"; got != want {
		t.Errorf("purge by root of postgres's database says %s, want %s", got, want)
	}
}
