package main

import (
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

func TestSubjectForms(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{
		"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}, "eaf": {Kind: "eaf", DefaultCountry: "GB"}}}
	s, err := newSubject(cfg, " Jane.O'Hara+x@Example.com ", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"jane.o'hara+x@example.com", `jane.o'hara+x\u0040example.com`, "jane.o%27hara%2Bx%40example.com"} {
		if !slices.Contains(s.Patterns, want) {
			t.Errorf("email forms %q lack %q", s.Patterns, want)
		}
	}
	cases := []struct {
		phone string
		key   string
		forms []string
	}{
		{"20 12 34 56", "+4520123456", []string{"20 12 34 56", "+45 20 12 34 56", "20123456", "004520123456"}},
		{"020 7946 0123", "+442079460123", []string{"020 7946 0123", "02079460123", "+44 20 7946 0123", "+442079460123"}},
	}
	for _, c := range cases {
		s, err := newSubject(cfg, "", c.phone)
		if err != nil {
			t.Fatal(err)
		}
		if !s.HasKey(c.key) {
			t.Errorf("%s: keys %q lack %s", c.phone, s.KeyValues(), c.key)
		}
		for _, f := range c.forms {
			if !slices.Contains(s.Patterns, f) {
				t.Errorf("%s: forms %q lack %q", c.phone, s.Patterns, f)
			}
		}
	}
	// Read in Great Britain (the first source's country) it is a possible
	// number but not one assigned: the person is the Danish one.
	if s, err := newSubject(cfg, "", "20123456"); err != nil || s.ID != "+4520123456" {
		t.Errorf("-phone 20123456: subject %q, %v; want +4520123456", s.ID, err)
	}
	s, err = newSubject(cfg, "", "+44 20 3870 4550")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2038704550", "02038704550", "442038704550", "4402038704550", "00442038704550"} {
		if !slices.Contains(s.Phones, want) {
			t.Errorf("digit forms %q lack %q", s.Phones, want)
		}
	}
	// As pasted from a mail client: the address. Not an address: refused,
	// not searched for in vain (and audited as erased).
	if s, err := newSubject(cfg, "Jane Doe <Jane.Doe@Example.com>", ""); err != nil || s.ID != "jane.doe@example.com" {
		t.Errorf("-email with a name: subject %q, %v", s.ID, err)
	}
	// A link copied from a page: the address, as the mapper reads it.
	if s, err := newSubject(cfg, "mailto:Jane.Doe@Example.com", ""); err != nil || s.ID != "jane.doe@example.com" {
		t.Errorf("-email as a mailto link: subject %q, %v", s.ID, err)
	}
	for _, bad := range []string{"jane @example.com", "jane@", "@", "mailto:"} {
		if s, err := newSubject(cfg, bad, ""); err == nil {
			t.Errorf("-email %q accepted as %q", bad, s.ID)
		}
	}
	if _, err := newSubject(cfg, "", ""); err == nil {
		t.Error("no identifier accepted")
	}
}
