package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailHostWrittenAsAURLIsRefusedUnsaid: report.mail.host written as
// other programs take it, a URL with the login and password in it, loaded;
// every mail failed ("too many colons in address"), and validate, the
// daemon's start and reload said the host whole, the password with it, in
// the warning of tls: none and in every mail error. It is refused, saying
// what to write, and nothing quotes the password; without to: (no mail
// sent yet) too, as the day a recipient is added.
func TestMailHostWrittenAsAURLIsRefusedUnsaid(t *testing.T) {
	wd, _ := os.Getwd()
	const secret = "Mp4ss-9f8e7d"
	load := func(t *testing.T, mail string) (*config.Config, error) {
		t.Helper()
		file := filepath.Join(t.TempDir(), "c.yaml")
		yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [a-long-enough-token-0123456789]\n" +
			"mapping:\n  dir: " + filepath.Join(wd, "..", "..", "mappings", "hubspot") + "\nreport:\n  mail:\n" + mail
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return config.Load(file, env(nil))
	}
	for _, c := range []struct{ host, write string }{
		{"smtp://reports:" + secret + "@smtp.example.com:587", "write host: smtp.example.com and port: 587,"},
		{"smtps://reports%40agency.example:" + secret + "@smtp.example.com", "write host: smtp.example.com,"},
		{"reports:" + secret + "@smtp.example.com", "write host: smtp.example.com,"},
		{"smtp.example.com/?password=" + secret, "write host: smtp.example.com,"},
	} {
		_, err := load(t, "    host: \""+c.host+"\"\n    tls: none\n    from: r@example.com\n    to: [m@example.com]\n")
		switch {
		case err == nil:
			t.Errorf("%s: loaded", c.host)
		case strings.Contains(err.Error(), secret):
			t.Errorf("%s: a problem says the password:\n%v", c.host, err)
		case !strings.Contains(err.Error(), c.write):
			t.Errorf("%s: no problem says %q:\n%v", c.host, c.write, err)
		}
	}
	// without to: (no mail sent yet) refused as well, the password unsaid
	_, err := load(t, "    host: \"smtp://reports:"+secret+"@smtp.example.com\"\n")
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "write host: smtp.example.com,") {
		t.Errorf("a host written as a URL, no to: got %v, want it refused saying write host: smtp.example.com, not the password", err)
	}
	if _, err := load(t, "    host: smtp.example.com\n    port: 2525\n    from: r@example.com\n    to: [m@example.com]\n"); err != nil {
		t.Errorf("a server's name alone: %v", err)
	}
}
