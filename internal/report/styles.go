package report

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Fonts every style names: a style without a font name or size prints in
// whatever the viewer falls back to. Cells are in 10 points while column
// widths are counted in digits of the workbook's 11-point default: text
// runs a tenth narrower than the widths suggest, and wraps less.
const (
	fontFamily = "Calibri"
	fontSize   = 10
)

// styles are the workbook's cell styles, made once per workbook.
type styles struct {
	header, headerRight, title, subtitle, date, datetime, clock, dayMonth, dayMonthYear, wrap, link, note, bold, intro int
	alarm, bad, warn, good, number, average, change, line, noteLine, badNote                                           int
	id                                                                                                                 int // a row's number or a count, centred
	wholeNumber                                                                                                        int // a CRM id as a number: its digits whole (0), left as the text beside it
	// zoned are the clocks of a day the clocks change on, by zone name
	// (hh:mm "CEST"): nil on other days.
	zoned map[string]int
	// zonedDates are the date-times that name their zone (yyyy-mm-dd
	// hh:mm "CEST"), by zone name, for the columns that show a row's day:
	// every time on a day the clocks change, on other days a time of
	// another day's hour the clocks repeat (datetimeAt).
	zonedDates map[string]int
	// zonedDayMonths are dayMonth's twins that name their zone (d mmm
	// hh:mm "CEST"), by zone name, for another day's time the Summary
	// lists where its clock could read two ways (dayMonthAt).
	zonedDayMonths map[string]int
	// quoted is each style's twin that keeps a text text (quotePrefix),
	// for the texts a spreadsheet would read as a formula (textStyle).
	quoted map[int]int
}

// font returns the body font, changed by fn.
func font(fn func(*excelize.Font)) *excelize.Font {
	f := &excelize.Font{Family: fontFamily, Size: fontSize, Color: "000000"}
	if fn != nil {
		fn(f)
	}
	return f
}

func fill(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

// top aligns the highlighted cells at the top of their rows, wrapped: a
// count (the Summary's Still failing) right, syncd's own words (the Leads
// sheet's CRM status) left.
var top = &excelize.Alignment{Vertical: "top", WrapText: true}

// topText aligns text: at the top of its row, wrapped, and left, as the
// column titles are, whatever the text's script. Left to the reading order
// of what they held (general), cells of Arabic or Hebrew aligned right,
// against the column beside them ("... האם Not for the CRM").
var topText = &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}

// topLeft aligns times: left, under their column's title, with the slack
// of their fitted column on the right. Right-aligned, as numbers are, they
// ran into the text of the column beside them ("04:13Lokalebasen").
var topLeft = &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}

