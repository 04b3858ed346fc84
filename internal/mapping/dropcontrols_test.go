package mapping

import (
	"testing"
	"unicode"
)

// TestDropControlsQuickPathKeepsWhatItShould: plain ASCII text skips the
// rune-by-rune look; each ASCII character, alone and inside text, comes
// out of dropControls as the look by runes has it (controls but tab and
// line breaks dropped), and text with a hidden character is still cut.
func TestDropControlsQuickPathKeepsWhatItShould(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		want := string(r)
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			want = ""
		}
		if got := dropControls(string(r)); got != want {
			t.Errorf("dropControls(%q) = %q, want %q", string(r), got, want)
		}
		if got := dropControls("ab" + string(r) + "cd"); got != "ab"+want+"cd" {
			t.Errorf("dropControls(%q) = %q, want %q", "ab"+string(r)+"cd", got, "ab"+want+"cd")
		}
	}
	for in, want := range map[string]string{
		"Søren\u200b Ærø": "Søren Ærø",
		"\u202emoc.x":     "moc.x",
		"a\u00adb":        "a\u00adb", // the soft hyphen is kept
		"line\r\nnext":    "line\r\nnext",
	} {
		if got := dropControls(in); got != want {
			t.Errorf("dropControls(%q) = %q, want %q", in, got, want)
		}
	}
}
