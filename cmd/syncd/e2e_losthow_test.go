package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusSaysHowTheDatabaseWasLost: syncd status said of every
// database lost under the daemon "its file was removed or renamed under
// the daemon … put the file back (beside its -wal file)": of a backup
// copied over it (cp), whose log said to stop syncd and read its next
// start's message, and of its -wal removed, whose log said the commits are
// in the file and to restart syncd, neither a file to put back. Status now
// says which, as the log does.
func TestStatusSaysHowTheDatabaseWasLost(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		how  string
		lose func(t *testing.T, path, config string)
		want string
	}{
		{"backup copied over it", func(t *testing.T, path, config string) {
			backup := filepath.Join(filepath.Dir(path), "..", "backup.db")
			if _, stderr, code := syncdRun(t, "backup", "-config", config, "-out", backup); code != 0 {
				t.Fatalf("backup: exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(backup)
			if err == nil {
				err = os.WriteFile(path, b, 0o600) // as cp does: in place
			}
			if err != nil {
				t.Fatal(err)
			}
		}, "its file was written over under the daemon (a backup copied over it?), which answers every delivery 503\n" +
			"                what it stored since that copy's time is in its -wal: stop syncd; its next start says what to do"},
		{"-wal removed", func(t *testing.T, path, _ string) {
			if err := os.Remove(path + "-wal"); err != nil {
				t.Fatal(err)
			}
		}, "its -wal file was removed under the daemon, which answers every delivery 503\n" +
			"                what was committed is in the database file: restart syncd"},
	} {
		t.Run(c.how, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			config := filepath.Join(dir, "syncd.yaml") // a fixed port: status finds the daemon there
			yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
			if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			d := start(t, config)
			postTestdata(t, d, "eaf/email_lead.json")
			c.lose(t, filepath.Join(dir, "data", "syncd.db"), config)
			body, _ := os.ReadFile("../../testdata/webhooks/eaf/feed_import.json")
			if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, body); err != nil || a.Code != 503 {
				t.Fatalf("a delivery after: %+v %v, want 503", a, err)
			}
			stdout, stderr, code := syncdRun(t, "status", "-config", config)
			if code != 5 || !strings.Contains(stdout, "database      LOST: "+c.want) || strings.Contains(stdout, "put the file back") {
				t.Errorf("status: exit %d, want 5 and %q\n%s%s", code, c.want, stdout, stderr)
			}
			d.stop(t, syscall.SIGTERM)
		})
	}
}
