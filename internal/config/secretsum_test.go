package config_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSecretSumIsOfWhatLoadRead: the sum a daemon compares the secret
// files with is of the secret Load read (its trailing newline trimmed),
// whatever the file holds after: a token written just after Load is not
// taken for the one loaded. The store's DSN file is read, and summed,
// without the other secrets too; a file Load did not read has none.
func TestSecretSumIsOfWhatLoadRead(t *testing.T) {
	dir, file := storeConfig(t, "store: {kind: postgres, dsn_file: pg.dsn}\ncrm: {kind: hubspot, hubspot: {token_file: hs-token}}\n")
	creds := filepath.Join(dir, "creds")
	os.Mkdir(creds, 0o700)
	dsn, token := filepath.Join(creds, "pg.dsn"), filepath.Join(creds, "hs-token")
	os.WriteFile(dsn, []byte("postgres://u:loaded@db/syncd\n"), 0o600)
	os.WriteFile(token, []byte("hubspot-token-as-loaded\r\n"), 0o600)
	vars := env(map[string]string{"CREDENTIALS_DIRECTORY": creds})
	cfg, err := config.Load(file, vars)
	if err != nil {
		t.Fatal(err)
	}
	noSecrets, err := config.LoadWithoutSecrets(file, vars)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dsn, []byte("postgres://u:written-after@db/syncd\n"), 0o600)
	os.WriteFile(token, []byte("hubspot-token-written-after\n"), 0o600)

	for _, c := range []struct {
		cfg  *config.Config
		path string
		want string // "": no sum
	}{
		{cfg, token, "hubspot-token-as-loaded"},
		{cfg, dsn, "postgres://u:loaded@db/syncd"},
		{noSecrets, dsn, "postgres://u:loaded@db/syncd"},
		{noSecrets, token, ""},
		{cfg, filepath.Join(dir, "hs-token"), ""}, // not where Load read it
	} {
		sum, ok := c.cfg.SecretSum(c.path)
		if c.want == "" {
			if ok {
				t.Errorf("%s: a sum of a file not read", c.path)
			}
			continue
		}
		if !ok || sum != sha256.Sum256([]byte(c.want)) {
			t.Errorf("%s: sum %x (%v), want that of %q, what Load read", c.path, sum, ok, c.want)
		}
	}
}
