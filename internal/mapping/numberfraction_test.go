package mapping

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAFractionInANumberIsReadOrTheLeadWaits: Danes write a budget of one
// and a half million "1½ mio. kr." and a move-in date "1/3-2027" (the
// first of March). number() read the digits before the fraction alone and
// went on: a deal's amount reached the CRM as 1 for "1½ mio. kr.", as 1
// for "overtagelse 1/3-2027" and for "adgang 24/7", with nothing said.
// Now a fraction written as one character (½, ¼, ¾, ...) that a decimal
// writes exactly is read as that decimal ("1½ mio." is 1500000, "½ mio."
// 500000), and a number followed by a slash and digits (a date, or a
// fraction, "1 1/2"), or by a third or a sixth, makes the lead unmappable,
// its reason quoting the text, as a date written with points does.
func TestAFractionInANumberIsReadOrTheLeadWaits(t *testing.T) {
	src := "rules:\n  - name: lead\n    source: lokalebasen\n    event: enquiry_created\n    contact:\n      email: payload.client.email\n" +
		"    deal:\n      dealname: {const: d}\n      amount: {expr: 'number(payload.comment)'}\n"
	r, err := Parse("t.yaml", []byte(src), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	mapped := func(comment string) Result {
		return r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "k",
			[]byte(`{"payload":{"client":{"email":"søren@aero.dk"},"comment":"`+comment+`"}}`)))
	}
	for in, want := range map[string]string{
		"Lejen må højst være kr. 1½ mio. årligt": "1500000",
		"1½ mio. kr.":                  "1500000",
		"2 ½ mio":                      "2500000",
		"½ mio. kr.":                   "500000",
		"ca. 2¾ mio.":                  "2750000",
		"1¼":                           "1.25",
		"−1½":                          "-1.5",
		"kr. 1.250.000":                "1250000", // as before
		"kr 995/m2":                    "995",     // a slash before a letter ends the number
		"250 m², overtagelse 1/3-2027": "250",     // the first number is read, as before
	} {
		if res := mapped(in); res.State != syncd.MapMapped || res.Ops[1].Properties["amount"] != want {
			t.Errorf("%q: %s %q amount %q, want %q", in, res.State, res.Reason, amountOf(res), want)
		}
	}
	for in, quoted := range map[string]string{
		"overtagelse 1/3-2027":   `"1/3"`,
		"adgang 24/7":            `"24/7"`,
		"1 1/2 mio. kr.":         `"1 1/2"`,
		"1⅓ mio.":                `"1⅓"`,
		"1,5½ mio.":              `"1,5½"`,
		"budget 1.250.000/år 12": "", // a slash before a letter: read as before, not refused
	} {
		res := mapped(in)
		if quoted == "" {
			if res.State != syncd.MapMapped || amountOf(res) != "1250000" {
				t.Errorf("%q: %s %q amount %q, want 1250000", in, res.State, res.Reason, amountOf(res))
			}
			continue
		}
		if res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, "number: "+quoted+" is not one number") ||
			!strings.Contains(res.Reason, "syncd sends no number it may have read wrong") {
			t.Errorf("%q: %s %q amount %q, want unmappable quoting %s", in, res.State, res.Reason, amountOf(res), quoted)
		}
	}
}

// amountOf is the amount of a mapped lead's deal, or "".
func amountOf(res Result) string {
	if len(res.Ops) < 2 {
		return ""
	}
	return res.Ops[1].Properties["amount"]
}
