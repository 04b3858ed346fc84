package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestLenientFindsTheDaemonInAFileThatDoesNotLoad: syncd status read the
// configuration as the daemon does and, the file broken by an edit the
// daemon refused to reload, stopped at its problems without looking for
// the daemon. Lenient gives the addresses and data_dir the file still
// says (a bad value, an unknown key, a bad indent below them), the
// defaults or SYNCD_LISTEN and SYNCD_DATA_DIR otherwise, with the problems.
func TestLenientFindsTheDaemonInAFileThatDoesNotLoad(t *testing.T) {
	head := "listen: 127.0.0.1:45123\ndata_dir: /srv/syncd\nmetrics:\n  listen: 127.0.0.1:45124\n"
	for _, c := range []struct {
		name, text            string
		env                   map[string]string
		listen, metrics, data string
		problem               string
	}{
		{"a bad value", head + "sync:\n  max_attempts: lots\n", nil, "127.0.0.1:45123", "127.0.0.1:45124", "/srv/syncd", "c.yaml:6:"},
		{"an unknown key", head + "sycn:\n  max_attempts: 3\n", nil, "127.0.0.1:45123", "127.0.0.1:45124", "/srv/syncd", `c.yaml:5: unknown key "sycn"`},
		{"a bad indent", head + "sync:\n  max_attempts: 3\n   batch_size: 5\n", nil, "127.0.0.1:45123", "127.0.0.1:45124", "/srv/syncd", "c.yaml:"},
		{"not YAML from its first line", "listen: [127.0.0.1:45123\n", nil, config.DefaultListen, "", config.DefaultDataDir, "c.yaml:"},
		{"the unit's environment", "listen: [127.0.0.1:45123\n", map[string]string{"SYNCD_LISTEN": "127.0.0.1:45125", "SYNCD_DATA_DIR": "/var/lib/syncd"},
			"127.0.0.1:45125", "", "/var/lib/syncd", "c.yaml:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(file, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Lenient(file, func(k string) string { return c.env[k] })
			if err == nil || !strings.Contains(err.Error(), filepath.Join(filepath.Dir(file), c.problem)) {
				t.Errorf("problems %v, want one at %s", err, c.problem)
			}
			if cfg == nil {
				t.Fatal("no configuration")
			}
			if cfg.Listen != c.listen || cfg.Metrics.Listen != c.metrics || cfg.DataDir != c.data || cfg.Store.Kind != config.StoreSQLite {
				t.Errorf("listen %q, metrics.listen %q, data_dir %q, store %q; want %q, %q, %q, sqlite",
					cfg.Listen, cfg.Metrics.Listen, cfg.DataDir, cfg.Store.Kind, c.listen, c.metrics, c.data)
			}
		})
	}
	if _, err := config.Lenient(filepath.Join(t.TempDir(), "none.yaml"), os.Getenv); err == nil {
		t.Error("a file not there read")
	}
}

// TestLenientSaysWhatItDidNotReach: a file broken above its data_dir (or
// listen) was read up to its problem and given the default data
// directory, and status reported on the database there as this
// configuration's. Lenient says which settings the file gives below where
// its read stopped (not Settled), so that status does not take their
// defaults for them; the one SYNCD_DATA_DIR or SYNCD_LISTEN gives is.
func TestLenientSaysWhatItDidNotReach(t *testing.T) {
	for _, c := range []struct {
		name, text   string
		env          map[string]string
		listen, data bool // settled
		wantListen   string
	}{
		{"broken below both", "listen: 127.0.0.1:45123\ndata_dir: /srv/syncd\nsync: [\n", nil, true, true, "127.0.0.1:45123"},
		{"broken between them", "listen: 127.0.0.1:45123\nsync: [\ndata_dir: /srv/syncd\n", nil, true, false, "127.0.0.1:45123"},
		{"broken above both", "\ufefflisten: [127.0.0.1:45123\r\ndata_dir: /srv/syncd\r\n", nil, false, false, config.DefaultListen},
		{"broken with no data_dir below", "listen: [127.0.0.1:45123\n", nil, false, true, config.DefaultListen},
		{"the unit's environment", "listen: [127.0.0.1:45123\ndata_dir: /srv/syncd\n",
			map[string]string{"SYNCD_DATA_DIR": "/var/lib/syncd", "SYNCD_LISTEN": "127.0.0.1:45125"}, true, true, "127.0.0.1:45125"},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(file, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Lenient(file, func(k string) string { return c.env[k] })
			if err == nil || cfg == nil {
				t.Fatalf("lenient read of a broken file: %v, %v", cfg, err)
			}
			if cfg.Settled("listen") != c.listen || cfg.Settled("data_dir") != c.data || cfg.Listen != c.wantListen {
				t.Errorf("listen %q settled %v, data_dir %q settled %v; want %q %v, %v",
					cfg.Listen, cfg.Settled("listen"), cfg.DataDir, cfg.Settled("data_dir"), c.wantListen, c.listen, c.data)
			}
		})
	}
}
