package main_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestALoopbackDSNWithoutSSLModeIsNotSaidToAskForTLS: an integrator's DSN
// for a server on 127.0.0.1 names no sslmode (PostgreSQL's default,
// prefer: TLS where the server offers it, else none), and the server
// offers no TLS. pgconn tries TLS first, the server refuses it, and the
// plain try goes on; but when the plain try failed too, validate, serve
// and the commands said "the server does not offer TLS, which
// sslmode=require in the DSN asks for", of a DSN that asks nothing of the
// kind, beside a database that does not exist or a server with no
// connection left; and such a failure counted as one asking again cannot
// mend, so validate exited 1 (not 4) and a serve started while the server
// was full (or starting, or shutting down) exited 1 instead of waiting
// for it. Each is now said by the plain try's refusal: no database (exit
// 1), no connection left (exit 4), and serve waits and starts once the
// server takes it.
func TestALoopbackDSNWithoutSSLModeIsNotSaidToAskForTLS(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	admin := pgtest.DSN(t)
	loopback := strings.Replace(admin, "?sslmode=disable", "", 1) // no sslmode: prefer
	role := fmt.Sprintf("syncd_full_%d", os.Getpid())
	pgExec(t, admin, `CREATE ROLE `+role+` LOGIN CONNECTION LIMIT 0;
		DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO `+role+`', current_database()); END $$`)
	t.Cleanup(func() { pgExec(t, admin, `REASSIGN OWNED BY `+role+` TO postgres; DROP ROLE `+role) })
	full := withUser(loopback, role) // its connection limit reached, as by other instances

	config := func(name, dsn string) string {
		d := filepath.Join(dir, name)
		os.MkdirAll(d, 0o755)
		file := filepath.Join(d, "syncd.yaml")
		os.WriteFile(file, []byte(configYAML(d, []string{e2eLBToken}, "")+pgStore(t, d, dsn)), 0o600)
		return file
	}
	missing := config("missing", strings.Replace(loopback, "/syncd_test_", "/missing_", 1))
	fullConfig := config("full", full)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"validate", "-config", missing}, 2, "no database missing_"}, // as serve: a person creates it
		{[]string{"events", "list", "-config", missing}, 2, "no database missing_"},
		{[]string{"validate", "-config", fullConfig}, 4, "the server has no connection left for user " + role},
		{[]string{"events", "list", "-config", fullConfig}, 4, "the server has no connection left for user " + role},
	} {
		out, errOut, code := syncdRun(t, c.args...)
		all := out + errOut
		if code != c.code || !strings.Contains(all, c.says) || strings.Contains(all, "does not offer TLS") ||
			strings.Contains(all, "pw-not-shown") {
			t.Errorf("syncd %s: exit %d, want %d saying %q and nothing of TLS:\n%s", c.args[0], code, c.code, c.says, all)
		}
	}

	// serve on the full server waits for it, and starts once it has a
	// connection for the role.
	cmd := syncdCmd("serve", "-config", fullConfig)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var log strings.Builder
	awaitLine := func(message string) {
		t.Helper()
		timeout := time.After(30 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("serve exited before logging %q:\n%s", message, log.String())
				}
				log.WriteString(l + "\n")
				var line struct{ Message string }
				if json.Unmarshal([]byte(l), &line) == nil && strings.HasPrefix(line.Message, message) {
					return
				}
			case <-timeout:
				t.Fatalf("serve did not log %q within 30s:\n%s", message, log.String())
			}
		}
	}
	awaitLine("start: waiting for the database to answer")
	pgExec(t, admin, `ALTER ROLE `+role+` CONNECTION LIMIT -1`)
	awaitLine("serving")
	cmd.Process.Signal(syscall.SIGTERM)
	for l := range lines {
		log.WriteString(l + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}
	if strings.Contains(log.String(), "does not offer TLS") || strings.Contains(log.String(), "pw-not-shown") {
		t.Errorf("serve's log speaks of TLS, or shows the password:\n%s", log.String())
	}
}