// topRight aligns the Summary's figures: at the top of their rows, as the
// labels beside them are (at the bottom they sat a few points lower).
var topRight = &excelize.Alignment{Horizontal: "right", Vertical: "top"}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{
			Font:      font(func(f *excelize.Font) { f.Bold, f.Color = true, "FFFFFF" }),
			Fill:      fill("1F4E78"),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		}},
		{&s.headerRight, excelize.Style{ // over figures, right-aligned as they are
			Font:      font(func(f *excelize.Font) { f.Bold, f.Color = true, "FFFFFF" }),
			Fill:      fill("1F4E78"),
			Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center", WrapText: true},
		}},
		{&s.title, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Size, f.Color = true, 18, "1F4E78" })}},
		{&s.subtitle, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Size, f.Color = true, 13, "1F4E78" }),
			Border: []excelize.Border{{Type: "bottom", Color: "1F4E78", Style: 1}}}},
		{&s.date, excelize.Style{Font: font(nil), CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.datetime, excelize.Style{Font: font(nil), CustomNumFmt: ptr("yyyy-mm-dd hh:mm"), Alignment: topLeft}},
		{&s.clock, excelize.Style{Font: font(nil), CustomNumFmt: ptr("hh:mm"), Alignment: topLeft}},
		{&s.dayMonth, excelize.Style{Font: font(nil), CustomNumFmt: ptr("d mmm hh:mm"), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}},
		// A date of another year, where dayMonth would read as this year's.
		{&s.dayMonthYear, excelize.Style{Font: font(nil), CustomNumFmt: ptr("d mmm yyyy"), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}},
		{&s.wrap, excelize.Style{Font: font(nil), Alignment: topText}},
		{&s.link, excelize.Style{Font: font(func(f *excelize.Font) { f.Color, f.Underline = "0563C1", "single" }), Alignment: topText}},
		{&s.note, excelize.Style{Font: font(func(f *excelize.Font) { f.Italic, f.Color = true, "595959" }), Alignment: topText}},
		{&s.line, excelize.Style{Font: font(nil), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}},
		{&s.noteLine, excelize.Style{Font: font(func(f *excelize.Font) { f.Italic, f.Color = true, "595959" }),
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}},
		// A line under a table saying what fails: bold, in the dark red of
		// the cells that do (bad), which a black-and-white print keeps bold.
		{&s.badNote, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Color = true, "9C0006" }), Alignment: topText}},
		{&s.bold, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold = true }), Alignment: topText}},
		{&s.intro, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Color = true, "595959" }),
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}}, // its own lines, merged across the sheet
		{&s.alarm, excelize.Style{
			Font:      font(func(f *excelize.Font) { f.Bold, f.Color, f.Size = true, "FFFFFF", 12 }),
			Fill:      fill("C00000"),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		}},
		{&s.bad, excelize.Style{Font: font(func(f *excelize.Font) { f.Color = "9C0006" }), Fill: fill("FFC7CE"), Alignment: top}},
		{&s.warn, excelize.Style{Font: font(func(f *excelize.Font) { f.Color = "9C5700" }), Fill: fill("FFEB9C"), Alignment: top}},
		{&s.good, excelize.Style{Font: font(func(f *excelize.Font) { f.Color = "006100" }), Fill: fill("C6EFCE"), Alignment: top}},
		{&s.number, excelize.Style{Font: font(nil), NumFmt: 3, Alignment: topRight}},
		{&s.average, excelize.Style{Font: font(nil), CustomNumFmt: ptr("#,##0.0"), Alignment: topRight}},
		{&s.id, excelize.Style{Font: font(nil), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		// General shows 12 digits or more as 1.23457E+11.
		{&s.wholeNumber, excelize.Style{Font: font(nil), NumFmt: 1, Alignment: topText}},
		{&s.change, excelize.Style{Font: font(nil), CustomNumFmt: ptr(`+0%;-0%;0%`), Alignment: topRight}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, fmt.Errorf("style: %w", err)
		}
		*d.id = id
	}
	ids := []int{0} // a cell with none: the Summary's
	for _, d := range defs {
		ids = append(ids, *d.id)
	}
	return s, s.quotePrefixed(f, ids)
}

// textFormat is the built-in number format Text (@): what is typed into
// such a cell stays text, in Excel, LibreOffice and Google Sheets.
const textFormat = 49

// quotePrefixed adds to the workbook a twin of each style in ids marked
// quotePrefix, as Excel marks a text typed with a leading apostrophe
// ('=1), and in the format Text where it was General (LibreOffice keeps
// no quote prefix): excelize's Style has no quote-prefix field, so the
// twin is its cell format (xf) copied with the mark set. A sender's text that starts as a
// formula does ("= price?", "+45 52 25 05 59", "- 3 rooms", "@home") shows
// as text either way, but without the mark F2 and Enter in Excel, or a
// cell edited in LibreOffice, read it as one: "#NAME?", an error box, a
// phone turned into the number 4552250559.
func (s *styles) quotePrefixed(f *excelize.File, ids []int) error {
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return fmt.Errorf("style: no cell formats to mark")
	}
	xfs := f.Styles.CellXfs
	s.quoted = make(map[int]int, len(ids))
	for _, id := range ids {
		if _, ok := s.quoted[id]; ok || id < 0 || id >= len(xfs.Xf) {
			continue
		}
		xf := xfs.Xf[id]
		xf.QuotePrefix = ptr(true)
		if xf.NumFmtID == nil || *xf.NumFmtID == 0 { // General: Text (@), which LibreOffice and Google Sheets keep too
			xf.NumFmtID, xf.ApplyNumberFormat = ptr(textFormat), ptr(true)
		}
		xfs.Xf = append(xfs.Xf, xf)
		xfs.Count = len(xfs.Xf)
		s.quoted[id] = len(xfs.Xf) - 1
	}
	return nil
}

