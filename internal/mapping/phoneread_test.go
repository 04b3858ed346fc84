package mapping

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestPlainPhoneIsParse holds readPhone's shortcut to libphonenumber's
// Parse: for every region and every country code, digit strings that begin
// with what the shortcut must leave to Parse (the international prefix,
// the country code, the national prefix, zeros) and random ones, of every
// length, with and without "+", read the same either way: the same number,
// or Parse's error where the shortcut gives none.
func TestPlainPhoneIsParse(t *testing.T) {
	if testing.Short() { // the race pass: one goroutine, nothing for the race detector, and 50-120 s under it
		t.Skip("one goroutine comparing two readers over every region: the plain pass runs it")
	}
	rng := rand.New(rand.NewPCG(46, 15))
	random := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	var regions []string
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	regions = append(regions, "", "ZZ", "001", "XX")
	starts := []string{"", "0", "00", "000", "011", "1", "10", "180020", "45", "44", "4", "39", "06", "8", "810", "9"}
	var codes []string // every country code libphonenumber knows
	for cc := 1; cc < 1000; cc++ {
		if phonenumbers.GetRegionCodeForCountryCode(cc) != phonenumbers.UNKNOWN_REGION {
			codes = append(codes, strconv.Itoa(cc))
		}
	}
	shortcut, checked := 0, 0
	check := func(digits, region string) {
		t.Helper()
		checked++
		want, werr := phonenumbers.Parse(digits, region)
		got := plainPhone(digits, region)
		if got == nil {
			return
		}
		shortcut++
		if werr != nil {
			t.Fatalf("plainPhone(%q, %q) = %v, Parse refuses it: %v", digits, region, got, werr)
		}
		if got.GetCountryCode() != want.GetCountryCode() || got.GetNationalNumber() != want.GetNationalNumber() ||
			got.GetItalianLeadingZero() != want.GetItalianLeadingZero() ||
			got.GetNumberOfLeadingZeros() != want.GetNumberOfLeadingZeros() ||
			got.GetExtension() != want.GetExtension() || got.CountryCodeSource != nil ||
			got.RawInput != nil || got.PreferredDomesticCarrierCode != nil {
			t.Fatalf("plainPhone(%q, %q) = %v, Parse gives %v", digits, region, got, want)
		}
		if g, w := phonenumbers.Format(got, phonenumbers.E164), phonenumbers.Format(want, phonenumbers.E164); g != w {
			t.Fatalf("plainPhone(%q, %q) formats as %s, Parse's as %s", digits, region, g, w)
		}
		if callable(got) != callable(want) {
			t.Fatalf("plainPhone(%q, %q): callable %v, Parse's %v", digits, region, callable(got), callable(want))
		}
	}
	lengths := func(start, region string) {
		for n := len(start); n <= 19; n++ {
			d := start + random(n-len(start))
			check(d, region)
			check("+"+d, region)
		}
	}
	for _, region := range regions {
		own := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
		for _, start := range append(starts, own, own+"0", own+"1") {
			lengths(start, region)
		}
		for range 40 {
			d := random(1 + rng.IntN(19))
			check(d, region)
			check("+"+d, region)
		}
	}
	for _, cc := range codes { // after a "+", each code's own rules
		for _, start := range []string{cc, cc + "0", cc + "1", cc + "180020", cc + "8"} {
			lengths(start, "DK")
			lengths(start, "ZZ")
		}
	}
	// The shortcut must be taken for the numbers leads carry most, or it
	// saves nothing.
	for _, c := range []struct{ digits, region string }{
		{"52250559", "DK"}, {"+4552250559", "DK"}, {"+4552250559", "SE"}, {"4790000000", "SE"},
		{"+442038704550", "DK"}, {"+46701234567", "DK"}, {"91234567", "NO"}, {"+4915112345678", "DE"},
	} {
		checked++
		if plainPhone(c.digits, c.region) == nil {
			t.Errorf("plainPhone(%q, %q) left it to Parse", c.digits, c.region)
		}
	}
	t.Logf("%d digit strings, %d read by the shortcut, all as Parse reads them", checked, shortcut)
	if shortcut < checked/20 {
		t.Errorf("only %d of %d strings took the shortcut", shortcut, checked)
	}
}

// TestE164OfAPlainNumberSkipsTheParse: a Danish number as leads carry it,
// read without libphonenumber's parse (37 allocations and 30-60 µs with
// it, most of it regular expressions).
func TestE164OfAPlainNumberSkipsTheParse(t *testing.T) {
	for _, raw := range []string{"52 25 05 59", "+45 52 25 05 59", "0045 52 25 05 59"} {
		if got := E164(raw, "DK"); got != "+4552250559" {
			t.Fatalf("E164(%q) = %q", raw, got)
		}
		if n := testing.AllocsPerRun(100, func() { E164(raw, "DK") }); n > 20 {
			t.Errorf("E164(%q, DK): %.0f allocations a number, as a parse takes", raw, n)
		}
	}
}
