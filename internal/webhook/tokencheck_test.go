package webhook

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTokenCheckRefusesEveryOtherLength: the path token is compared by
// fixed-length digests made when the sources are set; the right tokens
// (both during a rotation) pass, and wrong ones of every length, their
// prefixes and extensions among them, do not. So does a reload's rotation.
// Timing is not asserted: the comparison's length no longer depends on the
// token's.
func TestTokenCheckRefusesEveryOtherLength(t *testing.T) {
	t.Parallel()
	oldTok, tok := "old-token-0123456789abc", "lb-token-0123456789abcdef"
	rc := New(Options{Sources: []Source{{Name: "lb", Kind: syncd.KindLokalebasen, Tokens: []string{oldTok, tok}}}, Log: zerolog.Nop()})
	src := func() *Source { return (*rc.sources.Load())["lb"] }
	for _, good := range []string{oldTok, tok} {
		if src().tokenAt(good) == 0 {
			t.Errorf("token %q refused", good)
		}
	}
	if src().tokenAt(oldTok) != 1 || src().tokenAt(tok) != 2 {
		t.Errorf("positions %d, %d, want 1, 2", src().tokenAt(oldTok), src().tokenAt(tok))
	}
	wrong := []string{strings.ToUpper(tok), "x" + tok[1:], tok[:len(tok)-1] + "g", tok + "\x00"}
	for n := 0; n <= 2*len(tok); n++ {
		wrong = append(wrong, strings.Repeat("a", n), (tok + strings.Repeat(tok, 2))[:n])
	}
	for _, w := range wrong {
		if w != tok && w != oldTok && src().tokenAt(w) != 0 {
			t.Errorf("wrong token %q (length %d) accepted", w, len(w))
		}
	}
	rc.SetSources([]Source{{Name: "lb", Kind: syncd.KindLokalebasen, Tokens: []string{tok}}})
	if src().tokenAt(oldTok) != 0 || src().tokenAt(tok) != 1 {
		t.Error("after the reload, the retired token is accepted or the kept one refused")
	}
}

// TestBasicAuthComparedByDigest: Basic auth passes with the configured
// user and password only, whatever the length of a wrong one.
func TestBasicAuthComparedByDigest(t *testing.T) {
	t.Parallel()
	rc := New(Options{Sources: []Source{{Name: "eaf", Kind: syncd.KindEAF, Tokens: []string{"t"}, BasicUser: "portal", BasicPass: "pa55word"}}, Log: zerolog.Nop()})
	src := (*rc.sources.Load())["eaf"]
	for _, c := range []struct {
		user, pass string
		ok         bool
	}{
		{"portal", "pa55word", true}, {"portal", "pa55wor", false}, {"portal", "pa55wordX", false},
		{"portal", "", false}, {"", "pa55word", false}, {"portalX", "pa55word", false}, {"pa55word", "portal", false},
	} {
		r := httptest.NewRequest("POST", "/hooks/eaf/t", nil)
		r.SetBasicAuth(c.user, c.pass)
		if src.basicOK(r) != c.ok {
			t.Errorf("%q:%q: ok %v, want %v", c.user, c.pass, !c.ok, c.ok)
		}
	}
	if src.basicOK(httptest.NewRequest("POST", "/hooks/eaf/t", nil)) {
		t.Error("no Basic auth accepted")
	}
}
