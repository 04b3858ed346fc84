package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Sheet names, in the order they appear in the workbook.
const (
	SheetSummary   = "Summary"
	SheetLeads     = "Leads"
	SheetFailures  = "Portal failures"
	SheetFeeds     = "Feed imports"
	SheetAttention = "Needs attention"
)

// styles are the workbook's cell styles, made once per workbook.
type styles struct {
	header, title, date, datetime, wrap, link, note, bold int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}}},
		{&s.date, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}},
		{&s.datetime, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.link, excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}}},
		{&s.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
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

// column is one column of a streamed sheet.
type column struct {
	Title string
	Width float64
	Wrap  bool // long text: wrap it
}

// streamSheet writes one large sheet row by row through excelize's
// StreamWriter: a styled, frozen header row, column widths, wrapped long
// text and an autofilter over whatever was written.
type streamSheet struct {
	f       *excelize.File
	sw      *excelize.StreamWriter
	name    string
	cols    int
	rows    int // rows written, header included
	maxRows int // rows a sheet holds; the last one is kept for a note
	skipped int // data rows beyond maxRows, counted but not written
}

func newStreamSheet(f *excelize.File, st styles, name string, cols []column) (*streamSheet, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	// Last column first: excelize prepends each column definition, and
	// Excel wants them in ascending order.
	for i := len(cols) - 1; i >= 0; i-- {
		c := cols[i]
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		if c.Wrap {
			if err := sw.SetColStyle(i+1, i+1, st.wrap); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	s := &streamSheet{f: f, sw: sw, name: name, cols: len(cols), maxRows: excelize.TotalRows}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Title}
	}
	if err := s.write(header, excelize.RowOpts{Height: 20}); err != nil {
		return nil, err
	}
	return s, nil
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

// row writes one data row; the slice it is given may be reused afterwards.
// Past the rows a sheet holds the row is only counted: the summary still
// has it, and close says how many are missing.
func (s *streamSheet) row(vals ...any) error {
	if s.rows >= s.maxRows-1 {
		s.skipped++
		return nil
	}
	return s.write(vals)
}

// close adds the autofilter over the written rows (or a note that there
// were none, or that some did not fit) and flushes the sheet.
func (s *streamSheet) close(st styles, empty string) error {
	note := ""
	switch {
	case s.skipped > 0:
		note = fmt.Sprintf("%d more rows are not shown: a sheet holds at most %d rows.", s.skipped, s.maxRows)
	case s.rows == 1:
		note = empty
	}
	if note != "" {
		if err := s.write([]any{excelize.Cell{StyleID: st.note, Value: note}}); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(s.cols, max(s.rows, 2))
	if err != nil {
		return err
	}
	if err := s.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
		return fmt.Errorf("sheet %s: autofilter: %w", s.name, err)
	}
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	return nil
}

// maxLinkURL is the longest address Excel's HYPERLINK function takes (and
// the longest string constant in a formula).
const maxLinkURL = 255

// link returns a cell that opens url, showing text. Links are HYPERLINK
// formulas rather than sheet hyperlinks: a worksheet holds at most 65,530
// hyperlinks and each costs a relationship kept in memory until the file is
// written, which would break a day of a million leads. An address Excel
// cannot take is shown as text.
func link(st styles, text, url string) any {
	if text == "" {
		text = url
	}
	if url == "" || len(url) > maxLinkURL || len(text) > maxLinkURL || !strings.HasPrefix(url, "http") {
		return text
	}
	return excelize.Cell{
		StyleID: st.link,
		Formula: `HYPERLINK("` + quote(url) + `","` + quote(text) + `")`,
		Value:   text,
	}
}

func quote(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

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
