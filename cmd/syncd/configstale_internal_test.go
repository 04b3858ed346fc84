package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// staleFixture writes a configuration and a copy of the shipped HubSpot
// mappings into a temporary folder and loads them as the daemon does.
func staleFixture(t *testing.T) (file, maps string, cfg *config.Config, rules *mapping.Rules) {
	t.Helper()
	dir := t.TempDir()
	maps = filepath.Join(dir, "maps")
	os.Mkdir(maps, 0o755)
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../mappings/hubspot", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(maps, name), data, 0o644)
	}
	file = filepath.Join(dir, "syncd.yaml")
	yaml := "listen: 127.0.0.1:0\ndata_dir: " + filepath.Join(dir, "data") +
		"\nsources:\n  eaf:\n    kind: eaf\n    tokens: [eaf-token-0123456789]\nmapping:\n  dir: " + maps + "\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(file, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if rules, err = loadRules(cfg, "dryrun"); err != nil {
		t.Fatal(err)
	}
	return file, maps, cfg, rules
}

// gaugeOf reads a plain gauge of m's registry.
func gaugeOf(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == name {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no %s", name)
	return 0
}

// TestPrometheusAndSystemdSeeMappingsNotReloaded: a mapping file edited
// under the daemon and not reloaded showed nowhere: the daemon, comparing
// what it loaded with the files on disk (every 15 s), counts the files
// changed in syncd_config_stale_files, warns once in the log, and says it
// on the systemd status line; an editor's backup beside them is none, and
// a reload (what it loaded again) clears them. syncd status, from the
// /metrics the daemon exports, names them at once, exit 5.
func TestPrometheusAndSystemdSeeMappingsNotReloaded(t *testing.T) {
	t.Parallel()
	file, maps, cfg, rules := staleFixture(t)
	var log bytes.Buffer
	d := &daemon{file: file, log: zerolog.New(&log), metrics: metrics.New("1.4.0"), line: &statusLine{}}
	d.line.servingOn("127.0.0.1:8080")
	d.setLoaded(loadedOf(file, cfg, rules))
	eaf := filepath.Join(maps, "eaf.yaml")
	data, _ := os.ReadFile(eaf)
	os.WriteFile(eaf+"~", append(data, "# the day before\n"...), 0o644)
	d.checkLoaded()
	if n := gaugeOf(t, d.metrics, metrics.NameConfigStale); n != 0 || d.line.sent != "serving on 127.0.0.1:8080" {
		t.Fatalf("beside an editor's backup: %v files stale, status line %q", n, d.line.sent)
	}

	os.WriteFile(eaf, append(data, "# edited\n"...), 0o644)
	written := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	os.Chtimes(eaf, written, written)
	d.checkLoaded()
	d.checkLoaded() // said once
	if n := gaugeOf(t, d.metrics, metrics.NameConfigStale); n != 1 {
		t.Errorf("a mapping edited: %v files stale, want 1", n)
	}
	if at := gaugeOf(t, d.metrics, metrics.NameConfigStaleSince); at != float64(written.Unix()) {
		t.Errorf("changed since %v, want %v: when it was written", at, written.Unix())
	}
	if want := "ATTENTION: mappings CHANGED on disk, not reloaded: syncd status (serving on 127.0.0.1:8080)"; d.line.sent != want {
		t.Errorf("status line:\n got %q\nwant %q", d.line.sent, want)
	}
	if got := strings.Count(log.String(), `"files":["maps/eaf.yaml"],"message":"mappings changed on disk since loaded`); got != 1 {
		t.Errorf("logged %d times, want once:\n%s", got, log.String())
	}

	s := snapshotOver(t, d.metrics)
	(&cli{getenv: os.Getenv}).staleOf(&s, clock{loc: time.UTC})
	var out bytes.Buffer
	writeStatus(&out, clock{loc: time.UTC}, s)
	if want := "config        mappings CHANGED on disk since the daemon loaded them (maps/eaf.yaml; changed since 2026-11-30 08:00:00 +00:00)"; !strings.Contains(out.String(), want) {
		t.Errorf("status:\n%s\nwant %s", out.String(), want)
	}
	if s.OutboxKnown = true; !s.needsAttention() {
		t.Error("mappings not reloaded need no attention")
	}

	reloaded, err := loadRules(cfg, "dryrun")
	if err != nil {
		t.Fatal(err)
	}
	d.setLoaded(loadedOf(file, cfg, reloaded))
	if n := gaugeOf(t, d.metrics, metrics.NameConfigStale); n != 0 || d.line.sent != "serving on 127.0.0.1:8080" ||
		gaugeOf(t, d.metrics, metrics.NameConfigStaleSince) != 0 {
		t.Errorf("once reloaded: %v files stale, status line %q", n, d.line.sent)
	}
	s = snapshotOver(t, d.metrics)
	(&cli{getenv: os.Getenv}).staleOf(&s, clock{loc: time.UTC})
	if s.Stale != "" || s.StaleUnread != "" {
		t.Errorf("status once reloaded: %q", s.Stale)
	}
}

// TestStatusLineSaysASettingWaitsForARestart: settings changed and
// reloaded that the daemon reads only at start are on the systemd status
// line and in /metrics until a reload finds none (the setting put back),
// as syncd status says them.
func TestStatusLineSaysASettingWaitsForARestart(t *testing.T) {
	t.Parallel()
	d := &daemon{metrics: metrics.New("1.4.0"), line: &statusLine{}}
	d.line.servingOn("127.0.0.1:8080")
	d.restartNeeded([]string{"report", "sync"})
	if want := "ATTENTION: settings read only at start CHANGED (report, sync): systemctl restart syncd (serving on 127.0.0.1:8080)"; d.line.sent != want {
		t.Errorf("status line:\n got %q\nwant %q", d.line.sent, want)
	}
	s := snapshotOver(t, d.metrics)
	if s.OutboxKnown = true; strings.Join(s.RestartNeeded, ",") != "report,sync" || !s.needsAttention() {
		t.Errorf("status reads %v from /metrics (attention %v)", s.RestartNeeded, s.needsAttention())
	}
	d.restartNeeded(nil)
	if s := snapshotOver(t, d.metrics); len(s.RestartNeeded) != 0 || d.line.sent != "serving on 127.0.0.1:8080" {
		t.Errorf("once reloaded with the settings put back: %v, status line %q", s.RestartNeeded, d.line.sent)
	}
}

// TestLoadedMappingsOfAFolderNamedWithADot: a mapping.dir whose last
// element is "." (mappings/., or . for a daemon started in the folder)
// names its files "./eaf.yaml" as loaded, and "maps/eaf.yaml" by its
// absolute path, which the daemon compares with the files on disk: they
// are the same files, unchanged.
func TestLoadedMappingsOfAFolderNamedWithADot(t *testing.T) {
	t.Parallel()
	file, maps, cfg, _ := staleFixture(t)
	cfg.Mapping.Dir = maps + "/."
	rules, err := loadRules(cfg, "dryrun")
	if err != nil {
		t.Fatal(err)
	}
	s, err := loadedOf(file, cfg, rules).changedOnDisk()
	if err != nil || len(s.files) != 0 {
		t.Errorf("unchanged files of %s: %v changed (%v)", cfg.Mapping.Dir, s.files, err)
	}
}

// TestCredentialOfAnInstanceIsComparedWithItsOwnFile: syncd@shop's
// credentials are copied from /etc/syncd/credentials/shop/, beside
// syncd.service's in /etc/syncd/credentials/: status compares its copy
// with its own file, not with syncd.service's of the same name (which
// would say every instance's credential changed).
func TestCredentialOfAnInstanceIsComparedWithItsOwnFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(path, body string) {
		t.Helper()
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "credentials", "hubspot-token"), "service-token\n")
	write(filepath.Join(dir, "credentials", "shop", "hubspot-token"), "shop-token\n")
	copied := filepath.Join(dir, "run", "hubspot-token")
	write(copied, "shop-token\n")
	shop := filepath.Join(dir, "shop.yaml")
	if got := credentialsChanged(shop, []string{copied}); len(got) != 0 {
		t.Errorf("syncd@shop's copy of its own token said changed: %+v", got)
	}
	write(filepath.Join(dir, "credentials", "shop", "hubspot-token"), "new-shop-token\n")
	got := credentialsChanged(shop, []string{copied})
	if len(got) != 1 || got[0].Path != filepath.Join(dir, "credentials", "shop", "hubspot-token") || !got[0].Restart {
		t.Errorf("syncd@shop's token written since it started: %+v, want its file, a restart", got)
	}
	if got := credentialsChanged(filepath.Join(dir, "syncd.yaml"), []string{copied}); len(got) != 1 ||
		got[0].Path != filepath.Join(dir, "credentials", "hubspot-token") {
		t.Errorf("syncd.service's copy: %+v, want its file in credentials/", got)
	}
	if line := secretsLine(got); strings.Contains(line, "service-token") || strings.Contains(line, "new-shop-token") {
		t.Errorf("the line shows a secret: %s", line)
	}
}

