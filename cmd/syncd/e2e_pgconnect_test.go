package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestUnreachableDatabaseIsExit4 runs commands on a PostgreSQL store that
// cannot be reached: they said "migrate: failed to connect" (no command
// was migrating anything) and exited 1, where the README promises 4 for a
// database busy or unavailable, so that a script can tell "try again"
// from "fix something". A database that answers with a refusal (one that
// does not exist) is 2, as serve's: trying again would not help, a person
// creates it.
func TestUnreachableDatabaseIsExit4(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	closed := freeAddr(t) // nothing listens there any more
	for _, c := range []struct {
		dsn      string
		code     int
		says     string
		database string
		starts   string // how stderr begins after the command: the fix, when the server named one
	}{
		{"postgres://syncd:pw-not-shown@" + closed + "/syncd?sslmode=disable", 4, "connection refused", "postgres://" + closed + "/syncd", "the database postgres://" + closed + "/syncd does not answer: connection refused"},
		{strings.Replace(pgtest.DSN(t), "/syncd_test_", "/missing_", 1), 2, "does not exist", "/missing_", "no database missing_"},
	} {
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, c.dsn)), 0o600)
		for _, args := range [][]string{{"status"}, {"events", "list"}} {
			_, stderr, code := syncdRun(t, append(args, "-config", file)...)
			want := c.code
			if args[0] == "status" {
				want = 5 // no daemon answering either: status's finding (both said), not its failure
			}
			if code != want || args[0] == "status" && !strings.Contains(stderr, "no syncd answers") || !strings.Contains(stderr, c.says) || !strings.HasPrefix(stderr, typedCommand(args)+": "+c.starts) || !strings.Contains(stderr, "connect postgres://") ||
				!strings.Contains(stderr, c.database) ||
				strings.Contains(stderr, "migrate") || strings.Contains(stderr, "pw-not-shown") {
				t.Errorf("syncd %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), code, want, stderr)
			}
			// Status said pgx's error and no more: the cause in plain words, and what to start
			// (once: TestStatusSaysWhatToDoAboutADownDatabaseOnce).
			if args[0] == "status" && c.code == 4 && (!strings.Contains(stderr, "does not answer: connection refused: nothing listens") ||
				!strings.Contains(stderr, "neither syncd nor its database answers: ") || !strings.Contains(stderr, "pg_isready -h 127.0.0.1 -p ")) {
				t.Errorf("syncd status, neither syncd nor its database answering, says neither in plain words nor what to do:\n%s", stderr)
			}
		}
	}
}
