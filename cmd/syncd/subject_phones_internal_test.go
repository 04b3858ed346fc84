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
