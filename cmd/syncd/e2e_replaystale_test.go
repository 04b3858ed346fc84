package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReplayBesideADaemonOnOldMappingsSaysToReload: an operator fixes a
// mapping on disk and runs syncd replay, which maps the stored leads with
// the files on disk. The daemon, not reloaded, goes on mapping every new
// lead with the files it loaded: replay said nothing of it. It warns, naming
// the file changed and the reload, and says nothing once the daemon runs
// on the files on disk.
func TestReplayBesideADaemonOnOldMappingsSaysToReload(t *testing.T) {
	t.Parallel()
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	maps := filepath.Join(dir, "maps")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../mappings/hubspot", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(maps, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := writeCRMConfigOnPort(t, dir, fakeURL, false)
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	b, _ := os.ReadFile(config)
	if err := os.WriteFile(config, []byte(strings.Replace(string(b), "dir: "+shipped, "dir: "+maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	start(t, config)

	replay := func() string {
		t.Helper()
		out, stderr, code := syncdRun(t, "replay", "-config", config)
		if code != 0 {
			t.Fatalf("replay: exit %d\n%s%s", code, out, stderr)
		}
		return stderr
	}
	if stderr := replay(); strings.Contains(stderr, "reload") {
		t.Fatalf("replay beside a daemon on the files on disk warned:\n%s", stderr)
	}

	file := filepath.Join(maps, "eaf.yaml")
	b, _ = os.ReadFile(file)
	const was = "description: {expr: 'default(htmlToText(contact_message_html), contact_message_flat)'}"
	if !strings.Contains(string(b), was) {
		t.Fatalf("mappings/hubspot/eaf.yaml no longer maps the description as %s", was)
	}
	fixed := strings.Replace(string(b), was,
		`description: {expr: '"Fixed: " + default(htmlToText(contact_message_html), contact_message_flat)'}`, 1)
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr := replay()
	for _, want := range []string{"eaf.yaml", "systemctl reload syncd", "syncd reload -config " + config} {
		if !strings.Contains(stderr, want) {
			t.Errorf("replay with the daemon on the old mapping: stderr lacks %q:\n%s", want, stderr)
		}
	}

	if out, stderr, code := syncdRun(t, "reload", "-config", config); code != 0 {
		t.Fatalf("reload: exit %d\n%s%s", code, out, stderr)
	}
	if stderr := replay(); strings.Contains(stderr, "reload") {
		t.Errorf("replay after the reload still warned:\n%s", stderr)
	}
}
