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
	"time"
)

// TestStatusSaysMappingsEditedButNotReloaded: an operator edited a mapping
// file (or the configuration) under the running daemon and forgot
// systemctl reload syncd; syncd status said all was well, exit 0, while
// every lead went on being mapped with the files as the daemon loaded
// them. Status now compares the files the daemon loaded (their hashes, in
// /metrics) with those on disk: it names those changed, whether they
// would load, and the reload, exit 5, until the daemon is reloaded. An
// editor's backup (eaf.yaml~) or swap file (.eaf.yaml.swp), which the
// loader skips, is no change. The leads received since the first edit
// were mapped the old way, which nothing said: status says when it was
// written, and the replay that shows what they would become. A setting the daemon reads only at start
// (sync, report), changed and reloaded, was said by the reload's warning
// in the log alone, status exit 0: status names it with the restart, exit
// 5, and /metrics has it (syncd_config_restart_needed).
func TestStatusSaysMappingsEditedButNotReloaded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	raw, _ := os.ReadFile(config)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	status := func(what string, wantCode int, words ...string) string {
		t.Helper()
		out, stderr, code := syncdRun(t, "status", "-config", config)
		if code != wantCode {
			t.Fatalf("status %s: exit %d, want %d\n%s%s", what, code, wantCode, out, stderr)
		}
		mustContain(t, "status "+what, out, words...)
		return out
	}

	eaf := filepath.Join(maps, "eaf.yaml")
	data, _ := os.ReadFile(eaf)
	os.WriteFile(eaf+"~", append(data, "# the day before\n"...), 0o644)
	os.WriteFile(filepath.Join(maps, ".eaf.yaml.swp"), []byte("b0VIM 9.0"), 0o644)
	if out := status("beside an editor's backup and swap file", 0, "daemon"); strings.Contains(out, "CHANGED") {
		t.Fatalf("status beside an editor's backup and swap file:\n%s", out)
	}

	edited := strings.Replace(string(data), "event: email_lead", "event: email_lead\n    # edited", 1)
	os.WriteFile(eaf, []byte(edited), 0o644)
	written := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // report.time_zone's 09:00
	os.Chtimes(eaf, written, written)
	status("of a mapping edited", 5,
		"mappings CHANGED on disk since the daemon loaded them (maps/eaf.yaml; changed since 2026-11-30 09:00:00 +01:00): "+
			"leads are still mapped with the files as loaded; syncd reload -config "+sq(config)+" (syncd validate checks them first); "+
			"the leads received since were mapped with the files as loaded: once reloaded, "+
			"syncd replay -since 2026-11-30T09:00:00+01:00 -dry-run shows what mapping them again would change")

	os.WriteFile(eaf, []byte("rules: [\n"), 0o644)
	status("of a mapping that does not load", 5,
		"mappings CHANGED on disk since the daemon loaded them (maps/eaf.yaml; changed since ",
		"), and they would NOT LOAD as they are (maps/eaf.yaml:1: ",
		"syncd validate lists every problem): a reload would be rejected, and a restart would hold the mapping",
		"leads would be stored but none mapped or sent to the CRM until they load; fix them, then syncd reload -config "+sq(config))

	os.WriteFile(eaf, []byte(edited), 0o644)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"reloaded"`) })
	if out := status("once reloaded", 0, "daemon"); strings.Contains(out, "CHANGED") {
		t.Fatalf("status once reloaded:\n%s", out)
	}

	os.WriteFile(filepath.Join(maps, "extra.yaml"), []byte("rules: []\n"), 0o644)
	os.WriteFile(config, append(raw, "# edited\n"...), 0o600)
	status("of the configuration edited and a mapping added", 5,
		"configuration and mappings CHANGED on disk since the daemon loaded them ("+config+", maps/extra.yaml (new); changed since ")

	// A setting read only at start, reloaded: the reload said so in the
	// log alone, and status nothing, exit 0, the daemon syncing and
	// reporting as it started.
	os.Remove(filepath.Join(maps, "extra.yaml"))
	os.WriteFile(config, append(raw, "sync:\n  schedule: \"@every 5m\"\nreport:\n  keep_days: 30\n"...), 0o600)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the second reload", func() bool {
		return strings.Count(d.log(), `"reloaded"`) == 2 || strings.Contains(d.log(), "reload rejected")
	})
	out := status("of settings read only at start, reloaded", 5,
		"config        settings changed since the daemon started, read only at start: report.keep_days, sync.schedule: "+
			"the daemon runs on them as it started, a reload does not take them; kill "+strconv.Itoa(d.cmd.Process.Pid)+
			", then start it again as it was started, in ") // by hand: no unit restarts it
	if strings.Contains(out, "CHANGED") {
		t.Fatalf("status once reloaded:\n%s", out)
	}
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	mustContain(t, "metrics", string(metrics), `syncd_config_restart_needed{setting="report.keep_days"} 1`,
		`syncd_config_restart_needed{setting="sync.schedule"} 1`)
}
