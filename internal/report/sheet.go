package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/message"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Sheet names, in the order they appear in the workbook. SheetPortals is
// there only on a day the Summary sums some portals or sources (folded).
const (
	SheetSummary   = "Summary"
	SheetLeads     = "Leads"
	SheetFailures  = "Portal failures"
	SheetFeeds     = "Feed imports"
	SheetAttention = "Needs attention"
	SheetPortals   = "Portals and sources"
)

// column is one column of a streamed sheet. Its width fits the header and
// the first rows written (sampleRows of them), within [Min, Max]
// characters; text longer than the width wraps and its row grows. A column
// that stretches (a long text) also takes, beyond Max, the printed width
// the others leave (stretch); so does a column with Grow set (a lead's CRM
// status and the reason it is not in the CRM), which then gives none of
// it back (shrink). A column with Keep set (a slug, a portal's
// name, which a reader reads or copies whole) shows its values whole up to
// Max, but gives back, down to Keep, what the page lacks once the columns
// that stretch are at their Min (shrink). A column with Word set (a name,
// a company) is, past Max, as wide as its longest word up to Word: its
// values wrap at their spaces, not mid-word ("Christiansen",
// "Advokatfirmaet"). A column with Right set holds figures, right-aligned,
// and its title is too. A column with WholeIn set (a lead's message) has a
// text too long for its row cut (clip) saying that the column titled so
// holds it whole, and that column is given it.
type column struct {
	Title    string
	Min, Max float64
	Keep     float64
	Word     float64
	Stretch  bool
	Grow     bool
	Right    bool
	WholeIn  string
}

// sampleRows is how many rows a streamed sheet holds back to fit its
// column widths before writing anything: a day's worth for most agencies,
// and a fixed amount of memory however large the day.
const sampleRows = 512

// streamSheet writes one large sheet row by row through excelize's
// StreamWriter: an optional introduction (its lines apart), a header row, the rows in
// an Excel table (banded rows, filter buttons), fitted column widths, rows
// tall enough for their wrapped text, and page setup for printing.
type streamSheet struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	st     styles
	num    *message.Printer // writes the numbers of its notes (readerNumbers)
	name   string
	intro  string // a first row above the header, its lines split by "\n"; "" for none
	cols   []column
	widths []float64
	words  []float64 // the sample's longest words' widths, in the columns with Word
	// fixed is a copy of widths once start has fixed them, for the reader
	// goroutines to size rows with (height): off the writer's goroutine,
	// which is the one a day of a million leads waits for.
	fixed   atomic.Pointer[[]float64]
	sample  [][]any // rows held back until the widths are known
	started bool
	header  int    // the header's row number
	rows    int    // rows written
	written int    // data rows written
	printed int    // columns that print; 0 for all
	day     string // the report's day, as its pages' footer names it
	head    string // the agency, as its pages' header names it; "" for none
	maxRows int    // rows a sheet holds; the last one is kept for a note
	skipped int    // data rows beyond maxRows, counted but not written
}

func newStreamSheet(f *excelize.File, st styles, num *message.Printer, name, intro string, cols []column) (*streamSheet, error) {
	// The sheet properties are written when the stream opens: fit to page
	// must be set before.
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptr(true),
		DefaultRowHeight: ptr(float64(lineHeight)), CustomHeight: ptr(true)}); err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	s := &streamSheet{f: f, sw: sw, st: st, num: num, name: name, intro: intro, cols: cols, maxRows: excelize.TotalRows}
	s.widths, s.words = make([]float64, len(cols)), make([]float64, len(cols))
	for i, c := range cols {
		s.widths[i] = max(c.Min, titleWidth(c.Title))
	}
	return s, nil
}

