package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServerRefusalsSayWhatToDo: the refusals an operator fixes in the DSN
// or on the server. A pg_hba.conf that admits syncd only over TLS
// (hostssl lines) refusing a DSN with sslmode=disable (`no pg_hba.conf
// entry ..., no encryption`) was said by validate as `no such role:
// createuser -P syncd`, a role that was there; and serve and every
// command gave the server's words alone, for that and for a password
// changed on the server (ALTER ROLE), where validate named the fix. Each
// now names it: validate, serve (exit 2, not a wait: asking again would
// not help, nor would the units' restart) and the commands (exit 1) alike,
// never the password.
func TestServerRefusalsSayWhatToDo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	for _, c := range []struct {
		name, code, message string
		ask                 bool
		says                string
	}{
		{"sslmode", "28000", `no pg_hba.conf entry for host "127.0.0.1", user "syncd", database "syncd", no encryption`, false,
			"where the server takes TLS connections only (hostssl lines), set sslmode=verify-full (or require) in the DSN"},
		{"password", "28P01", `password authentication failed for user "syncd"`, true,
			"the server refused the password of user syncd (the DSN's, or the role's: ALTER ROLE syncd PASSWORD)"},
	} {
		addr := refusingServer(t, c.ask, c.code, c.message)
		file := filepath.Join(dir, c.name+".yaml")
		dsn := "postgres://syncd:pw-not-shown@" + addr + "/syncd?sslmode=disable"
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, dsn)), 0o600)
		for _, args := range [][]string{{"validate"}, {"serve"}, {"events", "list"}} {
			cmd := syncdCmd(append(args, "-config", file)...)
			timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
			out, err := cmd.CombinedOutput()
			timer.Stop()
			want := 2 // until someone changes the server or the DSN, as serve says: validate and the commands exited 1
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != want || !strings.Contains(string(out), c.says) ||
				strings.Contains(string(out), "pw-not-shown") {
				t.Errorf("%s: syncd %s: %v, want exit %d saying %q; output:\n%s", c.name, args[0], err, want, c.says, out)
			}
		}
	}
}

// TestAFullServerIsSaidByValidateAndTheCommands: a server refusing the
// connection for its connection limit (SQLSTATE 53300: max_connections,
// or the role's or database's CONNECTION LIMIT, reached by several
// instances) was said by validate as "the database cannot be reached (a
// wrong host or port, the server down, or a firewall between ...)", and by
// the commands in the server's words alone. Each says the server takes no
// more connections for the role, how many an instance holds and the way
// out; exit 4 (try again) as before.
func TestAFullServerIsSaidByValidateAndTheCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := refusingServer(t, false, "53300", "sorry, too many clients already")
	file := filepath.Join(dir, "syncd.yaml")
	dsn := "postgres://syncd:pw-not-shown@" + addr + "/syncd?sslmode=disable"
	os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, dsn)), 0o600)
	for _, args := range [][]string{{"validate"}, {"events", "list"}} {
		out, errOut, code := syncdRun(t, append(args, "-config", file)...)
		all := out + errOut
		if code != 4 || strings.Contains(all, "a wrong host or port") || strings.Contains(all, "pw-not-shown") {
			t.Errorf("syncd %s: exit %d, want 4 naming no network fault, nor the password:\n%s", args[0], code, all)
		}
		mustContain(t, "syncd "+args[0], all, "the server has no connection left for user syncd",
			"each syncd instance holds up to", "pool_max_conns=N in the DSN", "too many clients")
	}
	_, errOut, _ := syncdRun(t, "validate", "-config", file)
	mustContain(t, "syncd validate", errOut, "the database takes no more connections now (serve would wait for one)")
}
