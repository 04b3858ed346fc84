package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// danishEnquiry is a Lokalebasen enquiry_created body with the given
// client and comment.
func danishEnquiry(t *testing.T, name, email, company, phone, comment string) syncd.Event {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"event_type": "enquiry_created",
		"payload": map[string]any{
			"location": map[string]any{"id": "20064", "external_key": "EJ-593915GV",
				"href": "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},
			"enquiry": map[string]any{"type": "client"},
			"client":  map[string]any{"name": name, "email": email, "company": company, "phone": phone},
			"comment": comment,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return syncd.Event{ID: 42, Source: "lokalebasen", Kind: syncd.KindLokalebasen,
		Type: syncd.TypeEnquiryCreated, Key: "sha256:x", Body: body, Payload: body}
}

// TestDecomposedLettersReachTheCRMComposed: a form filled in on a Mac may
// send "å" as "a" and a combining ring (NFD). The CRM compares bytes, so
// the same person written composed in their next enquiry would be a
// second contact, and a salesperson's search for "Åse" would not find
// "Åse": every value goes to the CRM composed (NFC), the contact key too.
func TestDecomposedLettersReachTheCRMComposed(t *testing.T) {
	nfd := norm.NFD.String
	ev := danishEnquiry(t, nfd("Åse Østergård"), nfd("åse@åbo.dk"), nfd("Østergård & Søn A/S"),
		"12 34 56 78", nfd("Vi søger lokaler på Åboulevarden, ca. 250 m²."))
	for _, target := range targets {
		rules, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		res := rules.Map(ev)
		if res.State != syncd.MapMapped || len(res.Ops) != 2 {
			t.Fatalf("%s: %+v", target, res)
		}
		want := "åse@åbo.dk"
		if target == "hubspot" { // its domain in ASCII: TestSamePersonsEmailWrittenAnotherWayIsOneKey
			want = "åse@xn--bo-xia.dk"
		}
		if key := res.Ops[0].Key; key != want || res.Ops[1].ContactKey != key {
			t.Errorf("%s: contact key %+q, deal's %+q; want %+q", target, key, res.Ops[1].ContactKey, want)
		}
		for _, op := range res.Ops {
			for name, v := range op.Properties {
				if !norm.NFC.IsNormalString(v) {
					t.Errorf("%s %s %s: %+q is not composed (NFC)", target, op.Kind, name, v)
				}
			}
		}
	}
}

// TestDanishPhonesAsDanesWriteThem: the phone of a Lokalebasen enquiry
// reaches the CRM in E.164 however a Dane wrote it, "+45 (0)" as
// international firms print it, a word after it ("(mobil)"), or two
// numbers (the first is the one called); with no email the lead is still
// the person's, keyed by that phone.
func TestDanishPhonesAsDanesWriteThem(t *testing.T) {
	rules, err := Load(filepath.Join(mappingsDir, "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]string{
		"12 34 56 78":                          "+4512345678",
		"+45 12345678":                         "+4512345678",
		"0045 1234 5678":                       "+4512345678",
		"45 12 34 56 78":                       "+4512345678", // 10 digits: 45 is the country code
		"12345678":                             "+4512345678",
		"+45 (0)12 34 56 78":                   "+4512345678",
		"+45 (0) 33 12 34 56":                  "+4533123456",
		"12 34 56 78 (mobil)":                  "+4512345678",
		"+45 12 34 56 78 mobil":                "+4512345678",
		"12 34 56 78 / 87 65 43 21":            "+4512345678",
		"12345678 el. 87654321":                "+4512345678",
		"Mobil: 12 34 56 78, fastnet 87654321": "+4512345678",
		"+44 (0)20 3870 4550":                  "+442038704550",
		"n/a":                                  "",
		"1234":                                 "",
		"ring efter kl. 16":                    "",
	} {
		res := rules.Map(danishEnquiry(t, "Søren Ærø", "", "Ærø ApS", raw, "hej"))
		got := ""
		if len(res.Ops) > 0 {
			got = res.Ops[0].Properties["phone"]
		}
		if got != want {
			t.Errorf("phone %q: %q (%s %s), want %q", raw, got, res.State, res.Reason, want)
		}
		if want != "" && (res.State != syncd.MapMapped || res.Ops[0].Key != want) {
			t.Errorf("phone %q without email: %s %s, want a contact keyed %s", raw, res.State, res.Reason, want)
		}
	}
}
