package config_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
)

var update = flag.Bool("update", false, "rewrite the expected error files")

func env(vars map[string]string) config.Env {
	return func(k string) string { return vars[k] }
}

// TestBadConfigs loads every file under testdata/config/bad and compares
// the problems with the .err file beside it. It runs at the repository's
// root, where the docs have the operator run syncd validate on them: a
// relative mapping.dir is read from the working directory, and the files'
// mappings/hubspot is there (their ../../mappings/hubspot, right only two
// folders down, as this package's, added a mapping dir problem anywhere
// else). The repository's root, in the absolute paths syncd names the
// files it opened by (a secret file), is REPO in the .err files.
func TestBadConfigs(t *testing.T) {
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	t.Chdir(root)
	files, _ := filepath.Glob("testdata/config/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no bad configs found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := config.Load(f, env(nil))
			if err == nil {
				t.Fatal("loaded without error")
			}
			got := strings.ReplaceAll(strings.ReplaceAll(err.Error(), root, "REPO"), f, filepath.Base(f)) + "\n"
			want := strings.TrimSuffix(f, ".yaml") + ".err"
			if *update {
				os.WriteFile(want, []byte(got), 0o644)
			}
			exp, _ := os.ReadFile(want)
			if got != string(exp) {
				t.Errorf("problems:\n%s\nwant:\n%s", got, exp)
			}
		})
	}
}

func TestExampleConfigLoadsWithDefaults(t *testing.T) {
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	cfg, err := config.Load("configs/syncd.example.yaml", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:8080" || cfg.DataDir != "./data" || cfg.CRM.Kind != "dryrun" {
		t.Errorf("listen %q data %q crm %q", cfg.Listen, cfg.DataDir, cfg.CRM.Kind)
	}
	if cfg.HTTP.MaxBodyBytes != 1<<20 || cfg.Intake.DedupWindow != 14*24*time.Hour || cfg.Sync.PromptDelay != 5*time.Second {
		t.Errorf("defaults not applied: %+v %+v %+v", cfg.HTTP, cfg.Intake, cfg.Sync)
	}
	lb := cfg.Sources["lokalebasen"]
	if lb.Kind != "lokalebasen" || len(lb.Tokens) != 1 || lb.DefaultCountry != "DK" {
		t.Errorf("lokalebasen source = %+v", lb)
	}
	if cfg.Report.Dir != filepath.Join("data", "reports") {
		t.Errorf("report dir %q", cfg.Report.Dir)
	}
}

func TestEnvExpansionOverridesAndSecretFiles(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "creds")
	os.Mkdir(creds, 0o700)
	os.WriteFile(filepath.Join(creds, "lb-token"), []byte("file-token-0123456789\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "basic.pw"), []byte("s3cret$pw\n"), 0o600)
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	yaml := `listen: 0.0.0.0:9000
sources:
  lb:
    kind: lokalebasen
    tokens: ["${LB_TOKEN}", "${MISSING:-fallback-token-0123456789}"]
    token_files: [lb-token]
    basic_auth: {username: portal, password_file: ` + filepath.Join(dir, "basic.pw") + `}
mapping:
  dir: ` + filepath.Join(dir, "maps") + `
crm:
  kind: dryrun
report:
  mail: {password: "p$$${X}"}
`
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(yaml), 0o600)
	cfg, err := config.Load(file, env(map[string]string{
		"LB_TOKEN": "env-token-0123456789", "SYNCD_LISTEN": "127.0.0.1:9999",
		"SYNCD_DATA_DIR": "/tmp/elsewhere", "CREDENTIALS_DIRECTORY": creds,
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Sources["lb"].Tokens
	want := []string{"env-token-0123456789", "fallback-token-0123456789", "file-token-0123456789"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("tokens = %v, want %v", got, want)
	}
	if pw := cfg.Sources["lb"].BasicAuth.Password; pw != "s3cret$pw" {
		t.Errorf("password = %q", pw)
	}
	if cfg.Listen != "127.0.0.1:9999" || cfg.DataDir != "/tmp/elsewhere" {
		t.Errorf("overrides: listen %q data %q", cfg.Listen, cfg.DataDir)
	}
	if cfg.Report.Mail.Password != "p$${X}" {
		t.Errorf("$${ not kept literal: %q", cfg.Report.Mail.Password)
	}
}

func TestProblemsNeverEchoTokens(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	os.WriteFile(file, []byte("sources:\n  lb:\n    kind: lokalebasen\n    tokens: [\"sh0rt!secret\"]\n"), 0o600)
	_, err := config.Load(file, env(nil))
	if err == nil || strings.Contains(err.Error(), "sh0rt!secret") {
		t.Fatalf("error %v", err)
	}
}

// FuzzParse checks that no input makes the loader panic, and that a
// rejected config always says where.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/config/bad/*.yaml")
	files = append(files, "../../configs/syncd.example.yaml")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, err := config.Parse("fuzz.yaml", raw, env(nil))
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Fatalf("problem without a file: %v", err)
		}
	})
}

