package report

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/message"
)

// lineHeight is the height in points of each line of text in the body
// font, 10-point Calibri: Excel's own, 17 pixels, for one line and for
// each line of wrapped text (LibreOffice needs less: some 10 points a
// line of Carlito, Calibri's metric twin). Every data row is a whole
// number of lines; one-line rows take it as the sheet's default height.
const lineHeight = 12.75

// rowHeight is the height a row needs for its text to show whole in
// columns of widths, wrapped; 0 when one line is enough.
func rowHeight(vals []any, widths []float64) float64 {
	lines := 1
	for i, v := range vals {
		if i >= len(widths) {
			break
		}
		lines = max(lines, textLines(v, widths[i]))
	}
	if lines == 1 {
		return 0
	}
	return min(float64(lines)*lineHeight, maxRowHeight)
}

// maxRowHeight is the tallest row Excel has, in points; maxLines the lines
// of text it shows.
const (
	maxRowHeight = 409
	maxLines     = 32 // maxRowHeight / lineHeight, rounded down
)

// clipText is the longest start of s that fits in maxLines lines of a
// column width wide with a last line saying how many characters are left
// out and, after them, where (where: "" or "; ..."), cut after a word
// where one ends near the cut.
func clipText(num *message.Printer, s string, width float64, where string) string {
	cut := func(n int) string {
		return strings.TrimRight(s[:n], " \n") + num.Sprintf("\n… [%d more characters: too long for a row", utf8.RuneCountInString(s[n:])) + where + "]"
	}
	lo, hi := 0, len(s) // s[:lo] fits; s[:hi] does not
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; textLines(cut(mid), width) <= maxLines {
			lo = mid
		} else {
			hi = mid
		}
	}
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	if sp := strings.LastIndexAny(s[:lo], " \n"); sp > lo-20 && sp > 0 {
		lo = sp
	}
	return cut(lo)
}

// textLines is how many lines v takes wrapped in a column width characters
// wide: its lines wrapped word by word, as Excel and LibreOffice do.
func textLines(v any, width float64) int {
	if c, ok := v.(excelize.Cell); ok {
		v = c.Value
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return 1
	}
	// A width unit is one digit of the 11-point default font plus a little
	// padding; cells are in 10 points (fontSize), so a column holds some
	// 1.03 of their digits per unit, less a margin for rounding.
	per := width*1.03 - 0.5
	if oneLine(s, per) {
		return 1 // most cells, in one pass over their bytes
	}
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n += wrappedLines(line, per)
	}
	return n
}

// wrappedLines is how many lines of per digits' width line takes when
// wrapped at spaces, and between any two characters of a wide script
// (Chinese, Japanese, Korean: written without spaces), a word longer than
// a line being cut. It reads line once, byte by byte where it is ASCII: a
// day of a million leads measures millions of cells.
func wrappedLines(line string, per float64) int {
	z := wrapping{per: per, lines: 1}
	w, inWord, spaced := 0.0, false, false // spaced: a space comes before the next piece
	for i := 0; i < len(line); {
		var r rune
		var rw float64
		space := false
		if c := line[i]; c < utf8.RuneSelf {
			space = c == ' ' || c >= '\t' && c <= '\r'
			rw = byteWidth[c]
			i++
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(line[i:])
			space = unicode.IsSpace(r)
			rw = runeWidth(r)
			i += n
		}
		switch {
		case space:
			if inWord {
				z.add(w, spaced)
				w, inWord = 0, false
			}
			spaced = true
		case wide(r): // a piece of its own, next to what is before and after it
			if inWord {
				z.add(w, spaced)
				w, inWord, spaced = 0, false, false
			}
			z.add(rw, spaced)
			spaced = false
		default:
			w, inWord = w+rw, true
		}
	}
	if inWord {
		z.add(w, spaced)
	}
	return z.lines
}

// wrapping is a line being filled word by word.
type wrapping struct {
	per, used float64
	lines     int
}

