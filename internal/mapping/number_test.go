package mapping

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestNumberReadsNumbersAsPeopleWriteThem: a number property given a lead's
// "1.500,00" or "ca. 200 m2" is refused by the CRM (HubSpot INVALID_INTEGER;
// Pipedrive's API v2 coerces nothing), the lead with it, and the mappings
// had no way to read such text. number() reads the first number in a text
// as the source's region writes it (DK: "1.500,00"; GB: "1,500.00") into
// the form CRMs take ("1500.00"); "" when the text holds none.
func TestNumberReadsNumbersAsPeopleWriteThem(t *testing.T) {
	for _, c := range []struct{ in, region, want string }{
		{"1.500,00", "DK", "1500.00"}, {"ca. 200 m2", "DK", "200"}, {"kr. 1.500.000,-", "DK", "1500000"},
		{"450.000 DKK", "DK", "450000"}, {"2,5 mio.", "DK", "2500000"}, {"1 250 000 kr", "DK", "1250000"},
		{"-12,75", "DK", "-12.75"}, {"2.5", "DK", "2.5"}, {"1,500.00", "GB", "1500.00"}, {"£450,000", "GB", "450000"},
		{"1.5", "GB", "1.5"}, {"approx 120 sq m", "GB", "120"}, {"n/a", "DK", ""}, {"", "DK", ""}, {"12", "DK", "12"},
	} {
		if got, err := Number(c.in, c.region); got != c.want || err != nil {
			t.Errorf("Number(%q, %s) = %q, %v, want %q", c.in, c.region, got, err, c.want)
		}
	}
	r, err := Parse("t.yaml", []byte(`rules:
  - name: lead
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: d}
      amount: {expr: 'number(payload.comment)'}
`), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	res := r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "k", []byte(`{"payload":{"client":{"email":"a@b.dk"},"comment":"kr. 1.500.000,-"}}`)))
	if res.State != syncd.MapMapped || res.Ops[1].Properties["amount"] != "1500000" {
		t.Fatalf("%+v", res)
	}
}

// TestAHyphenAfterALetterIsNoMinus: number() of a text holding a
// reference, "EJ-593915GV" or "Lokale B-12, 150 m2", gave -593915 and -12,
// reading the hyphen that joins the letters to the digits as a minus. A
// hyphen right after a letter is none; one after a blank, or at the start,
// still is.
func TestAHyphenAfterALetterIsNoMinus(t *testing.T) {
	for in, want := range map[string]string{
		"EJ-593915GV": "593915", "Lokale B-12, 150 m2": "12", "Type-2": "2", "Æ-5": "5",
		"-1500": "-1500", "Husleje -1.500 kr": "-1500", "saldo: −1.500": "-1500", "(-12,5)": "-12.5",
	} {
		if got, err := Number(in, "DK"); got != want || err != nil {
			t.Errorf("Number(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
