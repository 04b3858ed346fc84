package main_test

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestADSNThatIsNoURLAsWrittenIsRefused: a DSN with its scheme misspelt
// (postgress://, postgres:/, postgres//) or written in quotes, as an
// environment file has it, or as the variable's line itself
// (SYNCD_POSTGRES_DSN=postgres://...), is no URL to pgx, which read it
// as keyword=value pairs: the whole URL up to its first '=', password and
// all, a setting's name to send the server, and no host, port, user or
// database, so it connected to the local server's default socket (or
// PGHOST's) as the system user. There the server refused that setting,
// quoting its name, and validate, serve's log and every command printed
// the password at error level; with no such server they said "the
// database cannot be reached" of /var/run/postgresql, which the DSN does
// not name (a space typed before the URL did as much). Each is now
// refused as a DSN that does not parse, saying how it is written wrong,
// connecting nowhere, never the password: validate exit 2, a problem of
// the files, serve exit 2 (not restarted by the units) and the commands
// exit 1, as for every DSN that does not parse; a space before the URL is
// dropped.
// The test's server is the one the environment points the default
// connection at, as a server on the same host is.
func TestADSNThatIsNoURLAsWrittenIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	u, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	local := []string{"PGHOST=" + u.Hostname(), "PGPORT=" + u.Port(), "PGUSER=" + u.User.Username(),
		"PGDATABASE=" + strings.TrimPrefix(u.Path, "/")} // what a DSN naming nothing connects to
	// A space typed before the URL is no misspelling: the DSN is read without it.
	spaced := filepath.Join(dir, "spaced")
	os.MkdirAll(spaced, 0o755)
	file := filepath.Join(spaced, "syncd.yaml")
	os.WriteFile(file, []byte(configYAML(spaced, []string{e2eLBToken}, "")+pgStore(t, spaced, " "+u.String())), 0o600)
	if out, errOut, code := syncdRun(t, "validate", "-config", file); code != 0 || !strings.Contains(out, "reachable, empty") {
		t.Errorf("a space before the URL: validate exit %d, want 0, the database reachable:\n%s%s", code, out, errOut)
	}
	const secret = "Zq9x-Kw7p"
	good := "postgres://syncd:" + secret + "@db.internal:5432/syncd?sslmode=disable"
	for _, c := range []struct {
		name, dsn string
		says      string
	}{
		{"scheme misspelt", strings.Replace(good, "postgres://", "postgress://", 1),
			"written as a URL of scheme postgress://, which is not postgres:// or postgresql://"},
		{"a slash left out", strings.Replace(good, "postgres://", "postgres:/", 1), "neither a URL"},
		{"the colon left out", strings.Replace(good, "postgres://", "postgres//", 1), "neither a URL"},
		{"in quotes", `"` + good + `"`, "in quotes"},
		{"the variable's line", "SYNCD_POSTGRES_DSN=" + good, "SYNCD_POSTGRES_DSN=postgres://…: give the URL alone"},
	} {
		d := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
		os.MkdirAll(d, 0o755)
		file := filepath.Join(d, "syncd.yaml")
		os.WriteFile(file, []byte(configYAML(d, []string{e2eLBToken}, "")+pgStore(t, d, c.dsn)), 0o600)
		for _, args := range [][]string{{"validate"}, {"serve"}, {"events", "list"}} {
			cmd := syncdCmd(append(args, "-config", file)...)
			cmd.Env = append(os.Environ(), local...)
			timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
			out, err := cmd.CombinedOutput()
			timer.Stop()
			code := -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			want := 2 // the DSN is a person's to mend, as serve says: the commands exited 1
			if code != want || !strings.Contains(string(out), "cannot parse the DSN") || !strings.Contains(string(out), c.says) ||
				strings.Contains(string(out), secret) {
				t.Errorf("%s: syncd %s: exit %d, want %d saying %q, without the password:\n%s", c.name, args[0], code, want, c.says, out)
			}
		}
	}
}
