package main_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPersonLinkedUnderAnOlderEmailKeyIsTheSamePerson: before session 35
// an internationalised domain was keyed as the portal wrote it; a person
// linked then under "xn--mller-vua.dk" (here: the link's key set so in the
// file between two runs of the real binary, as the older syncd left it)
// whose next lead, after the upgrade, is keyed "møller.dk" must stay one
// Pipedrive person (which dedupes nothing): it was a second one.
func TestPersonLinkedUnderAnOlderEmailKeyIsTheSamePerson(t *testing.T) {
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
	lead := func(d *daemon, i int, phone string) {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"old-key-%d","email_source":"rightmove","contact_name":"Kim Møller",`+
			`"contact_email":"kim@møller.dk","contact_phone":%q,"contact_message_flat":"A viewing, please.","eaf_date":"2026-11-30T06:28:06+01:00"}`,
			i, phone)
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post lead %d: %+v %v", i, a, err)
		}
	}
	deals := func(n int) func() bool { return func() bool { return dealsOnAContact(fake) == n } }
	d := start(t, cfg)
	lead(d, 0, "+4552250559")
	waitFor(t, "the first deal on its person", deals(1))
	d.stop(t, syscall.SIGTERM)

	// The older syncd sent the address as written: the person's email in
	// Pipedrive is the xn-- form, which a search for today's misses.
	person := fake.State().Contacts[0].ID
	req, _ := http.NewRequest(http.MethodPatch, strings.TrimSuffix(fakeURL, "/api/v2")+"/api/v2/persons/"+person,
		strings.NewReader(`{"emails":[{"value":"kim@xn--mller-vua.dk","primary":true}]}`))
	req.Header.Set("x-api-token", "fake-pipedrive-token")
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the person's email as the older syncd sent it: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	raw, err := sql.Open("sqlite3", filepath.Join(dir, "data", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := raw.Exec(`UPDATE crm_links SET key = 'kim@xn--mller-vua.dk' WHERE key = 'kim@møller.dk'`)
	raw.Close()
	if n, _ := res.RowsAffected(); err != nil || n == 0 {
		t.Fatalf("the link's key as an older syncd stored it: %d rows, %v", n, err)
	}

	d = start(t, cfg)
	defer d.stop(t, syscall.SIGTERM)
	lead(d, 1, "+4540404040")
	waitFor(t, "the second deal on a person", deals(2))
	if st := fake.State(); len(st.Contacts) != 1 {
		t.Fatalf("%d persons, want 1: %+v", len(st.Contacts), st.Contacts)
	}
}

// dealsOnAContact counts the stand-in CRM's deals associated with a
// contact (a person).
func dealsOnAContact(fake *crmfake.Server) int {
	on := 0
	for _, deal := range fake.State().Deals {
		if len(deal.ContactIDs) > 0 {
			on++
		}
	}
	return on
}
