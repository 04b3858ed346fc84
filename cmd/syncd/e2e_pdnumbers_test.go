package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// pdNumbersMapping maps a Lokalebasen event type that has no documented
// payload into Pipedrive number fields: a person's double, a deal's value
// and a monetary field.
const pdNumbersMapping = `fields:
  contact:
    syncd viewing number: {type: double}
  deal:
    syncd viewing amount: {type: monetary}
rules:
  - name: viewing
    source: lokalebasen
    event: viewing_booked
    contact:
      email: {path: payload.email, write: add}
      syncd viewing number: {expr: 'payload.n'}
    deal:
      title: {const: Viewing, write: create}
      syncd lead id: {expr: 'syncd.lead_id'}
      value: {expr: 'payload.n'}
      currency: {const: DKK}
      syncd viewing amount: {expr: 'payload.n'}
`

// TestPipedriveNumbersReachItAsTheSenderSentThem posts, through the real
// binary, leads whose numbers go into Pipedrive number fields (a person's
// double, a deal's value and a monetary field). The adapter sent each as
// a float64, so 9007199254740993 reached Pipedrive as 9007199254740992
// and 0.12345678901234567890 as 0.12345678901234568; HubSpot's adapter
// already sent the sender's digits. Now each goes as a JSON number of the
// digits sent (1.2345e3 as 1234.5), held to by a stand-in that keeps what
// it was sent.
func TestPipedriveNumbersReachItAsTheSenderSentThem(t *testing.T) {
	t.Parallel()
	fake, cfg, code := pipedriveWithMapping(t, "numbers.yaml", pdNumbersMapping)
	d := start(t, cfg)
	sent := map[string]string{ // email: the number as sent; want: as the fields hold it
		"big@x.dk":  "9007199254740993",
		"frac@x.dk": "0.12345678901234567890",
		"exp@x.dk":  "1.2345e3",
		"neg@x.dk":  "-45000.5",
	}
	want := map[string]string{"big@x.dk": "9007199254740993", "frac@x.dk": "0.1234567890123456789", "exp@x.dk": "1234.5", "neg@x.dk": "-45000.5"}
	for email, n := range sent {
		body := fmt.Sprintf(`{"event_type": "viewing_booked", "payload": {"email": %q, "n": %s}}`, email, n)
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", email, a, err)
		}
	}
	waitFor(t, "the persons and their deals", func() bool {
		st := fake.State()
		return len(st.Contacts) == len(sent) && len(st.Deals) == len(sent)
	})
	st := fake.State()
	for _, c := range st.Contacts {
		w := want[c.Email]
		if got := c.Properties["custom_fields."+code["syncd viewing number"]]; got != w {
			t.Errorf("%s: the person's double field holds %s, want %s", c.Email, got, w)
		}
		for _, dl := range st.Deals {
			if len(dl.ContactIDs) == 0 || dl.ContactIDs[0] != c.ID {
				continue
			}
			if got := dl.Properties["value"]; got != w {
				t.Errorf("%s: the deal's value is %s, want %s", c.Email, got, w)
			}
			if got, amount := dl.Properties["custom_fields."+code["syncd viewing amount"]], "value:"+w+"]"; !strings.Contains(got, amount) {
				t.Errorf("%s: the deal's monetary field holds %s, want the amount %s", c.Email, got, w)
			}
		}
	}
}

// pipedriveWithMapping starts a stand-in Pipedrive that checks values as
// API v2 does and writes the configuration of a syncd whose mappings are
// the shipped Pipedrive ones and file holding mapping, after syncd crm
// setup made their fields; code is each field's key by its name.
func pipedriveWithMapping(t *testing.T, file, mapping string) (fake *crmfake.Server, cfg string, code map[string]string) {
	t.Helper()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	dir := t.TempDir()
	shipped, _ := filepath.Abs("../../mappings/pipedrive")
	maps := editedPipedriveMappings(t, dir, func(s string) string { return s })
	if err := os.WriteFile(filepath.Join(maps, file), []byte(mapping), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg = filepath.Join(dir, "syncd.yaml")
	os.WriteFile(cfg, []byte(strings.Replace(pipedriveConfig(dir, fakeURL), shipped, maps, 1)), 0o600)
	if out, err := syncdCmd("crm", "setup", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	code = map[string]string{}
	for _, obj := range []string{"person", "deal"} {
		for _, f := range fake.Fields(obj) {
			code[f.Name] = f.Code
		}
	}
	return fake, cfg, code
}