// TestLogSaysTheRestartASecretReadAtStartNeeds: the SMTP password file
// edited under the daemon (read only at start) was logged as taken by
// "systemctl reload syncd", which does not take it (status said restart);
// the warning now names it and the restart, and a token file edited as
// well keeps the reload.
func TestLogSaysTheRestartASecretReadAtStartNeeds(t *testing.T) {
	t.Parallel()
	file, _, _, _ := staleFixture(t)
	dir := filepath.Dir(file)
	password, token := filepath.Join(dir, "smtp-password"), filepath.Join(dir, "eaf-token")
	os.WriteFile(password, []byte("smtp-secret-0123456789\n"), 0o600)
	os.WriteFile(token, []byte("eaf-token-from-file-0123\n"), 0o600)
	yaml, _ := os.ReadFile(file)
	yaml = bytes.Replace(yaml, []byte("    tokens: [eaf-token-0123456789]\n"),
		[]byte("    token_files: ["+token+"]\n"), 1)
	yaml = append(yaml, "report:\n  mail:\n    host: 127.0.0.1\n    username: reports\n    password_file: "+password+
		"\n    from: reports@example.com\n    to: [manager@example.com]\n"...)
	os.WriteFile(file, yaml, 0o600)
	cfg, err := config.Load(file, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := loadRules(cfg, "dryrun")
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	d := &daemon{file: file, log: zerolog.New(&log), metrics: metrics.New("1.4.0"), line: &statusLine{}}
	d.setLoaded(loadedOf(file, cfg, rules))

	os.WriteFile(password, []byte("smtp-secret-changed-0123\n"), 0o600)
	d.checkLoaded()
	if got := log.String(); !strings.Contains(got, "systemctl restart syncd") || !strings.Contains(got, "report.mail.password_file") ||
		strings.Contains(got, "systemctl reload syncd") || strings.Contains(got, "smtp-secret") {
		t.Errorf("the SMTP password edited, logged:\n%s", got)
	}

	log.Reset()
	os.WriteFile(token, []byte("eaf-token-changed-012345\n"), 0o600)
	d.checkLoaded()
	if got := log.String(); !strings.Contains(got, "systemctl reload syncd") || !strings.Contains(got, "systemctl restart syncd") {
		t.Errorf("the SMTP password and a token edited, logged:\n%s", got)
	}
}

// TestTheLogSaysMappingsChangedOnDiskWouldNotLoad: a mapping broken under
// the daemon was logged as "mappings changed on disk since loaded: ...
// (syncd status says whether they load)": someone reading the journal
// alone learnt nothing of it until a restart. The line now says the first
// problem and what a reload and a restart would do, and is said again when
// the files load once more.
func TestTheLogSaysMappingsChangedOnDiskWouldNotLoad(t *testing.T) {
	t.Parallel()
	file, maps, cfg, rules := staleFixture(t)
	var log bytes.Buffer
	d := &daemon{file: file, log: zerolog.New(&log), metrics: metrics.New("1.4.0"), line: &statusLine{}}
	d.setLoaded(loadedOf(file, cfg, rules))
	eaf := filepath.Join(maps, "eaf.yaml")
	good, _ := os.ReadFile(eaf)
	os.WriteFile(eaf, []byte("rules: [\n"), 0o644)
	d.checkLoaded()
	d.checkLoaded() // said once
	broken := `"would_not_load":"maps/eaf.yaml:1: `
	if n := strings.Count(log.String(), broken); n != 1 || !strings.Contains(log.String(), "as they are on disk they would NOT load: "+
		"a reload would be rejected, and a restart would hold the mapping (deliveries stored, none mapped until they load)") {
		t.Fatalf("a mapping broken under the daemon, logged %d times:\n%s", n, log.String())
	}
	os.WriteFile(eaf, append(good, "# edited\n"...), 0o644)
	d.checkLoaded()
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if last := lines[len(lines)-1]; len(lines) != 2 || strings.Contains(last, "would_not_load") || !strings.Contains(last, "mappings changed on disk since loaded") {
		t.Errorf("once the edit loads, the log:\n%s", log.String())
	}
}
