package mapping

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEmailTheCRMWouldRefuseIsLeftOut: an email that is no address (two
// @, a doubled dot, no dot in the domain) was sent as the
// contact's key: HubSpot refuses it (INVALID_EMAIL) and with it the whole
// lead, though its phone would have found the person. It is left out as
// one without @ is: the contact goes by its phone, and the event's reason
// (events list, syncd map) says which email was left out and why; without
// a phone the lead is unmappable, saying so. A plain address, a Danish
// letter in its local part included, is kept.
func TestEmailTheCRMWouldRefuseIsLeftOut(t *testing.T) {
	r, err := Load(mappingsDir+"/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	lead := func(email, phone string) Result {
		quoted, _ := json.Marshal(email) // as JSON writes a NUL
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":"Kim Hansen","contact_email":%s,"contact_phone":%q,"eaf_date":"2026-11-30T06:28:06+01:00"}`, quoted, phone)
		return r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", []byte(body)))
	}
	// A NUL or an address past RFC 5321's 254 bytes is no key either:
	// PostgreSQL refused its operations and held up every lead after it.
	// (The DNS root's trailing dot, "kim@x.dk.", is dropped instead:
	// TestSamePersonsEmailWrittenAnotherWayIsOneKey.)
	for _, e := range []string{"kim@@x.dk", "kim@x.dk..", "kim@x", ".kim@x.dk", "kim..h@x.dk", "kim@x..dk",
		"kim\x00@x.dk", strings.Repeat("k", 250) + "@x.dk"} {
		res := lead(e, "+44 20 3870 4550")
		if res.State != syncd.MapMapped || len(res.Ops) != 2 || res.Ops[0].Key != "+442038704550" ||
			res.Ops[0].Properties["email"] != "" || !strings.Contains(res.Reason, fmt.Sprintf("%q", e)) {
			t.Errorf("%q with a phone: %+v", e, res)
		}
		if res := lead(e, ""); res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, "no valid email") {
			t.Errorf("%q alone: %+v", e, res)
		}
	}
	// (A Danish letter in the domain: TestSamePersonsEmailWrittenAnotherWayIsOneKey.)
	for _, e := range []string{"kim.hansen+lead@mail.x-y.dk", "søren@x.dk"} {
		if res := lead(e, ""); res.State != syncd.MapMapped || res.Ops[0].Key != e || res.Reason != "" {
			t.Errorf("%q: %+v", e, res)
		}
	}
}
