package report_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestReportsDirectoryOthersCannotEnter: a reports directory made by hand
// (mkdir under umask 022, or chmod 777 to "make it work") let every local
// user list the workbooks, and with 777 delete them or put files of their
// own in their place. A report made into it takes the others' permissions
// away, as syncd does for the data directory; the group's stay, and so
// does a setgid bit (the systemd layout, 2750 syncd:syncd-reports). A file
// written with -out leaves its directory alone: it is the operator's.
func TestReportsDirectoryOthersCannotEnter(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	day := report.Day{Year: 2026, Month: 3, Day: 29}
	cases := []struct {
		mode, want fs.FileMode
	}{
		{0o777, 0o770},
		{0o755, 0o750},
		{0o775 | fs.ModeSetgid, 0o770 | fs.ModeSetgid},
		{0o750, 0o750},
	}
	for _, c := range cases {
		dir := filepath.Join(t.TempDir(), "reports")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, c.mode); err != nil {
			t.Fatal(err)
		}
		if _, err := report.Make(ctx, day, report.Options{Store: db, Dir: dir, Location: loc, Now: func() time.Time { return made }}); err != nil {
			t.Fatal(err)
		}
		if got := dirMode(t, dir); got != c.want {
			t.Errorf("reports directory %v: %v after a report, want %v", c.mode, got, c.want)
		}
	}
	out := t.TempDir()
	os.Chmod(out, 0o755)
	if _, err := report.Make(ctx, day, report.Options{Store: db, Out: filepath.Join(out, "x.xlsx"), Location: loc,
		Now: func() time.Time { return made }}); err != nil {
		t.Fatal(err)
	}
	if got := dirMode(t, out); got != 0o755 {
		t.Errorf("-out's directory: %v, want it left 0755", got)
	}
}

func dirMode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode() & (fs.ModePerm | fs.ModeSetgid)
}
