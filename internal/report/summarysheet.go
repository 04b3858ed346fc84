package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/message"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// summaryCols is how many columns the Summary sheet uses: A for labels,
// B to G for figures.
const summaryCols = 7

// summaryWidths are the Summary sheet's column widths, in characters: A
// for labels, B to G for figures, H a gap before the charts, and I to P
// under the charts, where a few feed imports are listed (feeds): the
// agent, time, format, link and records (12: "not a number" whole, see
// feeds), and three narrow ones; I to P as
// wide as the charts (500 pixels and their offset). They print one page
// wide at 80% of their size or more. Each title of the Leads and Portal
// health tables fits its column, in bold, with a digit's width to spare:
// at 12 each, "7-day average" and "Change", "Listings failed" and "Still
// failing" printed as one word. So does the name of each portal Estate
// Agent Feeds names in the Listings by error code table, in whichever
// column it falls among them ("PrimeLocation" in B or C, 14: at 12 and 11
// they showed "OnTheMar…" and "PrimeLoc…"); a name pushed into D or F by
// names sorting before it, or too long for any, is cut and named whole
// under the table (codesNote). A keeps the width of the longest code the
// report explains, and more. The
// titles stay on one line: a taller header row would take the Summary
// below 80% on a busy day. F, the Phone column of a small day's list of
// leads (leadList), is 14, a digit taken from the gap H: at 13 a phone
// spaced as the report shows it, "+44 20 3870 4550", did not fit, and a
// day of one London lead printed the Leads sheet as a page of its own.
var summaryWidths = []float64{29, 14, 14, 13, 14, 14, 11, 2, 22, 10, 14, 10, 12, 0.5, 0.5, 0.5}

// summaryWriter lays out the Summary sheet top to bottom with the normal
// (non-streaming) API: it is small whatever the size of the day.
type summaryWriter struct {
	f          *excelize.File
	st         styles
	row        int
	err        error
	portalRows [2]int // the Portal health table's first and last data rows
	chartTop   int    // the row the charts start in: the first table's, below the alarms
	// alarmsEnd is the last row of the heading and its alarms; pageTop
	// the first row of the page the tables print on: 1, or, when the
	// alarms leave no room for them on one page at minScale, the row after
	// alarmsEnd (alarmsApart).
	alarmsEnd, pageTop int
	labelsApart        bool // the failures chart's labels are in labelCol (portalLabels)
}

// The Summary prints on one page at minScale or more: its rows may take
// summaryPoints, a page's height between the margins (printSetup) at
// minScale. Its rows are lineHeight tall, as a line of its 10-point text
// needs; the blank rows between its tables and alarms gapHeight.
const (
	summaryPoints = (8.27 - marginTop - marginBottom) * 72 / minScale
	gapHeight     = 6
)

// gap leaves a short blank row.
func (w *summaryWriter) gap() {
	w.row++
	if w.err == nil {
		w.err = w.f.SetRowHeight(SheetSummary, w.row, gapHeight)
	}
}

// alarmGap leaves a thin blank row, between two alarms' red banners.
func (w *summaryWriter) alarmGap() {
	w.row++
	if w.err == nil {
		w.err = w.f.SetRowHeight(SheetSummary, w.row, 3)
	}
}

// height is how tall the rows from the tables' page's top to last are,
// in points.
func (w *summaryWriter) height(last int) float64 {
	h := 0.0
	for r := max(1, w.pageTop); r <= last; r++ {
		ht, err := w.f.GetRowHeight(SheetSummary, r)
		if err != nil && w.err == nil {
			w.err = err
		}
		h += ht
	}
	return h
}

// rowBelow is the first row below a chart px pixels tall placed at row,
// as excelize anchors it: it counts a row's pixels as 4/3.4 of its
// points, rounded up (fewer than Excel's 4/3), and the chart spans, as
// Excel and LibreOffice draw it, the rows those pixels take.
func (w *summaryWriter) rowBelow(row int, px float64) int {
	for ; px > 0; row++ {
		ht, err := w.f.GetRowHeight(SheetSummary, row)
		if err != nil && w.err == nil {
			w.err = err
		}
		px -= math.Ceil(4 / 3.4 * ht)
	}
	return row
}

