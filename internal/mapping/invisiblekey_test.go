package mapping

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAnInvisibleCharacterMakesNoSecondContact: a lead's email pasted from
// a web form or a mail with a zero-width space, a word joiner or a byte
// order mark in it ("kim@x.dk\u200b") was the key of a contact of its own:
// the person's next enquiry, typed cleanly, made a second contact in the
// CRM for one person. Invisible characters are no part of an address: the
// key, and the email sent, are the address without them. A no-break space
// inside an address is a space: the email is no address and is left out,
// as one with a plain space is. The phone, the key when there is no email,
// reads the same with or without them, and wrapped in the marks that keep
// it left to right, as a phone's contacts copy it. The directional marks
// (U+200E, U+200F, U+061C), which text keeps, are no part of an address
// either. The soft hyphen (U+00AD, from a
// word processor or a PDF) too: kept, HubSpot refused the address
// (INVALID_EMAIL) while syncd erase and export, which read past it, found
// the lead as the person's.
func TestAnInvisibleCharacterMakesNoSecondContact(t *testing.T) {
	r, err := Load(mappingsDir+"/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	lead := func(email, phone string) Result {
		e, _ := json.Marshal(email)
		p, _ := json.Marshal(phone)
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":"Kim Hansen","contact_email":%s,"contact_phone":%s,"eaf_date":"2026-11-30T06:28:06+01:00"}`, e, p)
		return r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", []byte(body)))
	}
	for _, e := range []string{"kim@x.dk\u200b", "\ufeffkim@x.dk", "kim\u2060@x.dk", "k\u200bim@x.\u200bdk", "kim@x.dk\u202c", "kim\u00ad@x.dk",
		"\u200ekim@x.dk", "kim@x.dk\u200f", "\u061ckim@x.dk"} {
		res := lead(e, "")
		if res.State != syncd.MapMapped || res.Ops[0].Key != "kim@x.dk" || res.Ops[0].Properties["email"] != "kim@x.dk" {
			t.Errorf("%q: %s %s, key %q, email %q", e, res.State, res.Reason, res.Ops[0].Key, res.Ops[0].Properties["email"])
		}
	}
	res := lead("kim\u00a0@x.dk", "+44 20 3870 4550")
	if res.State != syncd.MapMapped || res.Ops[0].Key != "+442038704550" || res.Ops[0].Properties["email"] != "" {
		t.Errorf("a no-break space inside the email: %s, key %q, email %q", res.State, res.Ops[0].Key, res.Ops[0].Properties["email"])
	}
	for _, p := range []string{"+44 20 3870\u200b 4550", "\u200b020 3870 4550", "+44\u00a020\u00a03870\u00a04550",
		"\u202a+44 20 3870 4550\u202c", "+44\u202f20\u202f3870\u202f4550"} {
		res := lead("", p)
		if res.State != syncd.MapMapped || res.Ops[0].Key != "+442038704550" {
			t.Errorf("phone %q: %s %s", p, res.State, res.Reason)
		}
	}
}

// TestAnAddressWrittenAsMailIsTheAddress: a lead's email taken from a
// mail or a web page comes as it was written there: with its name
// ("Jane Doe <jane@x.dk>", as a From line), in angle brackets, or as a
// link ("mailto:jane@x.dk"). The first two were left out as no address,
// and a lead without a phone was unmappable; the link was the contact's
// key and email, which HubSpot refuses with the record. Each is the
// address within it. A field of two addresses is the first's
// (TestTwoAddressesInTheEmailField).
func TestAnAddressWrittenAsMailIsTheAddress(t *testing.T) {
	r, err := Load(mappingsDir+"/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"Jane Doe <jane@x.dk>", "<jane@x.dk>", "mailto:jane@x.dk", "MAILTO:Jane@X.dk", `"Doe, Jane" <jane@x.dk>`} {
		body, _ := json.Marshal(map[string]string{"eaf_type": "email_lead", "eaf_id": "1", "contact_name": "Jane Doe",
			"contact_email": e, "eaf_date": "2026-11-30T06:28:06+01:00"})
		res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", body))
		if res.State != syncd.MapMapped || len(res.Ops) == 0 || res.Ops[0].Key != "jane@x.dk" || res.Ops[0].Properties["email"] != "jane@x.dk" {
			t.Errorf("%q: %s %s, ops %v", e, res.State, res.Reason, res.Ops)
		}
	}
	for _, e := range []string{"mailto:"} {
		body, _ := json.Marshal(map[string]string{"eaf_type": "email_lead", "eaf_id": "1", "contact_name": "Jane Doe",
			"contact_email": e, "contact_phone": "+44 20 3870 4550", "eaf_date": "2026-11-30T06:28:06+01:00"})
		res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", body))
		if res.State != syncd.MapMapped || len(res.Ops) == 0 || res.Ops[0].Key != "+442038704550" {
			t.Errorf("%q: %s %s, ops %v, want the phone's key", e, res.State, res.Reason, res.Ops)
		}
	}
}
