package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestErasePhoneRefusesTwoNumbers: a person asking to be erased gives both
// their numbers, and the officer pastes them as one -phone. Only the first
// was read, and erase said nothing of it (its audit line shows a hash): the
// second number stayed. Now a -phone with more digits than the number read
// from it is refused; one number however written is taken.
func TestErasePhoneRefusesTwoNumbers(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{
		"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}, "eaf": {Kind: "eaf", DefaultCountry: "GB"}}}
	for _, two := range []string{"20 12 34 56, 40 40 40 40", "+45 20 12 34 56 / +45 40 40 40 40",
		"20 12 34 56 eller 40 40 40 40", "+45 20 12 34 56 ext. 12"} {
		if s, err := newSubject(cfg, "", two); err == nil {
			t.Errorf("-phone %q read as %s alone", two, s.ID)
		}
	}
	for _, one := range []string{"20 12 34 56", "2012 3456", "+45 20-12-34-56", "0045 20123456", "+4520123456",
		"(+45) 20 12 34 56", "+45 (0)20 12 34 56", "20 12 34 56 (mobil)", "+44 (0)20 3870 4550", "020 3870 4550",
		"0044 20 3870 4550", "+1 (415) 555-0100"} {
		if _, err := newSubject(cfg, "", one); err != nil {
			t.Errorf("-phone %q: %v", one, err)
		}
	}
}

// TestEraseFindsAnAddressSentInLatin1: a sender writing ISO-8859-1 sends
// "ø" as the byte 0xF8 (intake quarantines the body as not UTF-8, and
// keeps it). Erase and export by the address, with the capital as the
// person typed it or not, find that body; not a longer address.
func TestEraseFindsAnAddressSentInLatin1(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	s, err := newSubject(cfg, "søren@åbo.dk", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"{\"email\":\"s\xf8ren@\xe5bo.dk\"}", "{\"email\":\"S\xd8REN@\xc5BO.DK\",\"name\":\"S\xf8ren\"}"} {
		if !s.Mentions([]byte(body)) {
			t.Errorf("erase does not find %q", body)
		}
	}
	for _, other := range []string{"{\"email\":\"mos\xf8ren@\xe5bo.dk\"}", "{\"email\":\"\xe6s\xf8ren@\xe5bo.dk\"}", "{\"email\":\"s\xf8ren@\xe5bo.dk\xe6\"}"} {
		if s.Mentions([]byte(other)) {
			t.Errorf("erase finds another person's %q", other)
		}
	}
}
