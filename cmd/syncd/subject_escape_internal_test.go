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
