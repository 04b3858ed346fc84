package mapping

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestADealIsNotNamedAfterAnEmailLeftOut: a lead without a name whose
// email the mapper left out as no address the CRM takes (HubSpot's
// "kim@hotmail.con", a known typo; "kim@hotmail" without a top-level
// domain; "kim@@x.dk") had its contact keyed by its phone, but the shipped
// mappings named the deal after the refused address ("Lokalebasen K1:
// kim@hotmail.con"), and Pipedrive's person too: the salesperson read an
// address that bounces as the client's. Such a deal, and such a person,
// is named after the phone the contact goes by, as the contact's phone
// property shows it; an address the CRM takes (Pipedrive takes any
// ending) and a name still name it.
func TestADealIsNotNamedAfterAnEmailLeftOut(t *testing.T) {
	lead := func(kind syncd.Kind, name, email string) syncd.Event {
		if kind == syncd.KindEAF {
			b, _ := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "email_source": "rightmove",
				"contact_name": name, "contact_email": email, "contact_phone": "020 3870 4550", "eaf_reference": "87654321"})
			return testEvent(kind, "email_lead", "eaf:1", b)
		}
		b, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
			"location": map[string]any{"id": "1", "external_key": "K1"},
			"client":   map[string]any{"name": name, "email": email, "phone": "52 25 05 59"}}})
		return testEvent(kind, "enquiry_created", "lb:1", b)
	}
	prefix := map[syncd.Kind]string{syncd.KindEAF: "Rightmove enquiry 87654321: ", syncd.KindLokalebasen: "Lokalebasen K1: "}
	phone := map[syncd.Kind]string{syncd.KindEAF: "+442038704550", syncd.KindLokalebasen: "+4552250559"}
	for _, tc := range []struct {
		target, name, email string
		want                string // the deal's name after its prefix, and the Pipedrive person's; "" for the phone
	}{
		{"hubspot", "", "kim@hotmail.con", ""},
		{"hubspot", "", "kim@hotmail", ""},
		{"hubspot", "", "Kim@@x.dk", ""},
		{"hubspot", "", "Kim Hansen <kim@x.dk>", "kim@x.dk"},
		{"hubspot", "Kim Hansen", "kim@hotmail.con", "Kim Hansen"},
		{"pipedrive", "", "kim@hotmail", ""},
		{"pipedrive", "", "kim@@x.dk", ""},
		{"pipedrive", "", "kim@hotmail.con", "kim@hotmail.con"}, // Pipedrive's contact has this email
		{"pipedrive", "Kim Hansen", "kim@@x.dk", "Kim Hansen"},
	} {
		rules, err := Load(filepath.Join(mappingsDir, tc.target), tc.target)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []syncd.Kind{syncd.KindEAF, syncd.KindLokalebasen} {
			res := rules.Map(lead(kind, tc.name, tc.email))
			if res.State != syncd.MapMapped || len(res.Ops) != 2 {
				t.Fatalf("%s %s %q: %s %s", tc.target, kind, tc.email, res.State, res.Reason)
			}
			want := tc.want
			if want == "" {
				want = phone[kind]
			}
			prop := map[string]string{"hubspot": "dealname", "pipedrive": "title"}[tc.target]
			if got := res.Ops[1].Properties[prop]; got != prefix[kind]+want {
				t.Errorf("%s %s, name %q, email %q: %s %q, want %q", tc.target, kind, tc.name, tc.email, prop, got, prefix[kind]+want)
			}
			if got := res.Ops[0].Properties["name"]; tc.target == "pipedrive" && got != want {
				t.Errorf("%s %s, name %q, email %q: person's name %q, want %q", tc.target, kind, tc.name, tc.email, got, want)
			}
		}
	}
}

