package syncd

import "testing"

// TestMentionsKeepsToWholeAddressesWithLettersNotASCII: an address is not
// found inside a longer one whose extra letter is not ASCII, and one with
// such letters is found whatever their case.
func TestMentionsKeepsToWholeAddressesWithLettersNotASCII(t *testing.T) {
	for _, c := range []struct {
		pattern, body string
		want          bool
	}{
		{"jo@x.dk", `{"email":"søjo@x.dk"}`, false},
		{"jo@x.dk", `{"email":"jo@x.dkø"}`, false},
		{"jo@x.dk", `{"email":"Jo@X.dk"}`, true},
		{"jo@x.dk", `mail jo@x.dk – ring`, true},
		{"søren@ærø.dk", `{"email":"Søren@ÆRØ.dk"}`, true},
		{"søren@ærø.dk", `{"email":"bjøsøren@ærø.dk"}`, false},
		{"søren@ærø.dk", "{\"email\":\"s\xf8ren@\xe6r\xf8.dk\"}", true}, // ISO-8859-1 (a body quarantined as not UTF-8): the same address
		{"søren@ærø.dk", "{\"email\":\"bj\xf8s\xf8ren@\xe6r\xf8.dk\"}", false},
	} {
		if got := (Subject{Patterns: []string{c.pattern}}).Mentions([]byte(c.body)); got != c.want {
			t.Errorf("%q in %q: %v, want %v", c.pattern, c.body, got, c.want)
		}
	}
}