// add adds a piece w digits wide: a word, after a space when spaced, or
// else a character of a wide script or the word next to one.
func (z *wrapping) add(w float64, spaced bool) {
	sep := 0.0
	if spaced {
		sep = byteWidth[' ']
	}
	switch {
	case z.used > 0 && z.used+sep+w <= z.per:
		z.used += sep + w
	case z.used == 0 && w <= z.per:
		z.used = w
	default:
		if z.used > 0 {
			z.lines++
		}
		cut := int((w - 0.001) / z.per) // lines a word longer than a line fills
		z.lines += cut
		z.used = w - float64(cut)*z.per
	}
}

// oneLine reports whether s has no line break and fits in per digits'
// width even with every byte of a letter outside ASCII counted as a digit.
func oneLine(s string, per float64) bool {
	w := 0.0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			return false
		}
		w += byteWidth[c]
	}
	return w <= per
}

// byteWidth is runeWidth of each ASCII byte, and a digit for the others.
var byteWidth = func() (t [256]float64) {
	for i := range t {
		t[i] = 1
		if i < 0x80 {
			t[i] = runeWidth(rune(i))
		}
	}
	return t
}()

// widest is the widest letter's width, in digits: that of a character of
// a wide script, an em (1000/507 digits: Calibri has none, and the font
// that shows them draws them an em wide), a twentieth more for safety.
// (At 1.8, a Chinese message's last line was cut off at its row's edge.)
const widest = 1000.0 / 507 * 1.05

// calibri holds the printable ASCII letters' widths in Calibri (and
// Carlito, its metric twin), in thousandths of an em, from ' ' to '~'.
var calibri = [95]uint16{
	226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, // ' ' to '/'
	507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, // '0' to '?'
	899, 579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662, // '@' to 'O'
	517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 307, 386, 307, 498, 498, // 'P' to '_'
	291, 479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455, 229, 799, 525, 527, // '`' to 'o'
	525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498, // 'p' to '~'
}

// calibriLatin holds the widths of the letters of Latin-1 and Latin
// Extended-A (Danish, Norwegian, Swedish, German, Polish, ...) in Carlito,
// in thousandths of an em, from U+00A0 to U+017F, read from its hmtx
// table (Carlito-Regular.ttf, 2048 units an em, rounded) as calibri's
// are: counted as a digit, 507, "Æbelø Ærøskøbing" was narrower than
// printed, Æ and æ being 763 and 773, and a row of a message in æ wrapped
// to a line more than its row showed, cut off at its edge. The no-break
// space and the soft hyphen, which Carlito maps to no glyph, are a space
// and a hyphen. None is wider than two digits: oneLine's count of a digit
// a byte stays an upper bound.
var calibriLatin = [0x180 - 0xa0]uint16{
	226, 326, 498, 507, 498, 507, 498, 498, 393, 834, 402, 512, 498, 306, 507, 394, // U+00A0 to U+00AF
	339, 498, 336, 334, 292, 550, 586, 252, 307, 246, 422, 512, 636, 671, 675, 463, // U+00B0 to U+00BF
	579, 579, 579, 579, 579, 579, 763, 533, 488, 488, 488, 488, 252, 252, 252, 252, // U+00C0 to U+00CF
	625, 646, 662, 662, 662, 662, 662, 498, 664, 642, 642, 642, 642, 487, 517, 527, // U+00D0 to U+00DF
	479, 479, 479, 479, 479, 479, 773, 423, 498, 498, 498, 498, 229, 229, 229, 229, // U+00E0 to U+00EF
	525, 525, 527, 527, 527, 527, 527, 498, 529, 525, 525, 525, 525, 453, 525, 453, // U+00F0 to U+00FF
	579, 479, 579, 479, 579, 479, 533, 423, 533, 423, 533, 423, 533, 423, 615, 568, // U+0100 to U+010F
	625, 552, 488, 498, 488, 498, 488, 498, 488, 498, 488, 498, 631, 471, 631, 471, // U+0110 to U+011F
	631, 471, 631, 471, 623, 525, 656, 533, 252, 229, 252, 229, 252, 229, 252, 229, // U+0120 to U+012F
	252, 229, 571, 469, 319, 239, 520, 455, 455, 420, 229, 420, 229, 423, 264, 546, // U+0130 to U+013F
	374, 430, 248, 646, 525, 646, 525, 646, 525, 579, 628, 525, 662, 527, 662, 527, // U+0140 to U+014F
	662, 527, 867, 850, 543, 349, 543, 349, 543, 349, 459, 391, 459, 391, 459, 391, // U+0150 to U+015F
	459, 391, 487, 335, 487, 346, 487, 342, 642, 525, 642, 525, 642, 525, 642, 525, // U+0160 to U+016F
	642, 525, 642, 525, 890, 715, 487, 453, 487, 468, 395, 468, 395, 468, 395, 243, // U+0170 to U+017F
}

