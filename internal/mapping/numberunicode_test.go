package mapping

import "testing"

// TestNumberReadsTheSpacesAndMinusOfFormattedNumbers: a number copied from
// a page or a spreadsheet formatted for its locale groups thousands with a
// narrow no-break space (U+202F, French and others in CLDR) or a thin space
// (U+2009), and writes a negative with the minus sign U+2212 (Swedish,
// Norwegian, Finnish): number() read "1 250 000 kr" with narrow spaces as 1,
// a price a million times too small with no note, and "−1.250" as 1250,
// its sign lost. They read as the plain space and hyphen do.
func TestNumberReadsTheSpacesAndMinusOfFormattedNumbers(t *testing.T) {
	for _, c := range []struct{ in, region, want string }{
		{"1\u202f250\u202f000 kr", "DK", "1250000"}, {"1\u2009250\u2009000,50", "DK", "1250000.50"},
		{"€ 1\u202f250\u202f000", "GB", "1250000"}, {"\u22121.250", "DK", "-1250"}, {"\u22121\u00a0250,75", "DK", "-1250.75"},
		{"kr. \u221212.500", "DK", "-12500"}, {"\u22120,5", "GB", "-0.5"}, {"1\u202f25", "DK", "1"},
	} {
		if got, err := Number(c.in, c.region); got != c.want || err != nil {
			t.Errorf("Number(%q, %s) = %q, %v, want %q", c.in, c.region, got, err, c.want)
		}
	}
}
