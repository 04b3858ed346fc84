package report

import (
	"fmt"

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
	header, title, subtitle, date, datetime, clock, dayMonth, wrap, link, note, bold, intro int
	alarm, bad, warn, good, number, average, change, line, noteLine                         int
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

var top = &excelize.Alignment{Vertical: "top", WrapText: true}

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
		{&s.title, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Size, f.Color = true, 18, "1F4E78" })}},
		{&s.subtitle, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Size, f.Color = true, 13, "1F4E78" }),
			Border: []excelize.Border{{Type: "bottom", Color: "1F4E78", Style: 1}}}},
		{&s.date, excelize.Style{Font: font(nil), CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.datetime, excelize.Style{Font: font(nil), CustomNumFmt: ptr("yyyy-mm-dd hh:mm"), Alignment: top}},
		{&s.clock, excelize.Style{Font: font(nil), CustomNumFmt: ptr("hh:mm"), Alignment: top}},
		{&s.dayMonth, excelize.Style{Font: font(nil), CustomNumFmt: ptr("d mmm hh:mm")}},
		{&s.wrap, excelize.Style{Font: font(nil), Alignment: top}},
		{&s.link, excelize.Style{Font: font(func(f *excelize.Font) { f.Color, f.Underline = "0563C1", "single" }), Alignment: top}},
		{&s.note, excelize.Style{Font: font(func(f *excelize.Font) { f.Italic, f.Color = true, "595959" }), Alignment: top}},
		{&s.line, excelize.Style{Font: font(nil)}},
		{&s.noteLine, excelize.Style{Font: font(func(f *excelize.Font) { f.Italic, f.Color = true, "595959" })}},
		{&s.bold, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold = true }), Alignment: top}},
		{&s.intro, excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Color = true, "595959" })}},
		{&s.alarm, excelize.Style{
			Font:      font(func(f *excelize.Font) { f.Bold, f.Color, f.Size = true, "FFFFFF", 12 }),
			Fill:      fill("C00000"),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		}},
		{&s.bad, excelize.Style{Font: font(func(f *excelize.Font) { f.Color = "9C0006" }), Fill: fill("FFC7CE"), Alignment: top}},
		{&s.warn, excelize.Style{Font: font(func(f *excelize.Font) { f.Color = "9C5700" }), Fill: fill("FFEB9C"), Alignment: top}},
		{&s.good, excelize.Style{Font: font(func(f *excelize.Font) { f.Color = "006100" }), Fill: fill("C6EFCE"), Alignment: top}},
		{&s.number, excelize.Style{Font: font(nil), NumFmt: 3, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.average, excelize.Style{Font: font(nil), CustomNumFmt: ptr("#,##0.0"), Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.change, excelize.Style{Font: font(nil), CustomNumFmt: ptr(`+0%;-0%;0%`), Alignment: &excelize.Alignment{Horizontal: "right"}}},
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

func ptr[T any](v T) *T { return &v }
