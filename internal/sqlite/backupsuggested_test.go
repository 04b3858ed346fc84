package sqlite_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
)

// TestBackupsSuggestedFileIsQuotedForTheShell: `syncd backup -out` naming
// a directory, or a file there that is no database, is refused with a file
// to give -out instead ("e.g. /var/backups/syncd/syncd-2026-12-08.db"). In
// a directory whose name has a space, an apostrophe or parentheses (a
// desktop folder, a TMPDIR under "/home/Søren Ærø") that file was written
// bare, so pasted after -out it split into several words (sh: Syntax
// error: unterminated quoted string, or -out given a file that is not the
// one said). It is quoted for the shell now, as report -out's is.
func TestBackupsSuggestedFileIsQuotedForTheShell(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	dir := filepath.Join(t.TempDir(), "Søren's backups (old)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("not a database\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := regexp.MustCompile(`^` + regexp.QuoteMeta(dir) + `/syncd-\d{4}-\d\d-\d\d\.db$`)
	for _, out := range []string{dir, notes} {
		err := db.Backup(ctx, out)
		if err == nil {
			t.Fatalf("backup -out %s: no error, want it refused", out)
		}
		m := regexp.MustCompile(`, e\.g\. (.+)$`).FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("backup -out %s: %v; want a file to give instead", out, err)
		}
		sh, shErr := exec.Command("sh", "-c", `printf '%s\000' `+m[1]).CombinedOutput()
		words := strings.Split(strings.TrimSuffix(string(sh), "\x00"), "\x00")
		if shErr != nil || len(words) != 1 || !file.MatchString(words[0]) {
			t.Errorf("backup -out %s: the file suggested, %s, pasted into sh gives %q (%v); want one word, a file in %s",
				out, m[1], words, shErr, dir)
		}
	}
}

// suggested matches the end of backup's refusal suggesting a file of dir
// to give -out instead: "e.g. DIR/syncd-DATE.db", quoted for the shell as
// a whole where DIR needs it.
func suggested(dir string) *regexp.Regexp {
	file := regexp.QuoteMeta(shellescape.Quote(filepath.Join(dir, "syncd-DATE.db")))
	return regexp.MustCompile(`e\.g\. ` + strings.Replace(file, "DATE", `\d{4}-\d\d-\d\d`, 1) + `$`)
}
