package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestPrivacyCommandsOnPostgresNameItsBackups: on PostgreSQL syncd makes
// no backup (syncd backup refuses there) and knows none, yet export and
// erase named only "backups and replicas syncd backup did not make (cp,
// Litestream, disk snapshots)", the text export told the person
// "Backups that hold your data: 0", and purge said nothing of backups:
// a DPO read that no backup held the person, while every pg_dump file,
// base backup and WAL archive taken since does. They now name those, and
// purge says how old a backup may be before it holds what the retention
// no longer keeps.
func TestPrivacyCommandsOnPostgresNameItsBackups(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, pgStore(t, dir, pgtest.DSN(t))+"retention: {event_days: 30, outbox_days: 60}\n")
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	const pg = "pg_dump files, base backups, WAL archives"
	wrong := []string{"syncd backup did not make", "Litestream"}
	says := func(what, text string) {
		t.Helper()
		if !strings.Contains(text, pg) {
			t.Errorf("%s does not name PostgreSQL's backups (%s):\n%s", what, pg, text)
		}
		for _, w := range wrong {
			if strings.Contains(text, w) {
				t.Errorf("%s names %q, which is SQLite's:\n%s", what, w, text)
			}
		}
	}

	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "angela7913@hotmail.com")
	var ex struct {
		NotIncluded []string `json:"not_included"`
	}
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s", code, err, stderr)
	}
	says("export's not_included", strings.Join(ex.NotIncluded, "\n"))
	says("export's stderr", stderr)

	letter := filepath.Join(dir, "angela.txt")
	syncdOK(t, "export", "-config", config, "-email", "angela7913@hotmail.com", "-format", "text", "-out", letter)
	b, err := os.ReadFile(letter)
	if err != nil {
		t.Fatal(err)
	}
	says("the text export", string(b))
	if strings.Contains(string(b), "Backups that hold your data: 0") {
		t.Errorf("the text export tells the person no backup holds their data:\n%s", b)
	}

	says("erase", syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com"))

	purged := syncdOK(t, "purge", "-config", config)
	says("purge", purged)
	if !strings.Contains(purged, "taken more than 30 days ago (retention.event_days)") {
		t.Errorf("purge does not say how old a backup may be:\n%s", purged)
	}
}