// set writes v at col on the current row, in style (0: none). A text
// shows as a cell of a streamed sheet shows it (shownCells): a sender's
// error code or feed agent holding a NUL showed "?" in a box on the
// Summary alone, and one holding a bidirectional override backwards. One
// a spreadsheet would read as a formula is marked to stay text
// (textStyle).
func (w *summaryWriter) set(col int, v any, style int) {
	if w.err != nil {
		return
	}
	switch t := v.(type) {
	case string:
		shown := syncd.Lines(t)
		v, style = escapeLiteral(shown), w.st.textStyle(style, shown)
	case excelize.Cell:
		if s, ok := t.Value.(string); ok {
			shown := syncd.Lines(s)
			t.Value, style = escapeLiteral(shown), w.st.textStyle(style, shown)
			v = t
		}
	}
	cell, err := excelize.CoordinatesToCellName(col, w.row)
	if err == nil {
		err = w.f.SetCellValue(SheetSummary, cell, v)
	}
	if err == nil && style != 0 { // a quoted twin of none too (textStyle)
		err = w.f.SetCellStyle(SheetSummary, cell, cell, style)
	}
	w.err = err
}

// banner writes text across the sheet's columns up to lastCol, wrapped,
// in style, on a row tall enough for it.
func (w *summaryWriter) banner(text string, style, lastCol int, charsPerLine float64) {
	w.row++
	w.set(1, text, style)
	if w.err != nil {
		return
	}
	last, _ := excelize.CoordinatesToCellName(lastCol, w.row)
	w.err = w.f.MergeCell(SheetSummary, fmt.Sprintf("A%d", w.row), last)
	if w.err == nil {
		w.err = w.f.SetCellStyle(SheetSummary, fmt.Sprintf("A%d", w.row), last, style)
	}
	lines := 0.0
	for line := range strings.SplitSeq(text, "\n") {
		lines += max(math.Ceil(float64(len([]rune(line)))/charsPerLine), 1)
	}
	if w.err == nil && lines > 1 {
		w.err = w.f.SetRowHeight(SheetSummary, w.row, min(lines*16+5, 409))
	} else if w.err == nil {
		w.err = w.f.SetRowHeight(SheetSummary, w.row, 24)
	}
}

// table writes a headed table with a blank row before it; numbers, and
// the dashes for those not known, are right-aligned, numbers with
// thousands separators. A table without rows is left out: its header
// alone reads as rows lost (a day without leads has no sources).
func (w *summaryWriter) table(header []string, rows [][]any) (first, last int) {
	if len(rows) == 0 {
		return 0, 0
	}
	w.gap()
	w.row++
	for i, h := range header {
		style := w.st.header
		if i > 0 {
			style = w.st.headerRight // over figures, as they are aligned
		}
		w.set(i+1, h, style)
	}
	first = w.row + 1
	for _, r := range rows {
		w.row++
		w.labelTall(r[0])
		for i, v := range r {
			style := w.st.number // a figure, or the dash for one not known
			switch v.(type) {
			case float64:
				style = w.st.change
			}
			if i == 0 {
				style = w.st.wrap
			}
			if c, ok := v.(excelize.Cell); ok {
				v, style = c.Value, c.StyleID
			}
			w.set(i+1, v, style)
		}
	}
	return first, w.row
}

// labelTall makes the row as tall as its label (column A) needs,
// wrapped: a portal's or source's name syncd does not know, longer than
// the column, wrapped in a row a line tall, and its end was hidden.
func (w *summaryWriter) labelTall(label any) {
	if n := textLines(label, summaryWidths[0]); n > 1 && w.err == nil {
		w.err = w.f.SetRowHeight(SheetSummary, w.row, min(float64(n)*lineHeight, maxRowHeight))
	}
}

