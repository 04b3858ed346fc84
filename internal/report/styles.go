package report

import (
	"fmt"
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
	// zoned are the clocks of a day the clocks change on, by zone name
	// (hh:mm "CEST"): nil on other days.
	zoned map[string]int
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
		{&s.change, excelize.Style{Font: font(nil), CustomNumFmt: ptr(`+0%;-0%;0%`), Alignment: topRight}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, fmt.Errorf("style: %w", err)
		}
		*d.id = id
	}
	return s, nil
}

// zoneClocks adds, when the day [from, to) is not 24 hours long, a clock
// style per zone the day's times are in that names it: on the day the
// clocks go back, 02:30 CEST and 02:30 CET then read apart.
// Indented from the right: else "02:30 CEST" ran into the text of the
// column beside it.
func (s *styles) zoneClocks(f *excelize.File, from, to time.Time) error {
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
	}
	return nil
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
