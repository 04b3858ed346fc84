package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRetryOfAnOperationNotDeadSaysWhatItIs: `syncd outbox retry ID` of an
// operation that is pending (waiting for a CRM that does not answer) used to
// say `no dead outbox op ID`, as for an id that does not exist; now it says
// the operation is pending and is sent by itself (exit 3 still: there is no
// dead operation ID to retry).
func TestRetryOfAnOperationNotDeadSaysWhatItIs(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, _ := leadQueuedForNoCRM(t)
	_, stderr, code := syncdRun(t, "outbox", "retry", "-config", config, "1")
	if code != 3 || !strings.Contains(stderr, "operation 1 is pending, not dead") {
		t.Errorf("retry of a pending operation: exit %d\n%s", code, stderr)
	}
}

// leadQueuedForNoCRM starts a daemon whose CRM nothing answers, posts the
// EAF email lead to it and waits for the lead's two operations (1 and 2,
// pending) in the outbox: the configuration's path and the daemon.
func leadQueuedForNoCRM(t *testing.T) (string, *daemon) {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(crmConfig(dir, "http://127.0.0.1:1", e2eLBToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead's operations", func() bool {
		out, _, _ := syncdRun(t, "outbox", "list", "-json", "-config", config)
		return strings.Count(out, "\n") == 2
	})
	return config, d
}
