package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// numbersMapping maps a Lokalebasen event type that has no documented
// payload, whose numbers expressions read untyped.
const numbersMapping = `rules:
  - name: viewing
    source: lokalebasen
    event: viewing_booked
    contact:
      email: payload.email
      syncd_viewing_number: {expr: 'payload.n'}
`

// TestNumbersReachTheCRMAsTheSenderSentThem posts, through the real
// binary, leads whose numbers the stand-in HubSpot got changed: a
// location id written with an exponent lost its last digits
// (1.2345678901234567890123e22 went as 12345678901234568000000), as did
// a fraction of more than 17 digits (0.12345678901234567890), a number
// past 2^53 read by an expression of an undocumented event type lost its
// last digit (9007199254740993 as 9007199254740992), and
// 1e999999999 went as "+Inf", 1e-400 as "0". Each now reaches the CRM as
// sent, or, beyond any number a CRM holds, its lead is unmappable with the
// reason, sent nowhere. Numbers that went right (an id past 2^53 by a path,
// 1e21, 0.1, -0, "007", a phone sent as a number) are held to it.
func TestNumbersReachTheCRMAsTheSenderSentThem(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	maps := filepath.Join(dir, "mappings")
	if err := os.CopyFS(maps, os.DirFS("../../mappings/hubspot")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(maps, "numbers.yaml"), []byte(numbersMapping), 0o600); err != nil {
		t.Fatal(err)
	}
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "dir: "+shipped, "dir: "+maps, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)

	enquiry := func(email, id, phone string) string {
		return fmt.Sprintf(`{"event_type": "enquiry_created", "payload": {"location": {"id": %s, "external_key": ""},
			"enquiry": {"type": "client"}, "client": {"email": %q, "name": "Kim", "phone": %s}}}`, id, email, phone)
	}
	viewing := func(email, n string) string {
		return fmt.Sprintf(`{"event_type": "viewing_booked", "payload": {"email": %q, "n": %s}}`, email, n)
	}
	sent := []struct {
		email, body string
		prop, want  string // the property and what it holds; want "": the lead is unmappable
	}{
		{"exp@x.dk", enquiry("exp@x.dk", "1.2345678901234567890123e22", `"1"`), "syncd_location_id", "12345678901234567890123"},
		{"frac@x.dk", enquiry("frac@x.dk", "0.12345678901234567890", `"1"`), "syncd_location_id", "0.1234567890123456789"},
		{"inf@x.dk", enquiry("inf@x.dk", "1e999999999", `"1"`), "syncd_location_id", ""},
		{"tiny@x.dk", enquiry("tiny@x.dk", "1e-400", `"1"`), "syncd_location_id", ""},
		{"big@x.dk", enquiry("big@x.dk", "9007199254740993", `"1"`), "syncd_location_id", "9007199254740993"},
		{"e21@x.dk", enquiry("e21@x.dk", "1e21", `"1"`), "syncd_location_id", "1000000000000000000000"},
		{"tenth@x.dk", enquiry("tenth@x.dk", "0.1", `"1"`), "syncd_location_id", "0.1"},
		{"minus0@x.dk", enquiry("minus0@x.dk", "-0", `"1"`), "syncd_location_id", "-0"},
		{"zeros@x.dk", enquiry("zeros@x.dk", `"007"`, `"1"`), "syncd_location_id", "007"},
		{"phone@x.dk", enquiry("phone@x.dk", "1", "52250559"), "phone", "+4552250559"},
		{"view@x.dk", viewing("view@x.dk", "9007199254740993"), "syncd_viewing_number", "9007199254740993"},
		{"viewinf@x.dk", viewing("viewinf@x.dk", "1e999999999"), "syncd_viewing_number", ""},
	}
	for _, s := range sent {
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(s.body)); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", s.email, a, err)
		}
	}
	mapped, deals := 0, 0
	for _, s := range sent {
		if s.want != "" {
			mapped++
			if strings.Contains(s.body, "enquiry_created") {
				deals++
			}
		}
	}
	waitFor(t, "the mapped leads in the CRM", func() bool {
		st, associated := fake.State(), 0
		for _, dl := range st.Deals {
			if len(dl.ContactIDs) > 0 {
				associated++
			}
		}
		return len(st.Contacts) >= mapped && associated >= deals
	})
	props := map[string]map[string]string{}
	st := fake.State()
	for _, c := range st.Contacts {
		props[c.Properties["email"]] = c.Properties
	}
	for _, dl := range st.Deals { // a deal's properties under its contact's email
		for _, c := range st.Contacts {
			if len(dl.ContactIDs) > 0 && dl.ContactIDs[0] == c.ID {
				for k, v := range dl.Properties {
					props[c.Properties["email"]][k] = v
				}
			}
		}
	}
	events := syncdJSON(t, "events", "list", "-json", "-limit", "0", "-config", config)
	for _, s := range sent {
		p, inCRM := props[s.email]
		if s.want == "" {
			if inCRM {
				t.Errorf("%s: sent to the CRM as %s=%q, want its lead unmappable", s.email, s.prop, p[s.prop])
			}
			continue
		}
		if !inCRM || p[s.prop] != s.want {
			t.Errorf("%s: the CRM got %s=%q (in the CRM: %v), want %q", s.email, s.prop, p[s.prop], inCRM, s.want)
		}
	}
	unmappable := 0
	for _, ev := range events {
		if ev["map_state"] == "unmappable" {
			unmappable++
			if reason := fmt.Sprint(ev["map_error"]); !strings.Contains(reason, "beyond any number a CRM holds") {
				t.Errorf("unmappable for another reason: %s", reason)
			}
		}
	}
	if unmappable != len(sent)-mapped {
		t.Errorf("%d leads unmappable, want %d\n%v", unmappable, len(sent)-mapped, events)
	}
}