// calibriPunct holds the widths in Carlito of the punctuation of General
// Punctuation a sender's text has most, from U+2012 to U+2026, as
// calibriLatin's (0: not in Carlito, a digit): the dashes (an em dash,
// 905, is near two digits), the curly quotes and the ellipsis, which
// oneLineIn puts at a cut.
var calibriPunct = [0x2027 - 0x2012]uint16{
	507, 498, 905, 905, 395, 498, 250, 250, 250, 250, 418, 418, 418, 418, // U+2012 to U+201F
	498, 498, 498, 0, 0, 0, 690, // U+2020 to U+2026
}

// runeWidth is r's width in digits of the same font, a twentieth more for
// safety: Excel and LibreOffice wrap by the letters' real widths, so a
// line holds more of "illicit" than of "MEMO". Letters of Latin-1, Latin
// Extended-A and the common punctuation count by their widths too
// (calibriLatin, calibriPunct: "Æ" is a digit and a half), other letters
// as a digit, those of wide scripts as widest.
func runeWidth(r rune) float64 {
	switch {
	case r >= ' ' && r <= '~':
		return float64(calibri[r-' ']) / 507 * 1.05
	case r >= 0xa0 && r < 0x180:
		return float64(calibriLatin[r-0xa0]) / 507 * 1.05
	case r >= 0x2012 && r <= 0x2026 && calibriPunct[r-0x2012] > 0:
		return float64(calibriPunct[r-0x2012]) / 507 * 1.05
	case wide(r):
		return widest
	}
	return 1
}

// wide reports whether r is of a wide script (Hangul Jamo, and from the
// CJK radicals on: Chinese, Japanese, Korean, and the full-width forms),
// an em wide, whose text lines break between any two characters.
func wide(r rune) bool { return r >= 0x1100 && (r <= 0x115f || r >= 0x2e80) }

// oneLineIn is s when it shows whole on one line of a column width
// characters wide (fitWidth), else the longest start of it that does with
// "…" after it, cut after a word when one ends near the cut: for a cell
// that must stay one line tall.
func oneLineIn(s string, width float64) string {
	if fitWidth(s, styles{}) <= width {
		return s
	}
	// The widths of a line's characters add up: one pass finds the
	// longest start that fits. (Measuring every start, one character
	// shorter each time, took hours for a sender's name of 400,000.)
	r := []rune(s)
	n := cutAt(r, func(w float64) bool { return math.Ceil((w+0.5)/1.03) <= width })
	cut := string(r[:n])
	if sp := strings.LastIndexByte(cut, ' '); sp > 0 && len(cut)-sp < 8 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " ") + "…"
}

// cutAt is how many of r's first characters, "…" after them, are as
// wide (runeWidth, added up in order) as fits allows: the most, up to
// all but one, or 0.
func cutAt(r []rune, fits func(width float64) bool) int {
	ellipsis := runeWidth('…')
	n, w := 0, 0.0
	for n < len(r)-1 && fits(w+runeWidth(r[n])+ellipsis) {
		w += runeWidth(r[n])
		n++
	}
	return n
}

// breakLines breaks each line of text at its spaces into lines of at most
// width runes (a longer word alone on its line), for a cell whose lines
// must break where syncd says: LibreOffice, left to wrap an alarm banner
// itself, broke "syncd sync -resume" after its hyphen, and a command
// split there is copied wrong. The width is one the cell shows whole in
// Excel and LibreOffice, which then break no line of their own.
func breakLines(text string, width int) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		n := 0
		for j, word := range strings.Split(line, " ") {
			l := utf8.RuneCountInString(word)
			if j > 0 && n+1+l > width {
				b.WriteByte('\n')
				n = 0
			} else if j > 0 {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(word)
			n += l
		}
	}
	return b.String()
}