// formulaLike reports whether a spreadsheet reads text typed into a cell
// as a formula: it starts with "=", "+", "-" or "@".
func formulaLike(text string) bool {
	return text != "" && strings.ContainsRune("=+-@", rune(text[0]))
}

// textStyle is the style for text in a cell of style id: its quoted twin
// when the text is formulaLike, else id.
func (s styles) textStyle(id int, text string) int {
	if q, ok := s.quoted[id]; ok && formulaLike(text) {
		return q
	}
	return id
}

// keepText marks the texts of a row that are formulaLike to stay text
// (textStyle): a string, in the column's style (wrap, every streamed
// column's), or a cell's string value, in its style. A formula (a link)
// is left as it is.
func (s styles) keepText(row []any) {
	for i, v := range row {
		switch v := v.(type) {
		case string:
			if formulaLike(v) {
				row[i] = excelize.Cell{StyleID: s.textStyle(s.wrap, v), Value: v}
			}
		case excelize.Cell:
			if t, ok := v.Value.(string); ok && v.Formula == "" && formulaLike(t) {
				v.StyleID = s.textStyle(cmp.Or(v.StyleID, s.wrap), t)
				row[i] = v
			}
		}
	}
}

// zoneClocks adds, when the day [from, to) is not 24 hours long, a clock
// style per zone the day's times are in that names it: on the day the
// clocks go back, 02:30 CEST and 02:30 CET then read apart.
// Indented from the right: else "02:30 CEST" ran into the text of the
// column beside it.
//
// It adds too, whatever the day, a date-time style that names its zone
// per zone the clocks showed in the year before the day and the month
// after it (a time the report shows from another day is seldom further):
// another day's time in the hour the clocks repeat, 2026-10-25 02:30 CEST
// and 2026-10-25 02:30 CET, read alike without it.
func (s *styles) zoneClocks(f *excelize.File, from, to time.Time) error {
	s.zonedDates, s.zonedDayMonths = map[string]int{}, map[string]int{}
	for t := from.AddDate(-1, 0, 0); t.Before(to.AddDate(0, 1, 0)); t = t.Add(24 * time.Hour) {
		if err := s.zoneDate(f, t); err != nil {
			return err
		}
	}
	if to.Sub(from) == 24*time.Hour {
		return nil
	}
	s.zoned = map[string]int{}
	for t := from; t.Before(to); t = t.Add(15 * time.Minute) {
		name, _ := t.Zone()
		if _, ok := s.zoned[name]; ok {
			continue
		}
		id, err := f.NewStyle(&excelize.Style{Font: font(nil), CustomNumFmt: ptr(`hh:mm "` + name + `"`), Alignment: &excelize.Alignment{Horizontal: "right", Indent: 1, Vertical: "top", WrapText: true}})
		if err != nil {
			return fmt.Errorf("style: %w", err)
		}
		s.zoned[name] = id
		if err := s.zoneDate(f, t); err != nil {
			return err
		}
	}
	return nil
}

