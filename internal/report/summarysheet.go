package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// summaryWriter lays out the Summary sheet top to bottom with the normal
// (non-streaming) API: it is small whatever the size of the day.
type summaryWriter struct {
	f   *excelize.File
	st  styles
	row int
	err error
}

func (w *summaryWriter) set(col int, v any, style int) {
	if w.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, w.row)
	if err == nil {
		err = w.f.SetCellValue(SheetSummary, cell, v)
	}
	if err == nil && style != 0 {
		err = w.f.SetCellStyle(SheetSummary, cell, cell, style)
	}
	w.err = err
}

// line writes one row of values (the first in style) and moves down.
func (w *summaryWriter) line(style int, vals ...any) {
	w.row++
	for i, v := range vals {
		s := 0
		if i == 0 {
			s = style
		}
		w.set(i+1, v, s)
	}
}

// table writes a headed table and returns the rows its data spans.
func (w *summaryWriter) table(header []string, rows [][]any) (first, last int) {
	w.row++ // a blank row before each table
	w.row++
	for i, h := range header {
		w.set(i+1, h, w.st.header)
	}
	first = w.row + 1
	for _, r := range rows {
		w.line(0, r...)
	}
	return first, w.row
}

func countRows(cs []count) [][]any {
	out := make([][]any, len(cs))
	for i, c := range cs {
		out[i] = []any{c.Name, c.N}
	}
	return out
}

// writeSummary fills the Summary sheet from sum, with its charts.
func writeSummary(f *excelize.File, st styles, s *summary) error {
	w := &summaryWriter{f: f, st: st}
	w.heading(s)
	w.table([]string{"Leads per source", "Leads"}, countRows(sorted(s.perSource, 0)))
	w.table([]string{"Leads per enquiry type", "Leads"}, countRows(sorted(s.perType, 0)))
	crm := make([][]any, len(crmStatuses))
	for i, c := range crmStatuses {
		crm[i] = []any{string(c), s.crm[c]}
	}
	w.table([]string{"CRM sync", "Leads"}, crm)
	var portals [][]any
	failures := 0
	for _, p := range s.portalNames() {
		n := s.portals[p]
		portals = append(portals, []any{p, n[0], n[1]})
		failures += n[1]
	}
	pFirst, pLast := w.table([]string{"Portal submissions", "Success", "Error"}, portals)
	w.table([]string{"Most frequent error codes", "Errors"}, countRows(sorted(s.codes, 10)))
	w.table([]string{"Feed imports", "Count"}, [][]any{
		{"Imports", s.feedImports}, {"Records modified", s.recordsModified}})
	w.table([]string{"Needs attention", "Count"}, [][]any{
		{"Quarantined bodies", s.attention[AttentionQuarantined]},
		{"Unmappable events", s.attention[AttentionUnmappable]},
		{"Dead operations", s.attention[AttentionDead]}})
	hours := s.hours()
	perHour := make([][]any, len(hours))
	for i, h := range hours {
		perHour[i] = []any{h, s.perHour[i]}
	}
	hFirst, hLast := w.table([]string{"Leads per hour", "Leads"}, perHour)
	if w.err != nil {
		return fmt.Errorf("summary: %w", w.err)
	}
	for col, width := range map[string]float64{"A": 30, "B": 20, "C": 10} {
		if err := f.SetColWidth(SheetSummary, col, col, width); err != nil {
			return fmt.Errorf("summary: %w", err)
		}
	}
	if s.leads > 0 {
		if err := addChart(f, "E2", excelize.Col, "Leads per hour", "Leads", hFirst, hLast, "B"); err != nil {
			return err
		}
	}
	if failures > 0 {
		return addChart(f, "E22", excelize.Bar, "Failures per portal", "Failed submissions", pFirst, pLast, "C")
	}
	return nil
}

// heading writes the title, the day, its zone and length, when the
// report was made, and whether anything happened.
func (w *summaryWriter) heading(s *summary) {
	st := w.st
	w.line(st.title, "Leads report")
	for _, a := range s.alarms {
		w.line(st.bold, "ALARM", a)
	}
	w.row++
	w.set(1, "Day", st.bold)
	w.set(2, s.from.In(s.loc), st.date)
	w.line(st.bold, "Time zone", s.loc.String())
	w.line(st.bold, "Hours in the day", len(s.perHour))
	w.row++
	w.set(1, "Made at", st.bold)
	w.set(2, s.made.In(s.loc), st.datetime)
	if s.empty() {
		w.line(st.note, "Nothing was received on this day: no leads, portal submissions or feed imports.")
	}
	w.line(st.bold, "Leads", s.leads)
}

// addChart adds a one-series chart of Summary!col rows first..last,
// labelled by column A.
func addChart(f *excelize.File, cell string, typ excelize.ChartType, title, series string, first, last int, col string) error {
	ref := func(c string) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", SheetSummary, c, first, c, last) }
	err := f.AddChart(SheetSummary, cell, &excelize.Chart{
		Type:      typ,
		Series:    []excelize.ChartSeries{{Name: series, Categories: ref("A"), Values: ref(col)}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Format:    excelize.GraphicOptions{OffsetX: 10, OffsetY: 10},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360},
	})
	if err != nil {
		return fmt.Errorf("summary chart %q: %w", title, err)
	}
	return nil
}