func TestRetentionDefaultsAndExplicitZero(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	os.WriteFile(file, []byte("sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\n"+
		"mapping:\n  dir: ../../mappings/hubspot\nretention:\n  quarantine_days: 0\n  link_days: 400\n"), 0o600)
	cfg, err := config.Load(file, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Retention{EventDays: 90, QuarantineDays: 0, OutboxDays: 90, LinkDays: 400, ErasureDays: 365}
	if cfg.Retention != want {
		t.Errorf("retention %+v, want %+v", cfg.Retention, want)
	}
}

// TestRelativeMappingDirSaysWhereItLooked: a relative mapping dir that is
// not there is reported with the working directory it was read from (an
// operator's shell is seldom where the daemon runs); an absolute one as
// it is.
func TestRelativeMappingDirSaysWhereItLooked(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for dirValue, want := range map[string]string{
		"mappings/hubspot":  `c.yaml:6: mapping.dir mappings/hubspot is not a directory (a relative path, read from the working directory ` + dir + `)`,
		"/nonexistent/maps": `c.yaml:6: mapping.dir /nonexistent/maps is not a directory`,
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + dirValue + "\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err == nil || err.Error() != want {
			t.Errorf("got  %v\nwant %s", err, want)
		}
	}
}

// TestEnvValuesAreTakenAsTheyAre: a value from the environment is the
// setting's text whatever YAML reads in it (" #" a comment, ": " a
// mapping, a leading * an alias, ! a tag, @ nothing at all), quoted in
// the file or not; a plain ${NAME} is typed by its value (a port). The
// values used to be pasted into the text before parsing: "pa ss #1"
// became "pa ss", "*Xy7" an error without a line. A ${NAME} in a flow
// list, YAML only once pasted, still is.
func TestEnvValuesAreTakenAsTheyAre(t *testing.T) {
	raw := `sources:
  lb:
    kind: lokalebasen
    tokens:
      - ${LB_TOKEN}
    basic_auth:
      username: "${USER}"
      password: ${BASIC}
mapping:
  dir: ../../mappings/hubspot
report:
  mail:
    host: mail.example.com
    port: ${SMTP_PORT}
    from: syncd@example.com
    to: [office@example.com]
    username: office
    password: ${SMTP_PASSWORD} # from the environment
`
	for _, pw := range []string{"pa ss #1", "user: secret", "*Xy7", "!Xy7", "@Xy7", `q"uo\te`, "%d&x", "- x"} {
		cfg, err := config.Parse("c.yaml", []byte(raw), env(map[string]string{
			"LB_TOKEN": "lb-token-0123456789", "USER": `"` + pw, "BASIC": "b" + pw, "SMTP_PORT": "2525", "SMTP_PASSWORD": pw,
		}))
		if err != nil {
			t.Fatalf("%q: %v", pw, err)
		}
		m, lb := cfg.Report.Mail, cfg.Sources["lb"]
		if m.Password != pw || m.Port != 2525 || lb.BasicAuth.Username != `"`+pw || lb.BasicAuth.Password != "b"+pw ||
			lb.Tokens[0] != "lb-token-0123456789" {
			t.Errorf("%q: mail %+v, source %+v", pw, m, lb)
		}
	}
	flow := strings.Replace(raw, "tokens:\n      - ${LB_TOKEN}", "tokens: [${LB_TOKEN}, ${LB_OLD}]", 1)
	cfg, err := config.Parse("c.yaml", []byte(flow), env(map[string]string{
		"LB_TOKEN": "lb-token-0123456789", "LB_OLD": "lb-old-token-0123456789", "USER": "u", "BASIC": "b", "SMTP_PORT": "25", "SMTP_PASSWORD": "p",
	}))
	if err != nil || strings.Join(cfg.Sources["lb"].Tokens, ",") != "lb-token-0123456789,lb-old-token-0123456789" {
		t.Fatalf("flow list: %v %+v", err, cfg)
	}
}

