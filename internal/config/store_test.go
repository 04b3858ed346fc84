package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// storeConfig writes a minimal configuration with the given store block.
func storeConfig(t *testing.T, store string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [\"a-token-0123456789\"]\n" +
		"mapping:\n  dir: " + filepath.Join(dir, "maps") + "\n" + store
	file = filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

func TestStoreDefaultsToSQLite(t *testing.T) {
	_, file := storeConfig(t, "")
	cfg, err := config.Load(file, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store.Kind != config.StoreSQLite || cfg.Store.DSN != "" {
		t.Errorf("store = %+v, want sqlite", cfg.Store)
	}
}

func TestStorePostgresDSNFromEnvOrFile(t *testing.T) {
	_, file := storeConfig(t, "store: {kind: postgres, dsn: \"${PG_DSN}\"}\n")
	cfg, err := config.Load(file, env(map[string]string{"PG_DSN": "postgres://u:pw@db/syncd"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store.DSN != "postgres://u:pw@db/syncd" {
		t.Errorf("dsn from env = %q", cfg.Store.DSN)
	}
	dir, file := storeConfig(t, "store: {kind: postgres, dsn_file: pg.dsn}\n")
	os.WriteFile(filepath.Join(dir, "pg.dsn"), []byte("postgres://u:secret@db/syncd\n"), 0o600)
	if cfg, err = config.Load(file, env(nil)); err != nil {
		t.Fatal(err)
	}
	if cfg.Store.DSN != "postgres://u:secret@db/syncd" {
		t.Errorf("dsn from file = %q", cfg.Store.DSN)
	}
}

// TestAnEmptyOrMissingDSNFileIsOneProblem: a pg.dsn left empty (or not
// there) was two problems, "store.kind postgres needs store.dsn or store.dsn_file",
// of a configuration that names its dsn_file, and the one that says what
// is wrong, "secret file … is empty": that one alone is said.
func TestAnEmptyOrMissingDSNFileIsOneProblem(t *testing.T) {
	for content, want := range map[string]string{"": "pg.dsn is empty", "\n": "pg.dsn is empty", "missing": "read secret: "} {
		dir, file := storeConfig(t, "store: {kind: postgres, dsn_file: pg.dsn}\n")
		if content != "missing" {
			os.WriteFile(filepath.Join(dir, "pg.dsn"), []byte(content), 0o600)
		}
		_, err := config.Load(file, env(nil))
		if err == nil || strings.Count(err.Error(), "\n") > 0 || !strings.Contains(err.Error(), want) {
			t.Errorf("pg.dsn %q: error %v, want one problem saying %q", content, err, want)
		}
	}
}

func TestStoreProblems(t *testing.T) {
	for store, want := range map[string]string{
		"store: {kind: postgres}\n": "syncd.yaml:7: store.kind postgres needs store.dsn or store.dsn_file",
		"store: {kind: mysql}\n":    `syncd.yaml:7: store.kind "mysql" is not sqlite or postgres`,
	} {
		_, file := storeConfig(t, store)
		_, err := config.Load(file, env(nil))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", store, err, want)
		}
	}
}

// TestADSNWithoutKindPostgresIsSaid: store: {dsn: ...} without kind:
// postgres loaded, the store's kind defaulting to sqlite, and every
// instance set up so kept a database of its own in its data_dir, no word
// said. Now it is a problem at the dsn's line saying to add kind:
// postgres; beside kind: sqlite written out, a warning that it is not used.
func TestADSNWithoutKindPostgresIsSaid(t *testing.T) {
	_, file := storeConfig(t, "store:\n  dsn: \"${PG_DSN}\"\n")
	_, err := config.Load(file, env(map[string]string{"PG_DSN": "postgres://u:pw@db/syncd"}))
	if err == nil || !strings.Contains(err.Error(), "syncd.yaml:8: store.dsn is for PostgreSQL, but store.kind is sqlite (the default): add kind: postgres") {
		t.Errorf("dsn without kind: %v", err)
	}
	_, file = storeConfig(t, "store:\n  kind: sqlite\n  dsn_file: pg.dsn\n")
	cfg, err := config.Load(file, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if w := fmt.Sprint(cfg.Warnings); !strings.Contains(w, "syncd.yaml:9: store.dsn_file is not used: store.kind is sqlite") {
		t.Errorf("dsn_file beside kind: sqlite: warnings %s", w)
	}
}
