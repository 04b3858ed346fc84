package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"al.essio.dev/pkg/shellescape"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusSaysWhyTheLastReloadFailed: a reload rejected for a mapping
// file that did not load was "LAST RELOAD FAILED: running on the previous
// configuration (see the journal)" in status, and still so once the file
// was fixed, not reloaded. Status now checks the files on disk as the
// reload does and says the first problem at its file and line, how many
// more, and the syncd validate that lists them; fixed, that they load and
// the reload that takes them (exit 5 until then, as before).
func TestStatusSaysWhyTheLastReloadFailed(t *testing.T) {
	t.Parallel()
	file, maps, cfg, rules := staleFixture(t)
	d := &daemon{file: file, log: zerolog.Nop(), metrics: metrics.New("1.4.0"), line: &statusLine{}}
	d.setLoaded(loadedOf(file, cfg, rules))
	eaf := filepath.Join(maps, "eaf.yaml")
	good, _ := os.ReadFile(eaf)
	at := strings.Count(string(good[:bytes.Index(good, []byte("phone(contact_phone)"))]), "\n") + 1
	bad := strings.Replace(string(good), "phone(contact_phone)", "phone(contact_phone", 1)
	bad = strings.Replace(bad, "firstName(contact_name)", "firstName(contact_name", 1)
	os.WriteFile(eaf, []byte(bad), 0o644)
	d.metrics.ConfigLoaded(false, d.metrics.Now()) // the reload rejected, as serve's reload does
	status := func() (string, bool) {
		t.Helper()
		s := snapshotOver(t, d.metrics)
		(&cli{getenv: os.Getenv}).staleOf(&s, clock{loc: time.UTC})
		var out bytes.Buffer
		writeStatus(&out, clock{loc: time.UTC}, s)
		s.OutboxKnown = true
		return out.String(), s.needsAttention()
	}

	out, attention := status()
	want := "config        LAST RELOAD FAILED: running on the previous configuration and mappings; the files on disk still do NOT LOAD: maps/eaf.yaml:" +
		strconv.Itoa(at) + `: rule "eaf-email-lead": contact.phone: expression: it ends too soon: a "(" without its ")", a "?" without its ":", ` +
		`or an operator with nothing after it (unexpected token EOF) (at column 40) (and 1 more); syncd validate -config ` +
		shellescape.Quote(file) + " lists every problem; fix them, then systemctl reload syncd\n"
	if !strings.Contains(out, want) || !attention {
		t.Fatalf("status after a reload rejected for a mapping (attention %v):\n%s\nwant %s", attention, out, want)
	}
	if strings.Count(out, "unexpected token EOF") != 1 || strings.Contains(out, "journal") {
		t.Errorf("the problem said twice, or the journal:\n%s", out)
	}

	os.WriteFile(eaf, good, 0o644) // fixed, not reloaded
	out, attention = status()
	want = "config        LAST RELOAD FAILED: running on the previous configuration and mappings; the files on disk are again " +
		"those it runs on, and load: systemctl reload syncd clears this\n"
	if !strings.Contains(out, want) || !attention {
		t.Errorf("status once the mapping is fixed, not reloaded (attention %v):\n%s\nwant %s", attention, out, want)
	}

	os.WriteFile(eaf, append(good, "# fixed another way\n"...), 0o644)
	out, _ = status()
	want = "config        LAST RELOAD FAILED: running on the previous configuration and mappings; the files on disk load now: " +
		"systemctl reload syncd takes them\n"
	if !strings.Contains(out, want) {
		t.Errorf("status once the mapping is edited into one that loads:\n%s\nwant %s", out, want)
	}

	// A token file the configuration names now, not there: the reload
	// reads it, and so does status.
	yaml, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(yaml, []byte("    tokens: [eaf-token-0123456789]\n"),
		[]byte("    tokens: [eaf-token-0123456789]\n    token_files: [eaf-token]\n"), 1), 0o600)
	out, _ = status()
	want = "the files on disk still do NOT LOAD: " + file + ":7: sources.eaf.token_files entry 1: read secret: open " + filepath.Join(filepath.Dir(file), "eaf-token") +
		": no such file or directory"
	if !strings.Contains(out, want) {
		t.Errorf("status of a configuration naming a token file not there:\n%s\nwant %s", out, want)
	}

	// A token file the daemon read, removed: status reads it too, and
	// names it once.
	token := filepath.Join(filepath.Dir(file), "eaf-token")
	os.WriteFile(token, []byte("eaf-token-from-a-file-0123\n"), 0o600)
	os.WriteFile(file, bytes.Replace(yaml, []byte("    tokens: [eaf-token-0123456789]\n"), []byte("    token_files: [eaf-token]\n"), 1), 0o600)
	os.WriteFile(eaf, good, 0o644)
	cfg, err := config.Load(file, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	d.setLoaded(loadedOf(file, cfg, rules))
	os.Remove(token)
	d.checkLoaded() // the daemon finds it removed, as every 15 s
	out, _ = status()
	want = "the files on disk still do NOT LOAD: " + file + ":6: sources.eaf.token_files entry 1: read secret: open " + token + ": no such file or directory"
	if !strings.Contains(out, want) || strings.Contains(out, "more)") {
		t.Errorf("status of a token file removed:\n%s\nwant %s, once", out, want)
	}
}