// TestUnsetVariableUnderSystemdSaysWhereItComesFrom: a variable the
// operator exported in a shell, where syncd validate passed, is not in the
// service's environment; serve under systemd stopped with "environment
// variable SYNCD_EAF_TOKEN is not set" alone, at every restart. Where
// systemd runs syncd ($CREDENTIALS_DIRECTORY set) the problem says how a
// service gets it: a secret by a file and LoadCredential=, never the unit's
// Environment=, which systemd shows every local user (it said Environment=
// for the token); another setting by Environment=. From a shell it says no
// more.
func TestUnsetVariableUnderSystemdSaysWhereItComesFrom(t *testing.T) {
	raw := []byte("listen: ${SYNCD_ADDR}\nsources:\n  eaf:\n    kind: eaf\n    tokens: [\"${SYNCD_EAF_TOKEN}\"]\nmapping: {dir: ../../mappings/hubspot}\n")
	_, err := config.Parse("c.yaml", raw, env(map[string]string{"CREDENTIALS_DIRECTORY": t.TempDir()}))
	want := "c.yaml:5: environment variable SYNCD_EAF_TOKEN is not set, or is empty: a service has only the environment its unit gives it, " +
		"not a shell's: it is a secret: name a file instead (token_files:, token_file:, password_file:, dsn_file:) and load it with LoadCredential="
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Environment=SYNCD_EAF_TOKEN") {
		t.Errorf("under systemd: %v\nwant %q, and no Environment= for the token", err, want)
	}
	want = "c.yaml:1: environment variable SYNCD_ADDR is not set, or is empty: a service has only the environment its unit gives it, " +
		"not a shell's: set it with systemctl edit ([Service] Environment=SYNCD_ADDR=...)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("under systemd: %v\nwant %q", err, want)
	}
	raw = raw[len("listen: ${SYNCD_ADDR}\n"):]
	_, err = config.Parse("c.yaml", raw, env(nil))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:4: environment variable SYNCD_EAF_TOKEN is not set, or is empty") ||
		strings.Contains(err.Error(), "a service has only") {
		t.Errorf("from a shell: %v", err)
	}
}

// TestEmptyVariableIsNotSaidUnset: a variable set but empty (an
// Environment=NAME= line, an EnvironmentFile line left blank) expands to
// nothing, as one not set does, and was said "is not set", which systemctl
// show contradicted. The problem says both.
func TestEmptyVariableIsNotSaidUnset(t *testing.T) {
	raw := []byte("sources:\n  eaf:\n    kind: eaf\n    tokens:\n      - ${SYNCD_EAF_TOKEN}\nmapping: {dir: ../../mappings/hubspot}\n")
	_, err := config.Parse("c.yaml", raw, env(map[string]string{"SYNCD_EAF_TOKEN": ""}))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:5: environment variable SYNCD_EAF_TOKEN is not set, or is empty") {
		t.Errorf("an empty variable: %v", err)
	}
}
