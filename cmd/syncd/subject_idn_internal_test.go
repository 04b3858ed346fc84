package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestEraseFindsAnEmailWhicheverFormItsDomainIsIn: mapping keys a contact
// with an internationalised domain in ASCII for HubSpot
// ("soren@xn--mller-vua.dk") and in Unicode for Pipedrive, and a sender
// may write it either way. Erase and export by the address in one form
// looked for that form alone: the person's leads sent in the other form,
// and their contact keyed in it, were left, unsaid. Both forms are now
// the person's keys and are found in the bodies.
func TestEraseFindsAnEmailWhicheverFormItsDomainIsIn(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	for _, given := range []string{"soren@møller.dk", "Soren@XN--MLLER-VUA.DK"} {
		s, err := newSubject(cfg, given, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"soren@møller.dk", "soren@xn--mller-vua.dk"} {
			if !s.HasKey(key) {
				t.Errorf("-email %q: keys %q lack %s", given, s.KeyValues(), key)
			}
		}
		for _, body := range []string{
			`{"client":{"email":"soren@møller.dk"}}`,
			`{"client":{"email":"soren@xn--mller-vua.dk"}}`,
			`{"contact_email":"SOREN@M\u00d8LLER.DK"}`,
		} {
			if !s.Mentions([]byte(body)) {
				t.Errorf("-email %q does not find %s", given, body)
			}
		}
		if other := `{"email":"soren@moller.dk"}`; s.Mentions([]byte(other)) {
			t.Errorf("-email %q finds another person's %s", given, other)
		}
	}
}