// TestReloadCauseShowsNoSecret: what status says of a configuration that
// would not load holds none of its secrets (a token, a password, a DSN on
// a line the parser quotes), nor a secret file's: only where the problem
// is and what.
func TestReloadCauseShowsNoSecret(t *testing.T) {
	t.Parallel()
	file, _, cfg, rules := staleFixture(t)
	d := &daemon{file: file, log: zerolog.Nop(), metrics: metrics.New("1.4.0"), line: &statusLine{}}
	d.setLoaded(loadedOf(file, cfg, rules))
	d.metrics.ConfigLoaded(false, d.metrics.Now())
	loaded, _ := os.ReadFile(file)
	const token = "    tokens: [eaf-token-0123456789]\n"
	secrets := []string{"eaf-secret", "portal-secret", "pg-secret", "hs-secret"}
	for _, broken := range []string{
		strings.Replace(string(loaded), token, "    tokens: \"eaf-secret-token-0123456789\"\n", 1),
		strings.Replace(string(loaded), token, "    tokens: [eaf-secret-token-0123456789\n", 1),
		strings.Replace(string(loaded), token, "    tokens: [*eaf-secret-token-0123456789]\n", 1),
		strings.Replace(string(loaded), token, token+"    basic_auth: {username: portal, password: portal-secret-01234}\n      oops: 1\n", 1),
		string(loaded) + "store:\n  kind: postgres\n  dsn: postgres://syncd:pg-secret-pw@db/syncd\n   oops: x\n",
		string(loaded) + "store:\n  kind: postgres\n  dsn: [postgres://syncd:pg-secret-pw@db/syncd]\n",
		string(loaded) + "crm:\n  kind: hubspot\n  hubspot:\n    token: \"hs-secret-token-0123456789\n",
		string(loaded) + "crm:\n  kind: hubspot\n  hubspot:\n    token: {hs-secret-token-0123456789: 1}\n",
	} {
		os.WriteFile(file, []byte(broken), 0o600)
		s := snapshotOver(t, d.metrics)
		(&cli{getenv: os.Getenv}).staleOf(&s, clock{loc: time.UTC})
		var out bytes.Buffer
		writeStatus(&out, clock{loc: time.UTC}, s)
		if !strings.Contains(out.String(), "NOT LOAD: "+file+":") {
			t.Errorf("status of\n%s\nsays no problem at a line:\n%s", broken, out.String())
		}
		for _, secret := range secrets {
			if strings.Contains(out.String(), secret) {
				t.Errorf("status of\n%s\nshows a secret:\n%s", broken, out.String())
			}
		}
	}
}