// writeSummary fills the Summary sheet from s: the alarms, the day's
// figures against the days before, leads by source, the CRM, portal
// health, and on a second page the charts. An empty day is one short page.
func writeSummary(f *excelize.File, st styles, s *summary) error {
	w := &summaryWriter{f: f, st: st, pageTop: 1}
	w.err = f.SetSheetProps(SheetSummary, &excelize.SheetPropsOptions{DefaultRowHeight: ptr(float64(lineHeight)), CustomHeight: ptr(true)})
	w.heading(s)
	w.alarmsEnd = w.row
	w.chartTop = w.row + 2 // the first table's header, beside the first table
	if s.empty() {
		// The days before under it, as the mail says them: a day the
		// senders' webhooks pointed elsewhere is no quiet Sunday.
		w.banner(strings.TrimSpace(s.nothingText(s.dayTitle())+"\n"+s.noLeadsChange()), st.note, summaryCols, 92)
		w.note(s.downText())
	} else {
		w.leads(s)
		w.portalHealth(s)
		w.other(s)
	}
	if w.err != nil {
		return fmt.Errorf("summary: %w", w.err)
	}
	for i, width := range summaryWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetSummary, col, col, width); err != nil {
			return fmt.Errorf("summary: %w", err)
		}
	}
	below, err := w.charts(s)
	if err != nil {
		return err
	}
	end := max(below-1, w.feeds(s, below))
	end = max(end, w.leadList(s, max(w.row, end)))
	if w.height(max(w.row, end)) > summaryPoints {
		w.alarmsApart()
	}
	return w.printArea(s, end)
}

// alarmsApart gives the alarms a page of their own, the tables and charts
// the next, when they leave no room for them on one page at minScale (a
// busy day with six alarms or more, say: before, the Summary printed
// smaller and smaller, its 10-point text at 7 points, then 6). It
// reports whether they now have one: not when there are none.
func (w *summaryWriter) alarmsApart() bool {
	if w.pageTop > 1 || w.alarmsEnd <= 2 { // apart already, or only the title and the line under it
		return w.pageTop > 1
	}
	w.pageTop = w.alarmsEnd + 1
	return true
}

// printArea prints the Summary on one page (or its alarms apart, on the
// page before: pagesApart): the tables, and the charts and feed imports
// when there are any, which end on row feedsEnd.
func (w *summaryWriter) printArea(s *summary, feedsEnd int) error {
	last, rows := "G", w.row
	if !s.empty() {
		last, rows = printLastCol, max(rows, feedsEnd)
	}
	used := fmt.Sprintf("A1:G%d", w.row)
	switch {
	case s.leads > 0: // the leads per hour, in R and S
		used = fmt.Sprintf("A1:S%d", max(w.row, len(s.perHour)+1, feedsEnd))
	case feedsEnd > 0:
		used = fmt.Sprintf("A1:M%d", max(w.row, feedsEnd))
	}
	if w.labelsApart {
		used = fmt.Sprintf("A1:T%d", max(w.row, len(s.perHour)+1, feedsEnd))
	}
	err := w.f.SetSheetDimension(SheetSummary, used)
	if err == nil && w.pageTop > 1 {
		err = w.pagesApart(s)
	} else if err == nil {
		err = printSetup(w.f, SheetSummary, 0, 1, s.footerDay(), s.agency)
	}
	if err == nil {
		err = w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: SheetSummary,
			RefersTo: fmt.Sprintf("'%s'!$A$1:$%s$%d", SheetSummary, last, rows)})
	}
	if err == nil {
		err = w.f.SetSheetProps(SheetSummary, &excelize.SheetPropsOptions{FitToPage: ptr(true)})
	}
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return nil
}

// pagesApart prints the alarms on a page of their own (more, when they
// need them) and the tables and charts on the next: one page wide, as
// many tall as the row break after the alarms makes (a sheet fitted one
// page tall as well keeps to no break), at minScale or more as the
// columns fit it. The pages are numbered in the footer, as the other
// sheets' are.
func (w *summaryWriter) pagesApart(s *summary) error {
	err := printSetup(w.f, SheetSummary, 0, 0, s.footerDay(), s.agency)
	if err == nil {
		err = w.f.InsertPageBreak(SheetSummary, fmt.Sprintf("A%d", w.pageTop))
	}
	return err
}