// start fixes the column widths from the sample and writes the
// introduction, the header and the sample.
func (s *streamSheet) start() error {
	s.started = true
	want := slices.Clone(s.widths)
	for i := range s.widths {
		s.widths[i] = min(titleClear(s.cols[i].Title, s.widths[i]), s.cols[i].Max)
		s.widths[i] = max(s.widths[i], min(s.words[i], s.cols[i].Word))
	}
	s.stretch(want)
	s.shrink()
	for i := len(s.cols) - 1; i >= 0; i-- { // last first: excelize prepends each
		if err := s.sw.SetColWidth(i+1, i+1, s.widths[i]); err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
		if err := s.sw.SetColStyle(i+1, i+1, s.st.wrap); err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	fixed := slices.Clone(s.widths)
	s.fixed.Store(&fixed)
	s.header = 1
	if s.intro != "" {
		s.header = 2
	}
	top := fmt.Sprintf("A%d", s.header+1)
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: s.header, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	if err := s.writeIntro(); err != nil {
		return err
	}
	header := make([]any, len(s.cols))
	for i, c := range s.cols {
		style := s.st.header
		if c.Right {
			style = s.st.headerRight
		}
		header[i] = excelize.Cell{StyleID: style, Value: c.Title}
	}
	if err := s.write(header, excelize.RowOpts{Height: max(20, rowHeight(header, s.widths))}); err != nil {
		return err
	}
	for _, r := range s.sample {
		if err := s.put(r, unsized); err != nil {
			return err
		}
	}
	s.sample = nil
	return nil
}

// stretch widens the columns that stretch towards the widths their text
// wants (want), sharing between them, in proportion to what each lacks,
// the width the printed columns leave of what prints one page wide at
// minScale: long texts wrap less, and the page is as full as it may be.
func (s *streamSheet) stretch(want []float64) {
	printed := s.printed
	if printed == 0 {
		printed = len(s.cols)
	}
	spare, lack := printWidth/minScale, 0.0
	for i, w := range s.widths[:printed] {
		spare -= colPixels(w)
		if s.cols[i].Stretch || s.cols[i].Grow {
			lack += want[i] - w
		}
	}
	units := math.Floor(spare / pixelsPerUnit)
	if units < 1 || lack <= 0 {
		return
	}
	for i, w := range s.widths[:printed] {
		if s.cols[i].Stretch || s.cols[i].Grow {
			s.widths[i] += min(want[i]-w, math.Floor(units*(want[i]-w)/lack))
		}
	}
}

// shrink narrows the columns that stretch, towards their Min, by what the
// printed columns take past one page wide at minScale: columns whose
// values show whole up to a Max that leaves no room for every other one at
// its Max too (the Leads sheet's slugs) take it from the message. What the
// page still lacks then, the columns with Keep give back, a unit at a
// time from the one furthest above its Keep.
func (s *streamSheet) shrink() {
	printed := s.printed
	if printed == 0 {
		printed = len(s.cols)
	}
	over := -printWidth / minScale
	for _, w := range s.widths[:printed] {
		over += colPixels(w)
	}
	for i, w := range s.widths[:printed] {
		if over > 0 && s.cols[i].Stretch {
			cut := min(math.Ceil(over/pixelsPerUnit), w-s.cols[i].Min)
			s.widths[i] -= cut
			over -= cut * pixelsPerUnit
		}
	}
	for over > 0 {
		most := -1
		for i, c := range s.cols[:printed] {
			if c.Keep > 0 && s.widths[i]-c.Keep >= 1 && (most < 0 || s.widths[i]-c.Keep > s.widths[most]-s.cols[most].Keep) {
				most = i
			}
		}
		if most < 0 {
			return
		}
		s.widths[most]--
		over -= pixelsPerUnit
	}
}

func (s *streamSheet) write(vals []any, opts ...excelize.RowOpts) error {
	s.rows++
	cell, err := excelize.CoordinatesToCellName(1, s.rows)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow(cell, vals, opts...); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", s.name, s.rows, err)
	}
	return nil
}

// writeIntro writes the introduction, if any, across the sheet's printed
// columns: a row as tall as its lines wrap to across them, in bold. (It
// was as tall as its lines alone: over narrow columns, a day of short
// reasons, the last printed cut off under the header. Across a column
// that does not print, its lines' ends would not print.)
func (s *streamSheet) writeIntro() error {
	if s.intro == "" {
		return nil
	}
	printed := s.printed
	if printed == 0 {
		printed = len(s.cols)
	}
	width := 0.0
	for _, w := range s.widths[:printed] {
		width += w
	}
	lines := textLines(s.intro, width/1.05) // bold, a twentieth wider (titleWidth)
	if err := s.write([]any{excelize.Cell{StyleID: s.st.intro, Value: s.intro}},
		excelize.RowOpts{Height: min(22+float64(lines-1)*lineHeight, maxRowHeight)}); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(printed, s.rows)
	if err != nil {
		return err
	}
	if err := s.sw.MergeCell(fmt.Sprintf("A%d", s.rows), last); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	return nil
}

// unsized is the height of a row not yet sized (see height).
const unsized = -1

// height is the height vals need (rowHeight) once the column widths are
// fixed, or unsized before: safe on any goroutine.
func (s *streamSheet) height(vals []any) float64 {
	if w := s.fixed.Load(); w != nil {
		return rowHeight(s.printing(vals), *w)
	}
	return unsized
}

