package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusThatCannotReadTheDSNSaysSo: syncd status run where it may not
// read the configuration's DSN file (a monitoring user, a cron job without
// the service's credentials) found the daemon at listen serving the
// configuration's database, and said that the daemon served another
// database: it compared the daemon's with none. It says it cannot tell,
// and why, beside the problem that names the file.
func TestStatusThatCannotReadTheDSNSaysSo(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	file := writeCRMConfigOnPort(t, dir, fakeURL, false, pgStore(t, dir, dsn))
	start(t, file)

	// Where status runs it may read neither the DSN file nor the daemon's
	// record in data_dir (root's and the service's alone).
	if err := os.Rename(filepath.Join(dir, "pg.dsn"), filepath.Join(dir, "pg.dsn.away")); err != nil {
		t.Fatal(err)
	}
	records, _ := filepath.Glob(filepath.Join(dir, "*", "syncd-serving.json"))
	if more, _ := filepath.Glob(filepath.Join(dir, "syncd-serving.json")); len(more) > 0 {
		records = append(records, more...)
	}
	for _, r := range records {
		if err := os.Remove(r); err != nil {
			t.Fatal(err)
		}
	}

	out, stderr, code := syncdRun(t, "status", "-config", file)
	if code != 2 {
		t.Errorf("status without the DSN: exit %d, want 2:\n%s%s", code, out, stderr)
	}
	if strings.Contains(stderr, "not this configuration's database") {
		t.Errorf("status without the DSN says the daemon serves another database:\n%s", stderr)
	}
	mustContain(t, "status without the DSN", stderr, filepath.Join(dir, "pg.dsn"),
		"status cannot tell whether that is this configuration's database: it could not read the configuration's DSN",
		"as a user who may read the DSN file")
}