// heading writes the title, the alarms, and the zone and time the report
// was made.
func (w *summaryWriter) heading(s *summary) {
	w.row++
	w.set(1, "Leads report · "+agencyPrefix(s.agency, " · ")+s.dayTitle(), w.st.title)
	if w.err == nil {
		w.err = w.f.SetRowHeight(SheetSummary, w.row, 26)
	}
	w.row++
	w.set(1, "Times are "+s.loc.String()+" · "+s.madeWhen(), w.st.noteLine)
	// Across the printed width, above the charts: fewer lines than beside
	// them (an empty day has no charts, and prints A to G).
	last, perLine := printCols, 148.0
	if s.empty() {
		last, perLine = summaryCols, 87
	}
	// Their lines broken at spaces here, each within a line: LibreOffice,
	// left to wrap them, broke "syncd sync -resume" after its hyphen.
	for _, a := range s.alarms {
		w.alarmGap()
		w.banner(breakLines("ALARM: "+s.alarmText(a), int(perLine)), w.st.alarm, last, perLine)
	}
	if s.alarmErr != "" {
		w.alarmGap()
		w.banner(breakLines("ALARM: "+unreadableText+s.alarmErr, int(perLine)), w.st.alarm, last, perLine)
	}
}

// change is the relative change from before to now, or "" when unknown.
func change(now int, before float64) any {
	if before <= 0 {
		return "–"
	}
	return (float64(now) - before) / before
}

func (w *summaryWriter) leads(s *summary) {
	before, avg := any("–"), any("–")
	if s.dayBefore >= 0 {
		before = s.dayBefore
	}
	if s.weekAvg >= 0 {
		avg = math.Round(s.weekAvg*10) / 10
	}
	avgCell := any(avg)
	if v, ok := avg.(float64); ok {
		avgCell = excelize.Cell{StyleID: w.st.average, Value: v}
	}
	dayChange, avgChange := change(s.leads, float64(s.dayBefore)), change(s.leads, s.weekAvg)
	if s.dayBeforePart != "" { // a whole day against a part of one
		dayChange = "–"
	}
	if s.notOver() { // a part of a day against whole ones
		dayChange, avgChange = "–", "–"
	}
	w.table([]string{"Leads", "This day", "Day before", "Change", s.weekAvgHeader(), "Change"},
		[][]any{{"All sources", s.leads, before, dayChange, avgCell, avgChange}})
	w.note(s.notOverText())
	w.note(s.erasedText())
	w.note(s.installedText())
	w.note(s.downText())
	w.note(s.weekNote())
	var rows [][]any
	for _, c := range s.sourceRows() {
		rows = append(rows, []any{c.Name, c.N})
	}
	w.table([]string{"Leads by source", "Leads"}, rows)
	if len(s.perType) > 0 {
		w.table([]string{"Lokalebasen enquiries", "Leads"}, [][]any{
			{directLabel, s.perType["direct"]},
			{extraLabel, s.perType["extra"]},
		})
	}
	rows = nil
	for _, c := range crmStatuses {
		if n := s.crm[c]; n > 0 {
			rows = append(rows, []any{statusLabel(c, s.crmName), n})
		}
	}
	w.table([]string{"Leads and the CRM", "Leads"}, rows)
}

func (w *summaryWriter) portalHealth(s *summary) {
	if len(s.portals) == 0 {
		return
	}
	var rows [][]any
	list := s.portalRows()
	for _, p := range list {
		open := any(p.open)
		if p.open > 0 {
			open = excelize.Cell{StyleID: w.st.bad, Value: p.open}
		}
		rows = append(rows, []any{p.name, p.submissions, p.failed, p.listings, open, p.fixed})
	}
	w.portalRows[0], w.portalRows[1] = w.table([]string{"Portal health", "Submissions", "Failed",
		"Listings failed", "Still failing", "Fixed later"}, rows)
	// The portals the others row sums with a listing still failing, named
	// as the mail names them: the printed Summary named none.
	if f := s.othersFailingText(); f != "" {
		w.noteIn(f+".", w.st.badNote)
	}
	w.errorCodes(s)
}

// maxCodes is how many error codes the Summary lists.
const maxCodes = 10

