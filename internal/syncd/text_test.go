package syncd_test

import (
	"testing"
	"unicode"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOneLineAndLinesShowTextAsWritten: a sender's line breaks and control
// characters become spaces (Lines keeps line breaks as line feeds), the
// bidirectional overrides, isolates and zero-width characters go, and the
// text of any script, with the joiners and marks it needs, stays.
func TestOneLineAndLinesShowTextAsWritten(t *testing.T) {
	for _, c := range []struct{ in, one, lines string }{
		{"Kim Hansen", "Kim Hansen", "Kim Hansen"},
		{"محمد الأحمد", "محمد الأحمد", "محمد الأحمد"},
		{"\u202emoc.elgoog", "moc.elgoog", "moc.elgoog"},
		{"a\u2066b\u2067c\u2068d\u2069e\u202af\u202bg\u202ch\u202di", "abcdefghi", "abcdefghi"},
		{"go\u200bogle\ufeff.com\u2060", "google.com", "google.com"},
		{"\U000e0041\U000e0042x", "x", "x"},
		{"می\u200cخواهم 👩\u200d💻 \u200fא\u200e \u061c", "می\u200cخواهم 👩\u200d💻 \u200fא\u200e \u061c", "می\u200cخواهم 👩\u200d💻 \u200fא\u200e \u061c"},
		{"a\r\nb\rc\nd\u2028e\u2029f\u0085g", "a  b c d e f g", "a\nb\nc\nd\ne\nf\ng"},
		{"a\x00b\x1b[2J\tc\x7fd\u009be", "a b [2J c d e", "a b [2J c d e"},
		{"a\ufffeb\uffffc\ufdd0d\ufdefe\U0010fffff\ufffd\ufdcf", "a b c d e f\ufffd\ufdcf", "a b c d e f\ufffd\ufdcf"},
	} {
		if got := syncd.OneLine(c.in); got != c.one {
			t.Errorf("OneLine(%q) = %q, want %q", c.in, got, c.one)
		}
		if got := syncd.Lines(c.in); got != c.lines {
			t.Errorf("Lines(%q) = %q, want %q", c.in, got, c.lines)
		}
	}
}

// Hidden answers false at once below U+00AD, its quick path for the
// ASCII and Latin-1 letters most text is made of: that holds only while
// Unicode puts no format character (Cf) there, checked against the
// tables Go is built with.
func TestHiddenQuickPathMissesNoFormatCharacter(t *testing.T) {
	for r := rune(0); r < '\u00ad'; r++ {
		if unicode.Is(unicode.Cf, r) {
			t.Errorf("%U is a format character: syncd.Hidden's quick path would miss it", r)
		}
	}
	if !syncd.Hidden('\u200b') || syncd.Hidden('a') {
		t.Error("Hidden: a zero-width space is hidden, a letter is not")
	}
}