// TestValidEmailIsTheContactsEmail: validEmail gives the address the
// mapper keys the contact by, and "" for one it leaves out, by the CRM's
// rules: HubSpot's refuses a domain without a top-level domain, which
// Pipedrive takes.
func TestValidEmailIsTheContactsEmail(t *testing.T) {
	for _, tc := range []struct{ target, in, want string }{
		{"hubspot", " Kim@X.dk ", "kim@x.dk"},
		{"hubspot", "Kim <kim@x.dk>", "kim@x.dk"},
		{"hubspot", "kim@hotmail.con; jo@y.dk", "jo@y.dk"},
		{"hubspot", "kim@møller.dk", "kim@xn--mller-vua.dk"},
		{"hubspot", "kim@hotmail.con", ""},
		{"hubspot", "kim@hotmail", ""},
		{"hubspot", "n/a", ""},
		{"pipedrive", "kim@hotmail.con", "kim@hotmail.con"},
		{"pipedrive", "kim@xn--mller-vua.dk", "kim@møller.dk"},
		{"pipedrive", "kim@@x.dk", ""},
	} {
		src := "rules:\n  - name: r\n    source: eaf\n    event: email_lead\n    contact:\n      email: contact_email\n" +
			"    deal:\n      dealname: {expr: 'validEmail(contact_email)'}\n      title: {expr: 'validEmail(contact_email)'}\n"
		if tc.target == "hubspot" {
			src += "      pipeline: {const: default}\n"
		}
		r, err := Parse("x.yaml", []byte(src), tc.target)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "contact_email": tc.in, "contact_phone": "020 3870 4550"})
		res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", b))
		var got string
		if len(res.Ops) == 2 {
			got = res.Ops[1].Properties[map[string]string{"hubspot": "dealname", "pipedrive": "title"}[tc.target]]
		}
		if got != tc.want || tc.want != "" && res.Ops[0].Key != tc.want {
			t.Errorf("%s: validEmail(%q) = %q (%s %s), want %q, the contact's key", tc.target, tc.in, got, res.State, res.Reason, tc.want)
		}
	}
}

// TestDisplayNameIsNameEmailOrPhone: displayName is the name when it shows
// something, else the address the contact gets, else the phone as phone()
// writes it; the README's example among them. The name is the person's as
// firstName and lastName read it (SplitName).
func TestDisplayNameIsNameEmailOrPhone(t *testing.T) {
	for _, tc := range []struct{ target, name, email, phone, want string }{
		{"hubspot", "", "kim@hotmail.con", "52 25 05 59", "+4552250559"},
		{"pipedrive", "", "kim@hotmail.con", "52 25 05 59", "kim@hotmail.con"},
		{"hubspot", " Kim Hansen ", "kim@hotmail.con", "52 25 05 59", "Kim Hansen"},
		{"hubspot", "\u200b", "Kim@X.dk", "52 25 05 59", "kim@x.dk"},
		{"hubspot", "", "", "ring efter kl. 16", ""},
		// The person as firstName and lastName read them: without the
		// word saying the name follows, the company, the job title.
		{"hubspot", "Att.: Søren Ærø", "kim@x.dk", "", "Søren Ærø"},
		{"pipedrive", "Ærø Ejendomme ApS v/ Søren Ærø", "kim@x.dk", "", "Søren Ærø"},
		{"hubspot", "FAO Søren Ærø", "kim@x.dk", "", "Søren Ærø"},
		{"pipedrive", "Søren Ærø, direktør", "kim@x.dk", "", "Søren Ærø"},
		{"hubspot", "Søren Ærø, Ærø Ejendomme ApS", "kim@x.dk", "", "Søren Ærø"},
		{"hubspot", "Ærø,  Søren", "kim@x.dk", "", "Søren Ærø"},
	} {
		src := "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n    contact:\n      phone: {const: \"+4552250559\"}\n" +
			"    deal:\n      dealname: {expr: 'displayName(payload.client.name, payload.client.email, payload.client.phone) + \"!\"'}\n" +
			"      title: {expr: 'displayName(payload.client.name, payload.client.email, payload.client.phone) + \"!\"'}\n"
		r, err := Parse("x.yaml", []byte(src), tc.target)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
			"client": map[string]any{"name": tc.name, "email": tc.email, "phone": tc.phone}}})
		res := r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", b))
		if len(res.Ops) != 2 {
			t.Fatalf("%s: %s %s", tc.target, res.State, res.Reason)
		}
		prop := map[string]string{"hubspot": "dealname", "pipedrive": "title"}[tc.target]
		if got := res.Ops[1].Properties[prop]; got != tc.want+"!" {
			t.Errorf("%s: displayName(%q, %q, %q) = %q, want %q", tc.target, tc.name, tc.email, tc.phone, strings.TrimSuffix(got, "!"), tc.want)
		}
	}
}