// errorCodes writes the listings by error code and portal: a column for
// each portal with a listing failing (those with most, as many as fit
// beside the labels), a row for each of the maxCodes codes with most, and
// a line under them saying what they leave out.
func (w *summaryWriter) errorCodes(s *summary) {
	if len(s.codes) == 0 {
		return
	}
	portals := s.failingPortals()
	shown := slices.Clone(portals[:min(len(portals), summaryCols-1)])
	slices.SortFunc(shown, s.order)
	codes := map[string]int{}
	for c, m := range s.codes {
		for _, n := range m {
			codes[c] += n
		}
	}
	titles := []string{"Listings by error code"}
	var cut []string
	for i, p := range shown { // on one line, as the header is, within the column
		t := titleIn(p, summaryWidths[i+1])
		if t != p {
			cut = append(cut, t+" is "+nameUpTo(p, portalNameMost))
		}
		titles = append(titles, t)
	}
	top := sorted(codes, 0, s.order)
	// The line under the table at its longest: saying codes are left out.
	top = top[:w.codesFit(s, top, noteLines(codesNote(s.num, len(portals)-len(shown), len(codes), cut)))]
	rows := make([][]any, 0, len(top))
	for _, c := range top {
		r := []any{c.Name}
		for _, p := range shown {
			r = append(r, s.codes[c.Name][p])
		}
		rows = append(rows, r)
	}
	w.table(titles, rows)
	w.note(codesNote(s.num, len(portals)-len(shown), len(codes)-len(top), cut))
}

// note writes a line under a table, across its columns, wrapped; none
// when note is "".
func (w *summaryWriter) note(note string) { w.noteIn(note, w.st.note) }

// noteIn writes a line under a table as note does, in style.
func (w *summaryWriter) noteIn(note string, style int) {
	if note == "" {
		return
	}
	lines := noteLines
	if style == w.st.badNote { // bold, a twentieth wider (titleIn)
		lines = func(s string) int { return textLines(s, tablesWidth()/1.05) }
	}
	for _, part := range rowParts(note, lines) {
		w.row++
		w.set(1, part, style)
		last, _ := excelize.CoordinatesToCellName(summaryCols, w.row)
		if w.err == nil {
			w.err = w.f.MergeCell(SheetSummary, fmt.Sprintf("A%d", w.row), last)
		}
		if n := lines(part); n > 1 && w.err == nil {
			w.err = w.f.SetRowHeight(SheetSummary, w.row, min(float64(n)*lineHeight, maxRowHeight))
		}
	}
}

// rowParts is note cut, at its ", " between the items it lists, into
// parts of at most as many lines (lines says how many a text takes) as a
// row may be tall (maxRowHeight): the line naming every portal still
// failing among the others, for 50 of some 70 characters, needed a row
// taller than Excel allows, and the day's workbook was not made at all.
// Each part goes in a row of its own, one below the other. A single item
// longer than a row is a part alone (its row cut at maxRowHeight).
func rowParts(note string, lines func(string) int) []string {
	most := int(math.Floor(maxRowHeight / lineHeight))
	if lines(note) <= most {
		return []string{note}
	}
	var parts []string
	cur := ""
	for i, item := range strings.SplitAfter(note, ", ") {
		if i > 0 && lines(cur+item) > most {
			parts = append(parts, strings.TrimSuffix(cur, " "))
			cur = ""
		}
		cur += item
	}
	return append(parts, cur)
}

// noteLines is how many lines note takes wrapped across the Summary's
// tables, columns A to G: the line under Listings by error code, naming
// the portals cut to fit, ran on under the charts, hidden.
func noteLines(note string) int {
	return textLines(note, tablesWidth())
}

// tablesWidth is the width of the Summary's tables, columns A to G.
func tablesWidth() float64 {
	w := 0.0
	for _, c := range summaryWidths[:summaryCols] {
		w += c
	}
	return w
}

// portalNameMost is how many characters of a portal's name the line under
// the Listings by error code table gives, for a title cut to fit.
const portalNameMost = 40

