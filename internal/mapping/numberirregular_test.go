package mapping

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestNumberSendsNoNumberItMayHaveReadWrong: number() read "1.234,5" as
// 1234.5 in either region, rightly, but text whose points and commas
// group no digits in threes it made into a number no one wrote: a move-in
// date "01.03.2026" was the budget 01032026, "1.23,5" 123.5, "1,234,5"
// 12345, and the CRM got them as the lead's amount. Such a lead is now
// unmappable, its reason quoting the text, so that a person looks at it.
// And a mapping can say how its sender writes numbers: numberIn(s, "DK")
// reads "1.234" as 1234 on a source whose region writes a decimal point
// (an Estate Agent Feeds portal serving a Danish agency), where number()
// reads 1.234; a region that is none ("UK") is refused, not read as one
// that writes a decimal comma: where the mapping loads when the expression
// writes it, else the lead is unmappable.
func TestNumberSendsNoNumberItMayHaveReadWrong(t *testing.T) {
	mapped := func(kind syncd.Kind, typ, amount, body string) Result {
		src := "rules:\n  - name: lead\n    source: " + string(kind) + "\n    event: " + typ + "\n    contact:\n      email: " +
			map[syncd.Kind]string{syncd.KindLokalebasen: "payload.client.email", syncd.KindEAF: "contact_email"}[kind] +
			"\n    deal:\n      dealname: {const: d}\n      amount: {expr: '" + amount + "'}\n"
		r, err := Parse("t.yaml", []byte(src), "hubspot")
		if err != nil {
			t.Fatal(err)
		}
		return r.Map(testEvent(kind, typ, "k", []byte(body)))
	}
	lb := func(comment string) Result {
		return mapped(syncd.KindLokalebasen, "enquiry_created", "number(payload.comment)",
			`{"payload":{"client":{"email":"a@b.dk"},"comment":"`+comment+`"}}`)
	}
	for in, want := range map[string]string{"1.234,5": "1234.5", "kr. 1.500.000,-": "1500000", "1,234.5": "1234.5", "2,5": "2.5", "10.0000": "10.0000"} {
		if res := lb(in); res.State != syncd.MapMapped || res.Ops[1].Properties["amount"] != want {
			t.Errorf("%q: %s %s %v, want %s", in, res.State, res.Reason, res.Ops, want)
		}
	}
	for _, in := range []string{"indflytning 01.03.2026", "1.23,5", "1,234,5", "12.34.56", "1.000.00", "1.234,567.8"} {
		res := lb(in)
		if res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, "amount (t.yaml:9): ") || !strings.Contains(res.Reason, "is not one number") {
			t.Errorf("%q: %s %q %v, want unmappable, not one number", in, res.State, res.Reason, res.Ops)
		}
	}

	eaf := func(amount string) Result {
		return mapped(syncd.KindEAF, "email_lead", amount,
			`{"eaf_type":"email_lead","eaf_id":"1","contact_email":"a@b.dk","contact_message_flat":"budget 1.234 kr","eaf_date":"2026-11-30T06:28:06+01:00"}`)
	}
	for amount, want := range map[string]string{`number(contact_message_flat)`: "1.234", `numberIn(contact_message_flat, "DK")`: "1234", `numberIn(contact_message_flat, "dk")`: "1234"} {
		if res := eaf(amount); res.State != syncd.MapMapped || res.Ops[1].Properties["amount"] != want {
			t.Errorf("%s: %s %s %v, want %s", amount, res.State, res.Reason, res.Ops, want)
		}
	}
	// a region written in the expression is checked as it loads
	// (TestARegionThatIsNoneIsRefusedAtLoad); one read from the payload here
	if res := eaf(`numberIn(contact_message_flat, eaf_type)`); res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, `unknown region "EMAIL_LEAD"`) {
		t.Errorf("numberIn in a region that is none: %s %q", res.State, res.Reason)
	}
}