// printing is the values of vals in the columns that print: only they
// size a row. A listing's address of 300 characters, shown as text in
// the Portal failures sheet's Listing column, which does not print, made
// its row 25 lines tall, most of a printed page blank; on screen the
// cell shows its first lines, and the whole address is copied with it.
func (s *streamSheet) printing(vals []any) []any {
	if s.printed > 0 && len(vals) > s.printed {
		return vals[:s.printed]
	}
	return vals
}

// data writes one data row, h points tall (0 for one line; unsized: as
// tall as its longest wrapped text).
func (s *streamSheet) data(vals []any, h float64) error {
	s.written++
	if h == unsized {
		h = rowHeight(s.printing(vals), s.widths)
	}
	if h >= maxRowHeight {
		s.clip(vals)
	}
	s.st.keepText(vals)
	if h > 0 {
		return s.write(vals, excelize.RowOpts{Height: h})
	}
	return s.write(vals)
}

// clip cuts each text in vals that needs more lines than a row shows
// (clipText): the rest would be hidden below the row's edge, on screen and
// in print, with nothing to say so. A column with WholeIn gives the text
// whole to that column, and its cut says so: cut alone, the rest of a
// client's message was nowhere in the workbook, to search or to copy.
func (s *streamSheet) clip(vals []any) {
	whole := -1 // the column given a text whole, not to be cut in turn
	for i, v := range vals {
		str, ok := v.(string)
		if !ok || i == whole || i >= len(s.widths) || textLines(str, s.widths[i]) <= maxLines {
			continue
		}
		where := ""
		if to := slices.IndexFunc(s.cols, func(c column) bool { return c.Title == s.cols[i].WholeIn }); to > i && to < len(vals) {
			where, whole, vals[to] = "; the whole message is in the column "+s.cols[to].Title, to, str
		}
		vals[i] = clipText(s.num, str, s.widths[i], where)
	}
}

// row writes one data row, h points tall as height gave it; the slice it
// is given may be reused afterwards. Past the rows a sheet holds the row
// is only counted: the summary still has it, and close says how many are
// missing.
func (s *streamSheet) row(h float64, vals ...any) error {
	if !s.started {
		for i, v := range vals {
			if i < len(s.widths) {
				s.widths[i] = max(s.widths[i], fitWidth(v, s.st))
				if s.cols[i].Word > 0 {
					s.words[i] = max(s.words[i], wordWidth(v))
				}
			}
		}
		s.sample = append(s.sample, append([]any(nil), vals...))
		if len(s.sample) < sampleRows {
			return nil
		}
		return s.start()
	}
	return s.put(vals, h)
}

// put writes a data row, or counts it when the sheet is full.
func (s *streamSheet) put(vals []any, h float64) error {
	if s.rows >= s.maxRows-1 {
		s.skipped++
		return nil
	}
	return s.data(vals, h)
}

// close writes a note when there were no rows or when some did not fit,
// makes the rows an Excel table, sets up printing and flushes the sheet.
func (s *streamSheet) close(empty string) error {
	if !s.started {
		if err := s.start(); err != nil {
			return err
		}
	}
	note := ""
	switch {
	case s.skipped > 0:
		note = s.num.Sprintf("%d more rows are not shown: a sheet holds at most %d rows.", s.skipped, s.maxRows)
	case s.rows == s.header:
		note = empty
	}
	if note != "" {
		if err := s.write([]any{excelize.Cell{StyleID: s.st.note, Value: note}}); err != nil {
			return err
		}
	}
	first, _ := excelize.CoordinatesToCellName(1, s.header)
	last, err := excelize.CoordinatesToCellName(len(s.cols), max(s.rows, s.header+1))
	if err != nil {
		return err
	}
	if err := s.sw.AddTable(&excelize.Table{Range: first + ":" + last, Name: tableName(s.name),
		StyleName: "TableStyleMedium2", ShowRowStripes: ptr(true)}); err != nil {
		return fmt.Errorf("sheet %s: table: %w", s.name, err)
	}
	if err := printSetup(s.f, s.name, s.header, 0, s.day, s.head); err != nil {
		return err
	}
	if s.printed > 0 && s.written > 0 { // a print area would print a hidden sheet
		col, _ := excelize.ColumnNumberToName(s.printed)
		if err := s.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: s.name,
			RefersTo: fmt.Sprintf("'%s'!$A:$%s", s.name, col)}); err != nil {
			return fmt.Errorf("sheet %s: print area: %w", s.name, err)
		}
	}
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	return nil
}

