package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestSubjectReadsAnAddressPastItsMarks: an address copied for syncd erase
// or export from a right-to-left page or a phone's contacts brings a
// directional mark (U+200E) or the marks that keep it left to right
// (U+202A, U+202C). The mapper keys the lead by the address without them,
// so the person is that address: with the mark, erase found nothing.
// A phone so copied reads as its number.
func TestSubjectReadsAnAddressPastItsMarks(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	for _, email := range []string{"\u200ejane@firma.dk", "jane@firma.dk\u200f", "\u202ajane@firma.dk\u202c",
		"mailto:jane@firma.dk", "Jane Doe <jane@firma.dk>"} {
		s, err := newSubject(cfg, email, "")
		if err != nil || !s.HasKey("jane@firma.dk") {
			t.Errorf("-email %q: %v, keys %q, want jane@firma.dk", email, err, s.KeyValues())
		}
	}
	s, err := newSubject(cfg, "", "\u202a+45 33 12 34 56\u202c")
	if err != nil || !s.HasKey("+4533123456") {
		t.Errorf("-phone with its marks: %v, keys %q, want +4533123456", err, s.KeyValues())
	}
}
