package mapping

import "testing"

// TestNumberReadsMillionsAndThousands: people write budgets and prices as
// "2,5 mio. kr.", "450k" or "£1.2 million"; number() read the digits alone,
// so the CRM held 2.5, 450 and 1.2: a budget a million times too small,
// said as if true. A word for thousand, million or billion right after
// the number now scales it (exactly: no float rounding); a word that is
// no such multiplier ("m2", "kr", "kvm", "km") leaves it as it was. A
// lone decimal mark before the digits (",5" in DK) is read as 0,5, not 5.
func TestNumberReadsMillionsAndThousands(t *testing.T) {
	for _, c := range []struct{ in, region, want string }{
		{"2,5 mio.", "DK", "2500000"}, {"ca. 4,25 mio. kr.", "DK", "4250000"}, {"3 mio", "DK", "3000000"},
		{"1,2 mia. kr", "DK", "1200000000"}, {"2,5 millioner", "DK", "2500000"}, {"1,5 mill. kr.", "DK", "1500000"},
		{"450k", "GB", "450000"}, {"£450K", "GB", "450000"}, {"£1.2 million", "GB", "1200000"}, {"2bn", "GB", "2000000000"},
		{"0.0005 million", "GB", "500"}, {"1.2345 k", "GB", "1234.5"}, {"12 thousand", "GB", "12000"},
		{"ca. 200 m2", "DK", "200"}, {"450 kr", "DK", "450"}, {"120 kvm", "DK", "120"}, {"5km", "GB", "5"},
		{"2 mio - 3 mio", "DK", "2000000"}, {"1.500 - 2.000 m2", "DK", "1500"}, {"2 millimeter", "DK", "2"},
		{",5", "DK", "0.5"}, {"-,5", "DK", "-0.5"}, {"ca. ,75 mio", "DK", "750000"}, {".5", "GB", "0.5"},
		{"kr.500", "DK", "500"}, {"approx.500", "GB", "500"}, {"1.500,00", "DK", "1500.00"},
	} {
		if got, err := Number(c.in, c.region); got != c.want || err != nil {
			t.Errorf("Number(%q, %s) = %q, %v, want %q", c.in, c.region, got, err, c.want)
		}
	}
}
