package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/config"
)

// TestOutOfRangeValueNamesItsKeyAsTheReferenceDoes: an operator who wrote
// a value out of range read "max_depth 5 must be at least 8", "sync
// probe_every must be between ...", "report keep_days 0 ...": the key
// without its section, or with a space where docs/configuration.md and
// every other message write intake.max_depth, sync.probe_every. Each now
// names the key as the reference does; so do the messages of a value
// syncd does not take, which wrote "log level", "crm kind", "store kind",
// "sync schedule", "report time_zone", "crm hubspot: token", "report
// mail: tls".
func TestOutOfRangeValueNamesItsKeyAsTheReferenceDoes(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	base := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\n"
	for _, c := range []struct{ yaml, want string }{
		{"http:\n  max_body_bytes: 100\n", "http.max_body_bytes 100 must be at least 1024"},
		{"http:\n  max_body_bytes: 100000000\n", "http.max_body_bytes must be at most"},
		{"http:\n  max_connections: 8\n", "http.max_connections 8 must be at least 16"},
		{"intake:\n  max_depth: 5\n", "intake.max_depth 5 must be at least 8"},
		{"intake:\n  max_depth: 20000\n", "intake.max_depth must be at most"},
		{"sync:\n  probe_every: 10s\n", "sync.probe_every must be between 30s and 1h"},
		{"report:\n  keep_days: 0\n", "report.keep_days 0 is taken as the default"},
		{"http:\n  trusted_proxies: [10.0.0.0/33]\n", `http.trusted_proxies: "10.0.0.0/33" is not an IP address or a CIDR`},
		{"log:\n  level: warning\n", `log.level "warning" is not debug, info, warn or error`},
		{"crm:\n  kind: salesforce\n", `crm.kind "salesforce" is not dryrun, hubspot or pipedrive`},
		{"crm:\n  kind: hubspot\n", "crm.hubspot.token or crm.hubspot.token_file is required"},
		{"crm:\n  kind: pipedrive\n  pipedrive:\n    token: abc\n", "crm.pipedrive.base_url is required"},
		{"crm:\n  kind: pipedrive\n  pipedrive:\n    token: abc\n    base_url: http://acme.pipedrive.com/api/v2\n", "crm.pipedrive.base_url http://"},
		{"crm:\n  kind: hubspot\n  hubspot:\n    token: abc\n    hub_id: acme\n", `crm.hubspot.hub_id "acme" is not a number`},
		{"store:\n  kind: mysql\n", `store.kind "mysql" is not sqlite or postgres`},
		{"store:\n  kind: postgres\n", "store.kind postgres needs store.dsn or store.dsn_file"},
		{"store:\n  dsn: postgres://db/syncd\n", "store.dsn is for PostgreSQL, but store.kind is sqlite"},
		{"sync:\n  schedule: every minute\n", `sync.schedule "every minute" has 2 fields`},
		{"report:\n  schedule: every minute\n", `report.schedule "every minute" has 2 fields`},
		{"report:\n  schedule: \"@every 24h\"\n", `report.schedule "@every 24h" runs every 24 hours`},
		{"report:\n  time_zone: Mars/Olympus\n", `report.time_zone "Mars/Olympus" is not a time zone`},
		{"report:\n  mail:\n    host: smtp.example.com\n    to: [a@example.com]\n", "report.mail.host and report.mail.from are required when report.mail.to is set"},
		{"report:\n  mail:\n    host: smtp.example.com\n", "report.mail.host smtp.example.com is set but report.mail.to names no recipient"},
		{"report:\n  mail:\n    host: smtp.example.com:587\n", "report.mail.host smtp.example.com:587 has a port in it"},
		{"report:\n  mail:\n    tls: startls\n", `report.mail.tls "startls" is not starttls, opportunistic, tls or none`},
		{"report:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: [a@example.com]\n    tls: none\n", "report.mail.tls none sends the reports"},
		{"report:\n  mail:\n    port: 70000\n", "report.mail.port 70000 is out of range"},
		{"report:\n  mail:\n    port: 465\n", "report.mail.port 465 is SMTPS"},
		{"report:\n  mail:\n    username: reports\n", "report.mail.username reports has no password"},
		{"report:\n  mail:\n    host: smtp.example.com\n    password: s3cret\n", "report.mail.password without report.mail.username is not used"},
		{"report:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: [bob]\n", `report.mail.to "bob" is not an email address`},
		{"report:\n  mail:\n    ca_file: /nonexistent/ca.pem\n", "report.mail.ca_file: "},
	} {
		raw := base + "mapping:\n  dir: " + maps + "\n" + c.yaml
		got := said(raw)
		if !strings.Contains(got, c.want) {
			t.Errorf("%q: said %q, want %q", c.yaml, got, c.want)
		}
	}
}

