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
// now names it: validate, serve (exit 1, not a wait: asking again would
// not help) and the commands alike, never the password.
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
			cmd := exec.Command(syncdBin, append(args, "-config", file)...)
			timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
			out, err := cmd.CombinedOutput()
			timer.Stop()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), c.says) ||
				strings.Contains(string(out), "pw-not-shown") {
				t.Errorf("%s: syncd %s: %v, want exit 1 saying %q; output:\n%s", c.name, args[0], err, c.says, out)
			}
		}
	}
}
