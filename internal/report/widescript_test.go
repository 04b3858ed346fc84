package report

import (
	"math"
	"strings"
	"testing"
)

// TestWideScriptsWrapByTheCharacter: a Chinese message on the Leads sheet,
// in a message column 13 wide, printed by LibreOffice on seven lines (seven
// characters a line, "150" kept whole), in a row sized for six: its last
// line, "间。", was cut off at the row's edge, on screen and on paper. A
// character of Chinese, Japanese or Korean is an em wide (10 points: 1.97
// digits of Calibri, counted as 1.8), and such text breaks between any two
// characters, not only at spaces (it was counted as one long word cut at
// any fraction of a character). Rows are now as tall as that needs: at
// least as many lines as whole characters an em wide fill in the
// column's printed width.
func TestWideScriptsWrapByTheCharacter(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	msg := "您好，我们公司对这个办公室很感兴趣，请问可以安排看房吗？我们需要大约150平方米的空间。"
	if got := textLines(msg, 13); got < 7 {
		t.Errorf("the message LibreOffice printed on 7 lines of a column 13 wide is counted %d", got)
	}
	// Whole characters of 10 points (13.34 pixels at 96 dpi) in a column's
	// printed width (colPixels) less 2 pixels of margin: what LibreOffice
	// fitted (seven in a column 13 wide, 96 pixels).
	for width := 6.0; width <= 60; width++ {
		perLine := math.Floor((colPixels(width) - 2) / (10 * 96.0 / 72))
		for n := 1; n <= 120; n++ {
			want := int(math.Ceil(float64(n) / perLine))
			if got := textLines(strings.Repeat("中", n), width); got < want {
				t.Fatalf("%d Chinese characters in a column %v wide are counted %d lines; %v a line take %d", n, width, got, perLine, want)
			}
		}
	}
}
