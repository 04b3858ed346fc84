package main_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestBodiesPostgresCannotKeyAreStoredAndMapped: JSON lets a string hold
// a NUL (\u0000) and be as long as the body, and syncd keyed events and
// CRM operations by the sender's strings in PostgreSQL text columns, which
// refuse a NUL, and in indexes, which refuse a key of kilobytes. An Estate
// Agent Feeds delivery whose eaf_type or eaf_id held a NUL, or whose
// eaf_id ran to kilobytes, was answered 503 at every retry (the store
// "failing") and lost; a lead whose email held a NUL or ran to kilobytes
// was stored, but its operations could not be recorded, and every lead
// received after it stayed unmapped, for good, with nothing in status. Each
// is now stored and answered 200, its retry a duplicate: a type with a
// NUL is no type (unrecognised), such an id is no id (the
// body's hash keys it), such an email is no address (the contact goes by
// its phone), and the leads after them reach the CRM.
func TestBodiesPostgresCannotKeyAreStoredAndMapped(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(crmConfig(dir, fakeURL, e2eLBToken)+pgStore(t, dir, pgtest.DSN(t))), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	long := func(n int) string { // random, so that no index compresses it
		b := make([]byte, n/2)
		rand.Read(b)
		return hex.EncodeToString(b)
	}
	lead := func(id, email, phone string) []byte { // email as written in JSON
		return fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":%q,"contact_name":"Kim","contact_email":"%s","contact_phone":%q}`, id, email, phone)
	}
	for _, c := range []struct {
		name  string
		body  []byte
		again bool // its retry must be a duplicate
	}{
		{"eaf_type with a NUL", []byte(`{"eaf_type":"email\u0000lead","eaf_id":"nul-type","contact_email":"nul-type@example.com"}`), true},
		{"eaf_id with a NUL", []byte(`{"eaf_type":"email_lead","eaf_id":"nul\u0000id","contact_email":"nul-id@example.com"}`), true},
		{"eaf_id of 20 kB", lead(long(20000), "long-id@example.com", ""), true},
		{"email with a NUL", lead("nul-email", `kim\u0000@example.com`, "+44 20 3870 4551"), false},
		{"email of 20 kB", lead("long-email", long(20000)+"@example.com", "+44 20 3870 4552"), false},
	} {
		a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, c.body)
		if err != nil || a.Code != 200 || a.Status != "accepted" {
			t.Errorf("%s: %+v %v; want 200 accepted", c.name, a, err)
			continue
		}
		if r, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, c.body); c.again && (err != nil || r.Status != "duplicate" || r.ID != a.ID) {
			t.Errorf("%s sent again: %+v %v; want a duplicate of event %s", c.name, r, err, a.ID)
		}
	}
	postTestdata(t, d, "eaf/email_lead.json")
	// Every lead but the unrecognised one: the two keyed by their email,
	// the two by their phone, and the documented example.
	var s crmfake.State
	waitFor(t, "5 contacts and 5 deals", func() bool {
		s = fake.State()
		return len(s.Contacts) == 5 && len(s.Deals) == 5
	})
	for _, phone := range []string{"+442038704551", "+442038704552"} {
		if len(s.ContactsByPhone[phone]) != 1 {
			t.Errorf("contacts with phone %s: %d; want 1, keyed by it", phone, len(s.ContactsByPhone[phone]))
		}
	}
}
