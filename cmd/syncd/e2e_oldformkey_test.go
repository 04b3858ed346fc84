package main_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
)

// TestPersonKeyedByAnOlderFormOfTheirEmailIsTheSamePerson: an older syncd
// keyed a contact by the email as the sender wrote it, "mailto:" or a soft
// hyphen and all, and sent Pipedrive that as the person's email. Upgraded,
// the real binary keys the same person's next lead "jane@x.dk": the link
// under the old key was missed, Pipedrive's search for the new email
// found no one, and a second person was made. Here the older syncd's
// state is set between two runs (its database, at the schema it left,
// with the links' keys as it stored them; the persons' emails as it sent
// them); each person must stay one.
func TestPersonKeyedByAnOlderFormOfTheirEmailIsTheSamePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(cfg, []byte(pipedriveConfig(dir, fakeURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := syncdCmd("crm", "setup", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	lead := func(d *daemon, i int, email, phone string) {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"old-form-%d","email_source":"rightmove","contact_name":"Jane Holm",`+
			`"contact_email":%q,"contact_phone":%q,"contact_message_flat":"A viewing, please.","eaf_date":"2026-11-30T06:28:06+01:00"}`,
			i, email, phone)
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post lead %d: %+v %v", i, a, err)
		}
	}
	deals := func(n int) func() bool { return func() bool { return dealsOnAContact(fake) == n } }
	older := map[string]string{"jane@x.dk": "mailto:jane@x.dk", "kim@x.dk": "kim\u00ad@x.dk"}
	d := start(t, cfg)
	lead(d, 0, "jane@x.dk", "+4552250559")
	waitFor(t, "the first deal on its person", deals(1))
	lead(d, 1, "kim@x.dk", "+4552250560")
	waitFor(t, "the second deal on its person", deals(2))
	d.stop(t, syscall.SIGTERM)

	// The older syncd sent the address as written: each person's email in
	// Pipedrive is that form, which a search for today's misses.
	ids := map[string]string{} // by email, as syncd sent it
	for _, p := range fake.State().Contacts {
		if len(p.Emails) != 1 || older[p.Emails[0]] == "" {
			t.Fatalf("person %s has emails %q; want one of %v", p.ID, p.Emails, older)
		}
		ids[p.Emails[0]] = p.ID
		req, _ := http.NewRequest(http.MethodPatch, strings.TrimSuffix(fakeURL, "/api/v2")+"/api/v2/persons/"+p.ID,
			strings.NewReader(fmt.Sprintf(`{"emails":[{"value":%q,"primary":true}]}`, older[p.Emails[0]])))
		req.Header.Set("x-api-token", "fake-pipedrive-token")
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("the person's email as the older syncd sent it: %v %v", resp, err)
		} else {
			resp.Body.Close()
		}
	}
	// The older syncd's database, at the schema it left (15, before
	// 0016 keyed contacts as the mapper does today), holding what crm
	// setup kept (the fields' keys) and the links of this run, the
	// contacts' under the keys as it stored them.
	path := filepath.Join(dir, "data", "syncd.db")
	older15 := filepath.Join(t.TempDir(), "syncd.db")
	raw := sqlitetest.AtSchema(t, older15, 15)
	if _, err := raw.Exec(`ATTACH DATABASE ? AS today; INSERT INTO state SELECT name, value, updated_at FROM today.state;
		INSERT INTO crm_links (target, kind, key, crm_id, updated_at) SELECT target, kind, key, crm_id, updated_at FROM today.crm_links;
		DETACH DATABASE today`, path); err != nil {
		t.Fatal(err)
	}
	for now, old := range older {
		res, err := raw.Exec(`UPDATE crm_links SET key = ? WHERE kind = 'contact' AND key = ?`, old, now)
		if n, _ := res.RowsAffected(); err != nil || n != 1 {
			t.Fatalf("the link's key as an older syncd stored it: %d rows, %v", n, err)
		}
	}
	// Kim linked, earlier, under a third form to another person (here
	// Jane's id): the later link is kept, and the other one named to the
	// operator to merge, by its id alone.
	kim, jane := ids["kim@x.dk"], ids["jane@x.dk"]
	if _, err := raw.Exec(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
		VALUES ('pipedrive', 'contact', 'mailto:kim@x.dk', ?, '2026-11-01T00:00:00.000000Z')`, jane); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	if err := os.Rename(older15, path); err != nil {
		t.Fatal(err)
	}

	d = start(t, cfg)
	defer d.stop(t, syscall.SIGTERM)
	lead(d, 2, "jane@x.dk", "+4540404040")
	lead(d, 3, "Kim@X.dk", "+4540404041")
	waitFor(t, "the new deals on a person", deals(4))
	if st := fake.State(); len(st.Contacts) != 2 {
		t.Fatalf("%d persons, want 2: %+v", len(st.Contacts), st.Contacts)
	}
	for _, deal := range fake.State().Deals[2:] {
		if len(deal.ContactIDs) != 1 || deal.ContactIDs[0] != jane && deal.ContactIDs[0] != kim {
			t.Errorf("deal %s on %v; want Jane's %s or Kim's %s", deal.ID, deal.ContactIDs, jane, kim)
		}
	}
	want := fmt.Sprintf("one person is two Pipedrive persons, %s and %s: an older syncd keyed their email in two forms; "+
		"syncd updates person %s from now on and leaves person %s as it is: merge %s into %s in Pipedrive", kim, jane, kim, jane, jane, kim)
	if log := d.log(); !strings.Contains(log, want) || strings.Contains(log, "kim@x.dk") || strings.Contains(log, "jane@x.dk") {
		t.Errorf("the daemon's log should say %q, and no email:\n%s", want, log)
	}
}
