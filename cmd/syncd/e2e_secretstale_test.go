package main_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestStatusSaysASecretFileEditedButNotReloaded: an operator wrote a new
// token into a secret file (a sender's token_files, the CRM's token_file)
// under the running daemon and forgot systemctl reload syncd; syncd status
// said all was well, exit 0, while the daemon went on with the secret it
// had read (a CRM token of the account the client left: its leads went on
// there). Status now names the file changed since the daemon read it and
// the reload, exit 5, until the daemon is reloaded; the SMTP password,
// read only at start, with the restart; never the secret, its length or
// its hash, there, in /metrics or in the log. Each file is named after
// its setting, dotted as every other message names it
// (sources.eaf.token_files entry 1: FILE): status listed the files alone.
func TestStatusSaysASecretFileEditedButNotReloaded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const oldToken, newToken, oldPass, newPass = "eaf-file-token-0123456789", "eaf-file-token-9876543210", "smtp-old-pass", "smtp-new-pass"
	token, pass := filepath.Join(dir, "eaf-token"), filepath.Join(dir, "smtp-password")
	os.WriteFile(token, []byte(oldToken+"\n"), 0o600)
	os.WriteFile(pass, []byte(oldPass+"\n"), 0o600)
	config := writeConfigWith(t, dir, "report:\n  mail:\n    password_file: smtp-password\n")
	raw, _ := os.ReadFile(config)
	raw = []byte(strings.NewReplacer("listen: 127.0.0.1:0", "listen: "+freeAddr(t),
		"    kind: eaf\n", "    kind: eaf\n    token_files: [eaf-token]\n").Replace(string(raw)))
	if err := os.WriteFile(config, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	secrets := []string{oldToken, newToken, oldPass, newPass}
	status := func(what string, wantCode int, words ...string) string {
		t.Helper()
		out, stderr, code := syncdRun(t, "status", "-config", config)
		if code != wantCode {
			t.Fatalf("status %s: exit %d, want %d\n%s%s", what, code, wantCode, out, stderr)
		}
		mustContain(t, "status "+what, out, words...)
		for _, s := range secrets {
			if strings.Contains(out+stderr, s) {
				t.Errorf("status %s shows a secret:\n%s", what, out)
			}
		}
		return out
	}
	if out := status("as started", 0, "daemon"); strings.Contains(out, "CHANGED") {
		t.Fatalf("status as started:\n%s", out)
	}

	os.WriteFile(token, []byte(newToken+"\n"), 0o600)
	status("of a token file edited", 5, "secret files CHANGED on disk since the daemon read them (sources.eaf.token_files entry 1: "+token+
		"): the daemon still uses the secrets as it read them; syncd reload -config "+sq(config))
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	mustContain(t, "metrics", string(metrics), `syncd_config_secret_file_changed{change="changed",path="`+token+`",setting="sources.eaf.token_files entry 1",taken_by="reload"} 1`, "syncd_config_stale_files 1")

	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"reloaded"`) })
	if out := status("once reloaded", 0, "daemon"); strings.Contains(out, "CHANGED") {
		t.Fatalf("status once reloaded:\n%s", out)
	}

	os.WriteFile(pass, []byte(newPass+"\n"), 0o600)
	status("of the SMTP password file edited", 5, "secret files CHANGED on disk since the daemon read them (report.mail.password_file: "+pass+
		"): the daemon still uses the secrets as it read them; kill "+strconv.Itoa(d.cmd.Process.Pid)+", then start it again as it was started, in ",
		" serve -config "+sq(config)+" (read only at start: report.mail.password_file)") // by hand: no unit restarts it
	os.WriteFile(pass, nil, 0o600)
	status("of the SMTP password file emptied", 5, "(report.mail.password_file: "+pass+" (empty))", "a reload or restart would be refused")
	for _, s := range secrets {
		if strings.Contains(d.log()+string(metrics), s) {
			t.Errorf("the log or /metrics shows a secret:\n%s\n%s", d.log(), metrics)
		}
	}
}