// dimension is the range the sheet's cells span, for its <dimension>.
func (s *streamSheet) dimension() string {
	last, _ := excelize.CoordinatesToCellName(len(s.cols), max(s.rows, 1))
	return "A1:" + last
}

// tableName is a sheet's name as an Excel table name (letters, digits and
// underscores).
func tableName(sheet string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' {
			return '_'
		}
		return r
	}, sheet)
}

// printSetup prints sheet on A4 landscape, all its columns on one page
// wide (and all its rows on pagesTall pages, 0 for as many as it takes),
// with the header row (headerRow, 0 for none) repeated on every page. The
// margins are narrow: every column printed must fit one page wide at four
// fifths of its size or more (text of 8 points or more from the body's
// 10), and every line saved is paper saved. Every page has the sheet's
// name, the report's day (day: its pages' times are hh:mm alone) and the
// page number in its footer (day: the report's day and the zone of its
// times); the Summary's one page too, which had none and printed as the
// one page of the workbook unnumbered. The header names the agency (head,
// "" for none): the pages of several agencies' reports on one desk look
// alike otherwise.
func printSetup(f *excelize.File, sheet string, headerRow, pagesTall int, day, head string) error {
	err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(pagesTall),
	})
	if err == nil {
		err = f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
			Left: ptr(marginSide), Right: ptr(marginSide), Top: ptr(marginTop), Bottom: ptr(marginBottom), Header: ptr(0.15), Footer: ptr(0.2),
		})
	}
	if err == nil && day != "" {
		hf := &excelize.HeaderFooterOptions{
			OddFooter: `&L&"Calibri"&8&A · ` + day + `&R&"Calibri"&8Page &P of &N`,
		}
		if head != "" {
			// The size before the font: a name starting with a digit
			// ("3D Erhverv") would read as part of the size after it.
			hf.OddHeader = `&L&9&"Calibri,Bold"` + strings.ReplaceAll(head, "&", "&&")
		}
		err = f.SetHeaderFooter(sheet, hf)
	}
	if err == nil && headerRow > 0 {
		err = f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerRow, headerRow)})
	}
	if err != nil {
		return fmt.Errorf("sheet %s: page setup: %w", sheet, err)
	}
	return nil
}

// The page margins, in inches: left and right, top, and bottom (the
// footer's room).
const (
	marginSide   = 0.25
	marginTop    = 0.3
	marginBottom = 0.45
)

// Every printed column of a sheet fits one page wide at minScale of its
// size or more: 10-point text prints at 8 points or more. printWidth is A4
// landscape between the margins, in pixels at 96 dpi; a column takes
// pixelsPerUnit of them for each unit of width (a digit of 11-point
// Calibri), and 5 more of padding (colPixels).
const (
	minScale      = 0.8
	printWidth    = (11.69 - 2*marginSide) * 96
	pixelsPerUnit = 7
)

// colPixels is a column width's printed width at full size, in pixels.
func colPixels(w float64) float64 { return math.Trunc(w*pixelsPerUnit + 5) }

// titleWidth is the width a column's title needs: its longest word, in
// bold, and a little padding; a title of several words wraps.
func titleWidth(title string) float64 {
	w := 0.0
	for word := range strings.FieldsSeq(title) {
		n := 0.0
		for _, r := range word {
			n += runeWidth(r)
		}
		w = max(w, n)
	}
	return math.Ceil(w*1.05 + 1)
}

// titleClear is width, or more where the column's title would show on
// one line filling the column to its edge: it ran into the next title on
// the printed page ("Submitted atFailed"). It then takes its width in
// bold and a digit to spare.
func titleClear(title string, width float64) float64 {
	whole := 0.0
	for _, r := range title {
		whole += runeWidth(r)
	}
	if need := math.Ceil(whole*1.05 + 1); width < need && whole*0.95 <= width {
		return need
	}
	return width
}