// codesNote is the line under the Listings by error code table: how many
// portals and codes it leaves out, and the name of each portal whose title
// was cut to fit its column, which at a digit narrower than its
// neighbours' cut even a known one ("OnTheMark…"); "" when none.
func codesNote(p *message.Printer, portalsLeft, codesLeft int, cut []string) string {
	var left, note []string
	if portalsLeft > 0 {
		left = append(left, plural(p, portalsLeft, "portal", "portals"))
	}
	if codesLeft > 0 {
		left = append(left, plural(p, codesLeft, "error code", "error codes"))
	}
	if len(left) > 0 {
		note = append(note, "Not shown here: "+strings.Join(left, " and ")+", on the sheet Portal failures.")
	}
	if len(cut) > 0 {
		note = append(note, "Cut to fit: "+strings.Join(cut, ", ")+".")
	}
	return strings.Join(note, " ")
}

// nameUpTo is name whole up to most characters, else its first most-1 and
// "…".
func nameUpTo(name string, most int) string {
	if r := []rune(name); len(r) > most {
		return string(r[:most-1]) + "…"
	}
	return name
}

// titleIn is title as it fits a column width wide, in bold, on one line
// with a digit's width to spare: whole, or cut, ending in "…".
func titleIn(title string, width float64) string {
	fits := func(w float64) bool { return w*1.05+1 <= width }
	w := 0.0
	for _, r := range title {
		w += runeWidth(r)
	}
	if fits(w) || title == "" {
		return title
	}
	r := []rune(title)
	return string(r[:cutAt(r, fits)]) + "…"
}

// minCodes is how many error codes the Summary lists however full it is.
const minCodes = 0

// codesFit is how many of the error codes top (those with most listings
// first) the Summary lists, from minCodes to maxCodes: as many as leave it
// one page at minScale, with the line saying what they leave out
// (noteLines lines, wrapped) and the lines below it (other). A code longer
// than its column takes the lines it wraps to (labelTall).
func (w *summaryWriter) codesFit(s *summary, top []count, noteLines int) int {
	// The gaps taken a line tall: feed imports listed beside them make
	// them so (lineTall).
	below := float64(2+max(1, noteLines)) * lineHeight // the table's gap and header, the lines under it
	if n := w.otherLines(s); n > 0 {
		below += float64(n+1) * lineHeight
	}
	room := int((summaryPoints - w.height(w.row) - below) / lineHeight)
	if room < minCodes && w.alarmsApart() {
		room = int((summaryPoints - w.height(w.row) - below) / lineHeight)
	}
	n := 0
	for ; n < min(len(top), maxCodes); n++ {
		lines := textLines(top[n].Name, summaryWidths[0])
		if lines > room && n >= minCodes {
			break
		}
		room -= lines
	}
	return n
}

// otherLines is how many lines other writes.
func (w *summaryWriter) otherLines(s *summary) int {
	n := 0
	for _, ok := range []bool{s.feedImports > 0, s.attentionTotal() > 0, s.givenUp() != ""} {
		if ok {
			n++
		}
	}
	return n
}

// other writes the feed imports (their total; listed beside, feeds,
// when they are few) and what waits for whoever runs syncd.
func (w *summaryWriter) other(s *summary) {
	if w.otherLines(s) > 0 {
		w.gap()
	}
	if s.feedImports > 0 {
		w.row++
		line := s.num.Sprintf("Feed imports: %d, changing %d property records", s.feedImports, s.recordsModified)
		if note := s.recordsNote(); note != "" {
			line += "; " + note
		}
		line += "."
		if !s.feedsListed() {
			line += " They are listed on the sheet Feed imports."
		}
		w.set(1, line, w.st.line)
	}
	if n := s.attentionTotal(); n > 0 { // every row of the sheet that needs someone, as the mail counts them
		w.row++
		w.set(1, "For whoever runs syncd: "+plural(s.num, n, "item", "items")+" on the sheet Needs attention.", w.st.noteLine)
	}
	if g := s.givenUp(); g != "" { // the operator's own choice: said, not counted as needing attention
		w.row++
		w.set(1, g+", listed on the sheet Needs attention too: nothing to do.", w.st.noteLine)
	}
}

