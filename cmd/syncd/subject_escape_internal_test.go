package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestEraseFindsAnEscapedCapitalLetter: a sender whose serialiser writes
// ASCII only escapes the capital Å the person typed as "\u00C5" (or
// "\u00c5"): erase and export find the address in that body as they do
// with "\u00e5", and still not another person's.
func TestEraseFindsAnEscapedCapitalLetter(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	s, err := newSubject(cfg, "åge@åbo.dk", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"client":{"email":"\u00C5ge@\u00C5bo.dk"}}`,
		`{"client":{"email":"\u00c5GE@\u00c5BO.DK"}}`,
		`{"client":{"email":"\u00C5ge@\u00e5bo.dk"}}`,
		`{"client":{"email":"\u00c5ge@åbo.dk"}}`,
		`{"client":{"email":"A\u030Age@a\u030abo.dk"}}`,
	} {
		if !s.Mentions([]byte(body)) {
			t.Errorf("erase does not find %s", body)
		}
	}
	for _, other := range []string{`{"email":"m\u00C5ge@\u00c5bo.dk"}`, `{"email":"\u00C6ge@\u00C5bo.dk"}`, `{"email":"\u00c5ge@\u00c5bo.dk\u00C5"}`} {
		if s.Mentions([]byte(other)) {
			t.Errorf("erase finds another person's %s", other)
		}
	}
}

// TestEraseFindsAURLEncodedAddress: a body carrying the address in a
// mailto: link writes its letters that are not ASCII percent-encoded
// (RFC 6068: "mailto:%C3%85ge@%C3%85bo.dk" for Åge@Åbo.dk, the "@" left as
// is), or form-encoded with "%40": erase and export find it, whatever the
// case of the letter and of the hex digits, composed or decomposed, and
// still not another person's.
func TestEraseFindsAURLEncodedAddress(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	s, err := newSubject(cfg, "åge@åbo.dk", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"html":"<a href=\"mailto:%C3%85ge@%C3%85bo.dk\">Åge</a>"}`,
		`{"html":"<a href=\"mailto:%C3%A5ge@%C3%A5bo.dk\">"}`,
		`{"html":"<a href=\"mailto:%c3%85GE@%c3%a5BO.DK?subject=Lokale\">"}`,
		`email=%C3%85ge%40%C3%85bo.dk&phone=`,
		`email=%c3%a5ge%40%c3%a5bo.dk`,
		`mailto:A%CC%8Age@a%CC%8Abo.dk`,
	} {
		if !s.Mentions([]byte(body)) {
			t.Errorf("erase does not find %s", body)
		}
	}
	for _, other := range []string{
		`mailto:m%C3%85ge@%C3%85bo.dk`,
		`mailto:%C3%86ge@%C3%85bo.dk`,
		`mailto:%C3%85ge@%C3%85bo.dk%C3%85`,
		`mailto:%C3%98%C3%85ge@%C3%85bo.dk`,
		`mailto:%C3%85ge@%C3%85bo.dkx`,
	} {
		if s.Mentions([]byte(other)) {
			t.Errorf("erase finds another person's %s", other)
		}
	}
}