// fitWidth is the least whole width of a column that shows v on one line,
// as textLines measures it: its longest line for text. A time takes the
// width of its format: hh:mm in a clock style (with its zone, if named,
// and its indent), else yyyy-mm-dd hh:mm (with its zone, if its style
// names one) and a unit more (a number too wide for its column shows as
// ####).
func fitWidth(v any, st styles) float64 {
	switch x := v.(type) {
	case excelize.Cell:
		if _, ok := x.Value.(time.Time); ok {
			if zone, ok := st.clockZone(x.StyleID); ok && zone == "" {
				return fitWidth("00:00", st)
			} else if ok { // and its indent's width
				return fitWidth("00:00 "+zone, st) + 2
			}
			if zone, ok := st.datetimeZone(x.StyleID); ok && zone != "" {
				return fitWidth("0000-00-00 00:00 "+zone, st) + 1
			}
		}
		return fitWidth(x.Value, st)
	case string:
		w := 0.0
		for line := range strings.SplitSeq(x, "\n") {
			n := 0.0
			for _, r := range line {
				n += runeWidth(r)
			}
			w = max(w, n)
		}
		return math.Ceil((w + 0.5) / 1.03) // textLines' line of a width
	case time.Time:
		return fitWidth("0000-00-00 00:00", st) + 1
	case nil:
		return 0
	default:
		return fitWidth(fmt.Sprint(x), st)
	}
}

// wordWidth is the least whole width of a column that shows v's longest
// word on one line, as fitWidth measures a line; 0 for what is no text. A
// word ends at a space or after a hyphen, where Excel and LibreOffice
// break a line too ("Andersen-" of "Andersen-Møller").
func wordWidth(v any) float64 {
	s, ok := v.(string)
	if !ok {
		return 0
	}
	w, n := 0.0, 0.0
	for _, r := range s {
		if unicode.IsSpace(r) {
			w, n = max(w, n), 0
			continue
		}
		n += runeWidth(r)
		if r == '-' {
			w, n = max(w, n), 0
		}
	}
	return math.Ceil((max(w, n) + 0.5) / 1.03)
}

// maxLinkURL is the longest address Excel's HYPERLINK function takes (and
// the longest string constant in a formula).
const maxLinkURL = 255

// link returns a cell that opens url, showing text (nil, no cell, when
// there is neither). Links are HYPERLINK formulas rather than sheet
// hyperlinks: a worksheet holds at most 65,530 hyperlinks and each costs a
// relationship kept in memory until the file is written, which would break
// a day of a million leads. An address Excel cannot take is shown as text.
func link(st styles, text, url string) any {
	if text = syncd.Lines(text); text == "" {
		text = syncd.Lines(url)
	}
	if text == "" {
		return nil
	}
	if !linkable(url) || len(text) > maxLinkURL {
		return text
	}
	return excelize.Cell{
		StyleID: st.link,
		Formula: `HYPERLINK("` + quote(url) + `","` + quote(text) + `")`,
		Value:   text,
	}
}

// shownCells makes the texts of a row (strings, and cells' string values)
// what a cell shows of a sender's text (syncd.Lines): a control character
// or a noncharacter as a space, as the mail shows it, where excelize wrote
// U+FFFD (a NUL, an ESC, U+FFFE: "?" in a box); line breaks kept, for a message's lines; the
// bidirectional overrides that showed a name backwards left out.
func shownCells(row []any) {
	for i, v := range row {
		switch v := v.(type) {
		case string:
			row[i] = syncd.Lines(v)
		case excelize.Cell:
			if s, ok := v.Value.(string); ok {
				v.Value = syncd.Lines(s)
				row[i] = v
			}
		}
	}
}

// linkable reports whether url is a web address Excel's HYPERLINK takes:
// one that holds a control or an invisible character (a NUL, a line
// break, a bidirectional override) is shown as text, as a cell shows a
// sender's text, rather than linked as it came.
func linkable(url string) bool {
	return url != "" && len(url) <= maxLinkURL && strings.HasPrefix(url, "http") && syncd.OneLine(url) == url
}

func quote(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

// escapeLiteral is s as a shared string's text holds it: Office Open XML
// reads "_xHHHH_" there as the character HHHH ("_x0041_" as "A", "_x000D_"
// as a carriage return), so the underscore that starts one is written
// "_x005F_" for it to read as written. excelize's SetCellValue does not
// (its stream writer, which writes the other sheets, does): a sender's
// "_x0041_ Literal" showed on the Summary as "A Literal".
func escapeLiteral(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && escapeLike(s[i:]) {
			b.WriteString("_x005F")
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escapeLike reports whether s starts with "_x" and four hexadecimal
// digits and "_".
func escapeLike(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range s[2:6] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// maxCellText is the most characters a cell holds.
const maxCellText = 32767

// text caps s to what a cell holds.
func text(s string) string {
	if len(s) <= maxCellText {
		return s
	}
	r := []rune(s)
	if len(r) <= maxCellText {
		return s
	}
	return string(r[:maxCellText-1]) + "…"
}