// feeds lists the day's few feed imports right of the tables, from row
// (below the charts), one line each (a taller row would stretch the
// tables' rows beside it; a longer agent or format ends in "…"): the
// Summary keeps its height, and the Feed imports sheet need not print.
// The agent's name links to its feed: a column of links saying "Open
// feed" printed words that open nothing and say nothing of the feed. A
// gap between the tables beside them is made a line tall. It returns the
// last row it wrote, 0 for none.
func (w *summaryWriter) feeds(s *summary, row int) int {
	if !s.feedsListed() || w.err != nil {
		return 0
	}
	w.lineTall(row)
	for i, h := range []string{"Feed imports", "Time", "Format", "", "Records"} { // the format's room beside it
		w.setAt(feedCol+i, row, h, w.st.header)
	}
	for _, f := range s.feeds {
		row++
		w.lineTall(row)
		style := w.st.clockAt(f.at)
		if f.at.Before(s.from) || !f.at.Before(s.to) {
			style = w.st.dayMonthAt(f.at.In(s.loc)) // another day's, in a column too narrow for the year and the time
		}
		if f.at.In(s.loc).Year() != s.day.Year {
			style = w.st.dayMonthYear // another year's: its year, not its time ("6 Sep 07:28" read as this year's)
		}
		w.linkAt(feedCol, row, oneLineIn(syncd.OneLine(cmp.Or(f.agent, f.source)), summaryWidths[feedCol-1]), f.feed)
		w.setAt(feedCol+1, row, f.at, style)
		w.setAt(feedCol+2, row, oneLineIn(syncd.OneLine(f.format), summaryWidths[feedCol+1]), w.st.line)
		if f.recordsBad != "" {
			w.setAt(feedCol+4, row, oneLineIn(f.recordsBad, summaryWidths[feedCol+3]), w.st.number)
		} else {
			w.setAt(feedCol+4, row, f.records, w.st.number)
		}
	}
	return row
}

// lineTall makes row a line tall at least (a gap between tables).
func (w *summaryWriter) lineTall(row int) {
	if ht, err := w.f.GetRowHeight(SheetSummary, row); w.err == nil && (err != nil || ht < lineHeight) {
		w.err = w.f.SetRowHeight(SheetSummary, row, lineHeight)
	}
}

// setAt sets the cell at col, row to v in style.
func (w *summaryWriter) setAt(col, row int, v any, style int) {
	saved := w.row
	w.row = row
	w.set(col, v, style)
	w.row = saved
}

// linkAt sets the cell at col, row to text linking to url, or to text
// alone when url is no web address.
func (w *summaryWriter) linkAt(col, row int, text, url string) {
	if !strings.HasPrefix(url, "http") {
		w.setAt(col, row, text, w.st.line)
		return
	}
	w.setAt(col, row, text, w.st.link)
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if w.err == nil {
		w.err = w.f.SetCellHyperLink(SheetSummary, cell, url, "External")
	}
}

// leadColumnsOnSummary are the columns of the Summary's list of a small
// day's leads (leadList), across the printed width: each its first and
// last column (merged when they differ) and title.
var leadColumnsOnSummary = []struct {
	first, last int
	title       string
}{{1, 1, "Lead"}, {2, 2, "Time"}, {3, 3, "Source"}, {4, 5, "Email"}, {6, 6, "Phone"},
	{7, 8, "CRM"}, {9, 9, "Property"}, {10, printCols, "Message"}}

