package main

import (
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestEraseFindsAnEmailWithDanishLettersHoweverWritten: an address with
// æ, ø or å (an .dk domain may have them) is found by erase and export
// however the body holds it: decomposed as a Mac may send it, with
// capitals the person typed, or JSON-escaped by a sender that writes
// ASCII only ("\u00e5", "\u00E5"); and by its decomposed contact key, as
// versions before mapping composed every value keyed the outbox and the
// CRM links.
func TestEraseFindsAnEmailWithDanishLettersHoweverWritten(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	for _, given := range []string{"åge@åbo.dk", "Åge@Åbo.DK", norm.NFD.String("åge@åbo.dk")} {
		s, err := newSubject(cfg, given, "")
		if err != nil {
			t.Fatal(err)
		}
		if s.ID != "åge@åbo.dk" {
			t.Errorf("-email %+q: subject %+q, want the composed, lower-cased address", given, s.ID)
		}
		if !s.HasKey(norm.NFD.String("åge@åbo.dk")) {
			t.Errorf("-email %+q: keys %+q lack the decomposed one", given, s.KeyValues())
		}
		for _, body := range []string{
			`{"client":{"email":"åge@åbo.dk"}}`,
			`{"client":{"email":"` + norm.NFD.String("Åge@Åbo.dk") + `"}}`,
			`{"client":{"email":"ÅGE@ÅBO.DK"}}`,
			`{"client":{"email":"\u00e5ge@\u00e5bo.dk"}}`,
			`{"client":{"email":"\u00E5ge@\u00E5bo.dk"}}`,
			`{"client":{"email":"a\u030age@a\u030abo.dk"}}`,
		} {
			if !s.Mentions([]byte(body)) {
				t.Errorf("-email %+q does not find %s", given, body)
			}
		}
		for _, other := range []string{`{"email":"mage@åbo.dk"}`, `{"email":"age@abo.dk"}`, `{"email":"m\u00e5ge@\u00e5bo.dk"}`} {
			if s.Mentions([]byte(other)) {
				t.Errorf("-email %+q finds another person's %s", given, other)
			}
		}
	}
}

// TestErasePhoneFindsADanishNumberHoweverWritten: -phone finds a Danish
// number in a body whichever way it was written, "+45 (0)" included, and
// reads "+45 (0)12 34 56 78" given to it as the person's number.
func TestErasePhoneFindsADanishNumberHoweverWritten(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	for _, given := range []string{"12 34 56 78", "+45 (0)12 34 56 78", "0045 1234 5678"} {
		s, err := newSubject(cfg, "", given)
		if err != nil {
			t.Fatalf("-phone %q: %v", given, err)
		}
		if s.ID != "+4512345678" {
			t.Errorf("-phone %q: subject %q, want +4512345678", given, s.ID)
		}
		for _, written := range []string{"12 34 56 78", "+45 12345678", "0045 1234 5678", "45 12 34 56 78", "12345678",
			"+45 (0)12 34 56 78", "+45(0)12345678", "12 34 56 78 (mobil)"} {
			if body := `{"client":{"phone":"` + written + `"}}`; !s.Mentions([]byte(body)) {
				t.Errorf("-phone %q does not find %s", given, body)
			}
		}
		if body := `{"client":{"phone":"+45 12 34 56 79"}}`; s.Mentions([]byte(body)) {
			t.Errorf("-phone %q finds another number: %s", given, body)
		}
	}
}
