package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// pgStore is the store block of a configuration on PostgreSQL, its DSN
// read from a secret file as an operator would keep it.
func pgStore(t *testing.T, dir, dsn string) string {
	t.Helper()
	secret := filepath.Join(dir, "pg.dsn")
	if err := os.WriteFile(secret, []byte(dsn+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("store:\n  kind: postgres\n  dsn_file: %s\n", secret)
}

// TestMigrateStoreToPostgres runs an installation on SQLite, copies it into
// PostgreSQL with syncd migrate-store and runs it there: the same events,
// operations and CRM links; a delivery stored before is still a duplicate;
// a new lead is synced without making the old ones again.
func TestMigrateStoreToPostgres(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	lite := filepath.Join(dir, "sqlite.yaml")
	os.WriteFile(lite, []byte(crmConfig(dir, fakeURL, e2eLBToken)), 0o600)
	d := start(t, lite)
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	enquiry, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	paths := []string{"/hooks/eaf/" + e2eEAFToken, "/hooks/lokalebasen/" + e2eLBToken}
	bodies := [][]byte{lead, enquiry}
	var ids []string
	for i, p := range paths {
		a, err := post(d.url+p, bodies[i])
		if err != nil || a.Status != "accepted" {
			t.Fatalf("post %s: %+v %v", p, a, err)
		}
		ids = append(ids, a.ID)
	}
	// The CRM holding the records is not enough: the syncer records each
	// operation done after the CRM's answer, and a stop in between leaves
	// it pending (to be sent again, harmlessly), which the copy would keep.
	waitFor(t, "two contacts and two deals, recorded done", func() bool {
		s := fake.State()
		return len(s.Contacts) == 2 && len(s.Deals) == 2 &&
			len(syncdJSON(t, "outbox", "list", "-state", "done", "-json", "-config", lite)) == 4
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	before := syncdJSON(t, "events", "list", "-json", "-config", lite)

	pg := filepath.Join(dir, "postgres.yaml")
	os.WriteFile(pg, []byte(crmConfig(dir, fakeURL, e2eLBToken)+pgStore(t, dir, dsn)), 0o600)
	out, err := syncdCmd("migrate-store", "-to", "postgres", "-config", pg).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "events     2 rows") || !strings.Contains(string(out), "outbox     4 rows") {
		t.Fatalf("migrate-store: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "pg.dsn") || strings.Contains(string(out), "postgres@") {
		t.Fatalf("migrate-store printed the DSN: %s", out)
	}
	// Run again, it copies nothing (the events below are the same) and
	// says the copy is made (TestMigrateStoreRefusedBesideTheDaemon).
	if again, err := syncdCmd("migrate-store", "-to", "postgres", "-config", pg).CombinedOutput(); err != nil ||
		!strings.Contains(string(again), "nothing to copy again") {
		t.Fatalf("a second copy into the database the first filled: %v\n%s", err, again)
	}
	after := syncdJSON(t, "events", "list", "-json", "-config", pg)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("events differ after the copy:\n%v\n%v", before, after)
	}
	done := syncdJSON(t, "outbox", "list", "-json", "-state", "done", "-config", pg)
	if len(done) != 4 {
		t.Fatalf("%d done operations after the copy, want 4", len(done))
	}

	d = start(t, pg)
	for i, p := range paths {
		a, err := post(d.url+p, bodies[i])
		if err != nil || a.Status != "duplicate" || a.ID != ids[i] {
			t.Fatalf("redelivery on PostgreSQL: %+v %v; want duplicate of %s", a, err, ids[i])
		}
	}
	second := strings.NewReplacer(`"eaf_id": "77722226661727188822717"`, `"eaf_id": "2"`,
		"support@estateagentfeeds.com", "second@example.com").Replace(string(lead))
	if a, _ := post(d.url+paths[0], []byte(second)); a.Status != "accepted" || a.ID <= ids[1] {
		t.Fatalf("new lead on PostgreSQL: %+v", a)
	}
	waitFor(t, "the new lead in the CRM, recorded done", func() bool { // as above: the export below reads its links
		s := fake.State()
		return len(s.Contacts) == 3 && len(s.Deals) == 3 &&
			len(syncdJSON(t, "outbox", "list", "-state", "done", "-json", "-config", pg)) == 6
	})
	if dups := fake.State().Duplicates(); len(dups) > 0 {
		t.Fatalf("duplicates in the CRM: %v", dups)
	}
	var status []byte
	waitFor(t, "syncd status to show the instance leading", func() bool {
		status, _ = syncdCmd("status", "-config", pg).CombinedOutput()
		return strings.Contains(string(status), "cluster: 1 instance") &&
			strings.Contains(string(status), "listen "+strings.TrimPrefix(d.url, "http://")) &&
			strings.Contains(string(status), "leads report,sync")
	})
	// A manual sync beside the leader leaves the CRM to the leader.
	if out, err := syncdCmd("sync", "-config", pg).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "another instance leads the sync") {
		t.Fatalf("sync beside the leader: %v\n%s", err, out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Export runs on PostgreSQL: the new lead's event, operations and links.
	var ex struct {
		Events []struct{ ID int64 }    `json:"events"`
		Ops    []struct{ Kind string } `json:"crm_operations"`
		Links  []struct{ Key string }  `json:"crm_links"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", pg, "-email", "second@example.com")), &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Events) != 1 || len(ex.Ops) != 2 || len(ex.Links) != 2 {
		t.Fatalf("export on PostgreSQL: %+v; want 1 event, 2 operations, 2 links", ex)
	}
	// So does erase: nothing of the person is left to export.
	if out := syncdOK(t, "erase", "-config", pg, "-email", "second@example.com"); !strings.HasPrefix(out,
		"erased: 1 event, 0 quarantined bodies, 2 outbox operations, 2 CRM links") || !strings.Contains(out, "audit: subject ") {
		t.Fatalf("erase on PostgreSQL:\n%s", out)
	}
	if out := syncdOK(t, "export", "-config", pg, "-email", "second@example.com"); !strings.Contains(out, `"events": []`) {
		t.Fatalf("export after the erase:\n%s", out)
	}
	// The retention purge runs on PostgreSQL too (nothing is old enough yet).
	if out, err := syncdCmd("purge", "-config", pg).CombinedOutput(); err != nil ||
		!strings.HasPrefix(string(out), "purged: 0 event bodies, 0 quarantined bodies, 0 outbox operations") ||
		!strings.Contains(string(out), ", 0 idempotency keys past the duplicate window\n") {
		t.Fatalf("purge on PostgreSQL: %v\n%s", err, out)
	}
}
