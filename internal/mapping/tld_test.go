package mapping

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestHubSpotEmailWithoutATopLevelDomainIsLeftOut: HubSpot refuses an
// address whose domain does not end in a TLD of IANA's list
// (INVALID_EMAIL), and with it the contact and its deal. "kim@hotmail.con"
// was sent as the contact's key and went dead though its phone would have
// found the person. It is left out as an address with two @ is: the
// contact goes by its phone, the reason saying why; without a phone the
// lead is unmappable, saying why. Real TLDs stay keys: a new gTLD, one in
// Unicode (sent in ASCII), one the public suffix list holds by a wildcard
// alone (*.ck). Pipedrive, not known to check TLDs, keeps the address.
func TestHubSpotEmailWithoutATopLevelDomainIsLeftOut(t *testing.T) {
	r := mustParse(t, eafRule)
	lead := func(r *Rules, email, phone string) Result {
		body := `{"contact_email":"` + email + `","contact_phone":"` + phone + `","eaf_reference":"R1"}`
		return r.Map(testEvent("eaf", "email_lead", "eaf:9", []byte(body)))
	}
	for _, tc := range []struct{ email, tld string }{
		{"kim@hotmail.con", "con"}, {"tb.tb@yahoo.comtttt", "comtttt"}, {"jane@work.example", "example"},
		{"jane@x.test", "test"}, {"Kim@Hotmail.CON", "con"}, {"kim@x.xn--zzzz", "xn--zzzz"},
	} {
		res := lead(r, tc.email, "020 3870 4550")
		note := `rule "lead": contact's email "` + strings.ToLower(tc.email) + `" left out, not an address (.` + tc.tld + ` is no top-level domain); the contact goes by its phone`
		if res.State != syncd.MapMapped || res.Ops[0].Key != "+442038704550" || res.Ops[0].KeyKind != syncd.KeyPhone ||
			res.Ops[0].Properties["email"] != "" || res.Ops[1].ContactKey != "+442038704550" || res.Reason != note {
			t.Errorf("%q with a phone: %+v", tc.email, res)
		}
		want := `rule "lead": contact has no valid email ("` + strings.ToLower(tc.email) + `" is not one: .` + tc.tld + ` is no top-level domain) and no phone`
		if res := lead(r, tc.email, ""); res.State != syncd.MapUnmappable || res.Reason != want {
			t.Errorf("%q alone: %s %q, want %q", tc.email, res.State, res.Reason, want)
		}
	}
	for email, key := range map[string]string{
		"x@test.design": "x@test.design", "jane@x.dk": "jane@x.dk", "Jane@X.DK.": "jane@x.dk",
		"kim@las.vegas": "kim@las.vegas", "user@email.삼성": "user@email.xn--cg4bki",
		"user@email.xn--cg4bki": "user@email.xn--cg4bki", "kim@telecom.ck": "kim@telecom.ck",
	} {
		if res := lead(r, email, ""); res.State != syncd.MapMapped || res.Ops[0].Key != key || res.Ops[0].Properties["email"] != key || res.Reason != "" {
			t.Errorf("%q: %+v, want keyed by %q", email, res, key)
		}
	}
	pd, err := Parse("test.yaml", []byte(strings.Replace(eafRule, "dealname:", "title:", 1)), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	if res := lead(pd, "kim@hotmail.con", ""); res.State != syncd.MapMapped || res.Ops[0].Key != "kim@hotmail.con" || res.Reason != "" {
		t.Errorf("Pipedrive: %+v", res)
	}
}