// zoneDate adds the date-time style that names t's zone, if missing.
func (s *styles) zoneDate(f *excelize.File, t time.Time) error {
	name, _ := t.Zone()
	if _, ok := s.zonedDates[name]; ok {
		return nil
	}
	id, err := f.NewStyle(&excelize.Style{Font: font(nil), CustomNumFmt: ptr(`yyyy-mm-dd hh:mm "` + name + `"`), Alignment: topLeft})
	if err != nil {
		return fmt.Errorf("style: %w", err)
	}
	s.zonedDates[name] = id
	// Shrunk to fit: "25 Oct 02:30 CEST" is wider than the Summary's
	// column for a feed import's time, where a spreadsheet shows a
	// date-time too wide for its cell as ###.
	id, err = f.NewStyle(&excelize.Style{Font: font(nil), CustomNumFmt: ptr(`d mmm hh:mm "` + name + `"`),
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", ShrinkToFit: true}})
	if err != nil {
		return fmt.Errorf("style: %w", err)
	}
	s.zonedDayMonths[name] = id
	return nil
}

// dayMonthAt is the style of t, local, of another day than the report's
// in the Summary's short form (d mmm hh:mm): with its zone where its
// clock could read two ways (repeatedClock), as the sheets' times do
// (otherDayAt): 25 Oct 02:30 CEST and 02:30 CET an hour later read alike.
func (s styles) dayMonthAt(t time.Time) int {
	name, _ := t.Zone()
	if id, ok := s.zonedDayMonths[name]; ok && repeatedClock(t) {
		return id
	}
	return s.dayMonth
}

// datetimeAt is the style of t, local, in a column that shows each row's
// date and time (yyyy-mm-dd hh:mm): with its zone on a day the clocks
// change on, as the repeated hour's 02:30 CEST and 02:30 CET would else
// read alike, and on any day where t's clock could read two ways
// (otherDayAt). The cell stays a real date-time (its wall time), which a
// filter groups by day and a sort orders.
func (s styles) datetimeAt(t time.Time) int {
	name, _ := t.Zone()
	if id, ok := s.zonedDates[name]; ok && s.zoned != nil {
		return id
	}
	return s.otherDayAt(t)
}

// otherDayAt is the style of t, local, of another day than the report's,
// in a column that shows the report's own as hh:mm: yyyy-mm-dd hh:mm,
// with its zone where its clock could read two ways (repeatedClock), as
// the report's own times do on a day the clocks go back: 2026-10-25 02:30
// CEST and 02:30 CET an hour later read alike. Other times, which read
// one way, stay without it, on any day.
func (s styles) otherDayAt(t time.Time) int {
	name, _ := t.Zone()
	if id, ok := s.zonedDates[name]; ok && repeatedClock(t) {
		return id
	}
	return s.datetime
}

// repeatedClock reports whether t's wall clock is one its zone shows
// twice: in the hour (or half hour) the clocks repeat when they go back.
func repeatedClock(t time.Time) bool {
	_, off := t.Zone()
	for _, d := range []time.Duration{-2 * time.Hour, -time.Hour, -30 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour} {
		if _, o := t.Add(d).Zone(); o == off-int(d/time.Second) {
			return true
		}
	}
	return false
}

// datetimeZone is the zone the date-time style id names ("" for none),
// and whether id is such a style at all.
func (s styles) datetimeZone(id int) (string, bool) {
	if id == s.datetime {
		return "", true
	}
	for name, z := range s.zonedDates {
		if z == id {
			return name, true
		}
	}
	return "", false
}

// clockAt is the style of t, a time of the report's day in its zone:
// hh:mm, and its zone on a day the clocks change.
func (s styles) clockAt(t time.Time) int {
	name, _ := t.Zone()
	if id, ok := s.zoned[name]; ok {
		return id
	}
	return s.clock
}

// clockZone is the zone the clock style id names, and whether id is a
// clock style at all.
func (s styles) clockZone(id int) (string, bool) {
	if id == s.clock {
		return "", true
	}
	for name, z := range s.zoned {
		if z == id {
			return name, true
		}
	}
	return "", false
}

func ptr[T any](v T) *T { return &v }