// TestSourceProblemsNameTheirKeysAsTheReferenceDoes: syncd validate said
// "source lb: kind ...", "source lb: token 1 must be ...", "source lb:
// allow_ips: ...", where docs/configuration.md writes sources.NAME.kind
// and the other messages write their keys dotted. Each now names the key
// as the reference does, sources.lb.kind; an entry of a list whose value
// is a secret and never shown (a token) is named by the list's key and
// the entry's place counted from 1, as lines are: sources.lb.tokens entry 2.
func TestSourceProblemsNameTheirKeysAsTheReferenceDoes(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	dir := t.TempDir()
	short := filepath.Join(dir, "short-token")
	if err := os.WriteFile(short, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const tok = "abcdefghijklmnopqrstuvwxyz"
	for _, c := range []struct{ sources, want string }{
		{"  lb:\n    kind: lokalbasen\n    tokens: [" + tok + "]\n", `sources.lb.kind "lokalbasen" is not lokalebasen or eaf: write lokalebasen`},
		{"  lb:\n    kind: lokalebasen\n    tokens: [" + tok + ", short]\n", "sources.lb.tokens entry 2 must be at least 16 characters"},
		{"  lb:\n    kind: lokalebasen\n    tokens: [" + tok + "]\n    token_files: [" + short + "]\n", "sources.lb.token_files entry 1: the token in " + short + " must be at least 16 characters"},
		{"  lb:\n    kind: lokalebasen\n", "sources.lb has no token: write sources.lb.tokens or sources.lb.token_files"},
		{"  lb:\n    kind: lokalebasen\n    tokens: [" + tok + "]\n    allow_ips: [not-an-ip]\n", `sources.lb.allow_ips: "not-an-ip" is a host name`},
		{"  lb:\n    kind: lokalebasen\n    tokens: [" + tok + "]\n    default_country: UK\n", "sources.lb.default_country UK is no country code"},
		{"  lb:\n    kind: lokalebasen\n    tokens: [" + tok + "]\n    basic_auth: {username: bob}\n", "sources.lb.basic_auth needs both username and password"},
		{"  Lb:\n    kind: lokalebasen\n    tokens: [" + tok + "]\n", "sources.Lb: a source's name is part of its URL (/hooks/NAME/TOKEN): use lower-case letters, digits, - and _"},
		{"  eaf:\n    kind: eaf\n    tokens: [" + tok + "]\n  lb:\n    kind: lokalebasen\n    tokens: [zyxwvutsrqponmlkjihgfedcba, " + tok + "]\n",
			"sources.lb.tokens entry 2 is also a token of sources.eaf: give each source its own"},
		{"  eaf:\n    kind: eaf\n    tokens: [" + tok + "]\n  eaf-ie:\n    kind: eaf\n    tokens: [zyxwvutsrqponmlkjihgfedcba]\n    default_country: IE\n",
			"sources.eaf-ie.default_country IE differs from sources.eaf.default_country GB"},
		{"  eaf:\n    kind: eaf\n    tokens: [example-eaf-token-change-me]\n", "sources.eaf.tokens entry 1 is a placeholder (it says change-me)"},
	} {
		raw := "mapping:\n  dir: " + maps + "\nsources:\n" + c.sources
		got := said(raw)
		if !strings.Contains(got, c.want) {
			t.Errorf("%q: said %q, want %q", c.sources, got, c.want)
		}
	}
}

// TestSecretFileProblemsNameTheirKeysAsTheReferenceDoes: a secret file
// syncd could not read, or whose content it refused, was said by the
// file alone ("c.yaml:6: read secret: open /etc/syncd/lb-token: no such
// file or directory", "secret file pw is empty"), where validate's other
// messages name their key dotted first: with two sources' token_files, a
// CRM's token_file and the mail's password_file, the operator looked for
// which setting named it. Each now leads with the key, as the reference
// writes it; an entry of token_files is counted from 1.
func TestSecretFileProblemsNameTheirKeysAsTheReferenceDoes(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	dir := t.TempDir()
	const tok = "abcdefghijklmnopqrstuvwxyz"
	file := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	good, missing := file("good", tok+"\n", 0o600), filepath.Join(dir, "missing")
	two, empty := file("two", tok+"\n"+tok+"\n", 0o600), file("empty", "", 0o600)
	utf16, exposed := file("utf16", "\xff\xfea\x00b\x00", 0o600), file("exposed", tok+"\n", 0o644)
	lb := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [" + tok + "]\n"
	mail := "report:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: [a@example.com]\n    username: u\n"
	for _, c := range []struct{ yaml, want string }{
		{"sources:\n  lb:\n    kind: lokalebasen\n    token_files: [" + good + ", " + missing + "]\n",
			"c.yaml:6: sources.lb.token_files entry 2: read secret: open " + missing + ": no such file or directory"},
		{"sources:\n  lb:\n    kind: lokalebasen\n    token_files: [" + two + "]\n",
			"c.yaml:6: sources.lb.token_files entry 1: secret file " + two + " holds more than one line"},
		{lb + "    basic_auth:\n      username: u\n      password_file: " + utf16 + "\n",
			"sources.lb.basic_auth.password_file: secret file " + utf16 + " is UTF-16 text"},
		{lb + "crm:\n  kind: hubspot\n  hubspot:\n    token_file: " + missing + "\n",
			"c.yaml:10: crm.hubspot.token_file: read secret: open " + missing + ": no such file or directory"},
		{lb + "crm:\n  kind: pipedrive\n  pipedrive:\n    token_file: " + empty + "\n    base_url: https://acme.pipedrive.com/api/v2\n",
			"crm.pipedrive.token_file: secret file " + empty + " is empty"},
		{lb + mail + "    password_file: " + missing + "\n", "report.mail.password_file: read secret: open " + missing},
		{lb + "store:\n  kind: postgres\n  dsn_file: " + missing + "\n", "store.dsn_file: read secret: open " + missing},
		{lb + "crm:\n  kind: hubspot\n  hubspot:\n    token_file: " + exposed + "\n",
			"crm.hubspot.token_file: secret file " + exposed + " can be read by every local user"},
	} {
		raw := "mapping:\n  dir: " + maps + "\n" + c.yaml
		got := said(raw)
		if !strings.Contains(got, c.want) {
			t.Errorf("%q: said %q, want %q", c.yaml, got, c.want)
		}
	}
}

// said is what validate says of the configuration raw (named c.yaml): its
// problems, or else its warnings, one a line.
func said(raw string) string {
	cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
	if err != nil {
		return err.Error()
	}
	got := ""
	for _, w := range cfg.Warnings {
		got += w.String() + "\n"
	}
	return got
}

// TestSecretFilesAreNamedByThePathOpened: a secret file named relative
// (token_files: [lb-token]) in a configuration given by a relative -config
// path (syncd validate -config conf/syncd.yaml) was said relative to a
// working directory the message does not name ("open conf/missing-token",
// "secret file conf/hs-token is empty", "the token in lb-token must be",
// "chmod o-r conf/exposed"), where syncd status and the other messages of
// files syncd opened name the absolute path. Each now names the file by
// the absolute path syncd opened.
func TestSecretFilesAreNamedByThePathOpened(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("conf", 0o700); err != nil {
		t.Fatal(err)
	}
	conf, _ := filepath.Abs("conf")
	os.WriteFile("conf/lb-token", []byte("short\n"), 0o600)
	os.WriteFile("conf/hs-token", nil, 0o600)
	os.WriteFile("conf/exposed", []byte("abcdefghijklmnopqrstuvwxyz\n"), 0o600)
	os.Chmod("conf/exposed", 0o644)
	load := func(yaml string) string {
		os.WriteFile("conf/syncd.yaml", []byte("mapping:\n  dir: "+maps+"\n"+yaml), 0o600)
		cfg, err := config.Load("conf/syncd.yaml", env(nil))
		if err != nil {
			return err.Error()
		}
		said := ""
		for _, w := range cfg.Warnings {
			said += w.String() + "\n"
		}
		return said
	}
	got := load("sources:\n  lb:\n    kind: lokalebasen\n    token_files: [lb-token, missing-token]\n" +
		"crm:\n  kind: hubspot\n  hubspot:\n    token_file: hs-token\n")
	got += load("sources:\n  lb:\n    kind: lokalebasen\n    token_files: [exposed]\n")
	for _, want := range []string{
		"sources.lb.token_files entry 2: read secret: open " + conf + "/missing-token: no such file or directory",
		"sources.lb.token_files entry 1: the token in " + conf + "/lb-token must be at least 16 characters",
		"crm.hubspot.token_file: secret file " + conf + "/hs-token is empty",
		"sources.lb.token_files entry 1: secret file " + conf + "/exposed can be read by every local user (mode -rw-r--r--): chmod o-r " + shellescape.Quote(conf+"/exposed"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("validate -config conf/syncd.yaml said:\n%s\nwant it to say %q", got, want)
		}
	}
}