// leadList lists a small day's leads under the tables and charts, below
// row last, with what the Leads sheet prints of them (the name and
// company, the source and enquiry, the property and the one asked about,
// each in a cell; the CRM's status links its contact on screen), so that
// a day of a lead or two prints on one page, not on the Summary's and one
// of the Leads sheet's with a line on it. Only when they all fit the page
// at minScale, each phone on one line of its column (one of 18
// characters, as a sender wrote it, "+44(0)20 3870 4550", prints on two),
// and no row of Needs attention links into the Leads sheet (a link into a
// hidden sheet goes nowhere): the Leads sheet is then hidden (patches). It returns the last row it wrote, 0 for none.
func (w *summaryWriter) leadList(s *summary, last int) int {
	if w.err != nil || s.leads == 0 || s.leads > fewLeads || len(s.few) != s.leads || len(s.attention) > 0 || w.pageTop > 1 {
		return 0
	}
	width := func(first, last int) float64 {
		wd := 0.0
		for c := first; c <= last; c++ {
			wd += summaryWidths[c-1]
		}
		return wd
	}
	heights := make([]float64, len(s.few))
	total := gapHeight + lineHeight
	for i, l := range s.few {
		if c := leadColumnsOnSummary[4]; !phoneFits(l.phone, width(c.first, c.last)) {
			return 0 // a phone across two lines reads as two numbers: the Leads sheet prints it whole
		}
		lines := 1
		for j, v := range []any{l.name, nil, l.source, l.email, l.phone, l.crm, l.property, l.message} {
			c := leadColumnsOnSummary[j]
			lines = max(lines, textLines(v, width(c.first, c.last)))
		}
		heights[i] = min(float64(lines)*lineHeight, maxRowHeight)
		total += heights[i]
	}
	if w.height(last)+total > summaryPoints {
		return 0 // the Leads sheet lists them
	}
	row := last + 1
	w.setRowHeight(row, gapHeight)
	row++
	w.setRowHeight(row, lineHeight)
	for _, c := range leadColumnsOnSummary {
		w.cellsAt(c.first, c.last, row, c.title, w.st.header)
	}
	for i, l := range s.few {
		row++
		w.setRowHeight(row, heights[i])
		at := l.at.In(s.loc) // local wall time, as the Leads sheet shows it
		style := w.st.clockAt(at)
		if at.Before(s.from) || !at.Before(s.to) {
			style = w.st.dayMonthAt(at)
		}
		crm, crmStyle := l.crm, w.st.wrap
		if c, ok := crm.(excelize.Cell); ok {
			crm, crmStyle = c.Value, c.StyleID
		}
		for j, v := range []any{l.name, at, l.source, l.email, l.phone, crm, l.property, l.message} {
			c, st := leadColumnsOnSummary[j], w.st.wrap
			switch j {
			case 1:
				st = style
			case 5:
				st = crmStyle
			}
			w.cellsAt(c.first, c.last, row, v, st)
		}
		if _, ok := crm.(string); ok && l.contactURL != "" && w.err == nil { // in the CRM: a link to it, on screen
			cell, _ := excelize.CoordinatesToCellName(leadColumnsOnSummary[5].first, row)
			w.err = w.f.SetCellHyperLink(SheetSummary, cell, l.contactURL, "External")
		}
	}
	s.leadsListed = w.err == nil
	return row
}

// phoneFits reports whether phone prints on one line of a column width
// wide. textLines counts every character a digit wide, which is safe for
// text but would send "+45 20 30 40 50", which fits, to the Leads sheet:
// this measures a phone in Calibri's advance widths (a space, a bracket
// or a hyphen is about half a digit), against the column's room of
// 10-point digits (a width unit is an 11-point digit), less a margin.
func phoneFits(phone string, width float64) bool {
	w := 0.0
	for _, r := range phone {
		switch r {
		case ' ':
			w += 0.45
		case '(', ')', '-', '.', '/':
			w += 0.6
		case '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			w++
		default: // a letter ("52 25 05 59 (mobil)"): as wide as the widest, an "m"
			w += 1.6
		}
	}
	return w <= width*11/10-0.3
}

// cellsAt sets the cells from column first to last of row, merged when
// they are several, to v in style.
func (w *summaryWriter) cellsAt(first, last, row int, v any, style int) {
	if t, ok := v.(string); ok { // the merged cells in the style set gives the first (textStyle)
		style = w.st.textStyle(style, syncd.Lines(t))
	}
	w.setAt(first, row, v, style)
	if first == last || w.err != nil {
		return
	}
	from, _ := excelize.CoordinatesToCellName(first, row)
	to, _ := excelize.CoordinatesToCellName(last, row)
	w.err = w.f.MergeCell(SheetSummary, from, to)
	if w.err == nil {
		w.err = w.f.SetCellStyle(SheetSummary, from, to, style)
	}
}

// setRowHeight sets row's height in points.
func (w *summaryWriter) setRowHeight(row int, ht float64) {
	if w.err == nil {
		w.err = w.f.SetRowHeight(SheetSummary, row, ht)
	}
}
