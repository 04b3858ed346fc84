package report

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// wholeSteps is the largest count whose chart steps by one (see addChart).
const wholeSteps = 5

// Chart colours: one per series.
const (
	leadsColour    = "2E75B6"
	failuresColour = "C00000"
)

// The charts sit right of the Summary's tables, in columns I to P, and a
// few feed imports below them (feeds); the leads per hour they draw are
// kept in columns R and S, outside the printed area.
const (
	chartCol     = "I"
	feedCol      = 9 // I
	printLastCol = "P"
	hoursCol     = 18 // R
)

// The rows the charts start in, and the first below them. Rows are 20
// pixels tall or more: the leads per hour, 280 pixels tall, end before
// the failures per portal start, and those, 200 pixels, before the feed
// imports (feeds).
const (
	leadsChartRow    = 4
	failuresChartRow = 20
	belowChartsRow   = 32
)

// charts draws the leads per hour and the failed submissions per portal
// beside the tables, sized so that the Summary stays one printed page.
func (w *summaryWriter) charts(s *summary) error {
	failed := s.failed()
	if s.leads > 0 {
		first, last, err := w.hourData(s)
		if err != nil {
			return err
		}
		ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetSummary, col, first, col, last) }
		// On a day the clocks change the hours name their zone ("02 CEST"),
		// wider than a column of 23 or 25: upright, they broke ("CE ST").
		rotation := 0
		if len(s.perHour) != 24 {
			rotation = -90
		}
		if err := addChart(w.f, chartCol+strconv.Itoa(leadsChartRow), excelize.Col, "Leads per hour", "Leads", leadsColour,
			ref("R"), ref("S"), 280, slices.Max(s.perHour), rotation); err != nil {
			return err
		}
	}
	if failed > 0 {
		ref := func(col string) string {
			return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetSummary, col, w.portalRows[0], col, w.portalRows[1])
		}
		most := 0
		for _, p := range s.portals {
			most = max(most, p.failed)
		}
		return addChart(w.f, chartCol+strconv.Itoa(failuresChartRow), excelize.Bar, "Failed submissions per portal", "Failed submissions",
			failuresColour, ref("A"), ref("C"), 200, most, 0)
	}
	return nil
}

// hourData writes the leads per hour in columns R and S and returns the
// rows of its data.
func (w *summaryWriter) hourData(s *summary) (first, last int, err error) {
	set := func(col, row int, v any, style int) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if err == nil {
			err = w.f.SetCellValue(SheetSummary, cell, v)
		}
		if err == nil && style != 0 {
			err = w.f.SetCellStyle(SheetSummary, cell, cell, style)
		}
	}
	set(hoursCol, 1, "Hour", w.st.header)
	set(hoursCol+1, 1, "Leads", w.st.header)
	for i, h := range s.hours() {
		set(hoursCol, i+2, h, w.st.wrap)
		set(hoursCol+1, i+2, s.perHour[i], w.st.number)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("summary: %w", err)
	}
	return 2, len(s.perHour) + 1, nil
}

// addChart adds a one-series, one-colour chart, height pixels tall, of the
// values at ref values labelled by the cells at ref categories; the
// largest value is most. Counts of a few step by one on the value axis:
// Excel's own steps are then fifths (0.2 leads an hour), and for more
// than wholeSteps it picks whole ones. The category labels are turned by
// rotation degrees (-90: read upwards, never wrapped).
func addChart(f *excelize.File, cell string, typ excelize.ChartType, title, series, colour, categories, values string,
	height uint, most, rotation int) error {
	axisFont := excelize.Font{Family: fontFamily, Size: 9, Color: "404040"}
	valueAxis := excelize.ChartAxis{Font: axisFont, MajorGridLines: true}
	if most <= wholeSteps {
		valueAxis.MajorUnit = 1
	}
	err := f.AddChart(SheetSummary, cell, &excelize.Chart{
		Type: typ,
		Series: []excelize.ChartSeries{{Name: series, Categories: categories, Values: values,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}}},
		VaryColors: ptr(false),
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title,
			Font: &excelize.Font{Family: fontFamily, Size: 12, Bold: true}}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{Font: axisFont, TickLabelSkip: 1, Alignment: excelize.Alignment{TextRotation: rotation}},
		YAxis:     valueAxis,
		Format:    excelize.GraphicOptions{OffsetX: 4, OffsetY: 4},
		Dimension: excelize.ChartDimension{Width: 500, Height: height},
	})
	if err != nil {
		return fmt.Errorf("summary chart %q: %w", title, err)
	}
	return nil
}
