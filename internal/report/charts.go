package report

import (
	"fmt"
	"math"
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
	printCols    = 16 // P
	hoursCol     = 18 // R
	labelCol     = 20 // T: the failures chart's labels, when a portal's name is cut for it (portalLabels)
)

// chartLabelMost is how many characters of a portal's name label its bar
// in the failures chart: a longer one ("Propertyfinder_international")
// wrapped mid-word beside its bar ("Propertyfinder_internationa" over
// "l"). A name cut for it ends in "…"; the Portal health table beside the
// chart names it whole.
const chartLabelMost = 20

// The charts' heights, their offset in their first cell and the space
// below each, in pixels; below many alarms, they take no less than
// minChartScale of their heights. The failures chart has at most
// listedMost bars (the Summary sums the other portals in one), and its
// failuresChartPx leave each a 9-point label's line: its title and axis
// take some 70 pixels and a label 16 (at 200 pixels for 14 portals
// LibreOffice named every other bar).
const (
	minChartScale   = 0.6
	leadsChartPx    = 280
	failuresChartPx = 200
	chartOffset     = 4
	chartGapPx      = 12
)

// charts draws the leads per hour and the failed submissions per portal
// beside the tables, from the first table's row down, the one below the
// other, sized so that the Summary stays one printed page; it returns the
// first row below them. The rows they take are known by now: charts come
// after the tables.
func (w *summaryWriter) charts(s *summary) (below int, err error) {
	failed := s.failed()
	below = w.chartTop
	scale := w.chartScale(s)
	if s.leads > 0 {
		first, last, err := w.hourData(s)
		if err != nil {
			return 0, err
		}
		ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetSummary, col, first, col, last) }
		// On a day the clocks change the hours name their zone ("02 CEST"),
		// wider than a column of 23 or 25: upright, they broke ("CE ST").
		rotation := 0
		if len(s.perHour) != 24 {
			rotation = -90
		}
		if err := addChart(w.f, chartCol+strconv.Itoa(below), excelize.Col, "Leads per hour", "Leads", leadsColour,
			ref("R"), ref("S"), uint(scale*leadsChartPx), slices.Max(s.perHour), rotation); err != nil {
			return 0, err
		}
		below = w.rowBelow(below, chartOffset+math.Floor(scale*leadsChartPx)+chartGapPx)
	}
	if failed > 0 {
		ref := func(col string) string {
			return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetSummary, col, w.portalRows[0], col, w.portalRows[1])
		}
		rows, most := s.portalRows(), 0
		for _, p := range rows {
			most = max(most, p.failed)
		}
		if err := addChart(w.f, chartCol+strconv.Itoa(below), excelize.Bar, "Failed submissions per portal", "Failed submissions",
			failuresColour, ref(w.portalLabels(rows)), ref("C"), uint(scale*failuresChartPx), most, 0); err != nil {
			return 0, err
		}
		below = w.rowBelow(below, chartOffset+math.Floor(scale*failuresChartPx)+chartGapPx)
	}
	return below, w.err
}

// chartScale is how much of their height the charts take (1 for all):
// below many alarms, less, so that they and the feed imports listed under
// them end within the page at minScale, as the tables do (codesFit).
func (w *summaryWriter) chartScale(s *summary) float64 {
	var px, fixed float64 // the charts', and their offsets' and gaps', in excelize's pixels (rowBelow)
	if s.leads > 0 {
		px, fixed = px+leadsChartPx, fixed+chartOffset+chartGapPx
	}
	if s.failed() > 0 {
		px, fixed = px+failuresChartPx, fixed+chartOffset+chartGapPx
	}
	points := summaryPoints - w.height(w.chartTop-1)
	if s.feedsListed() {
		points -= float64(len(s.feeds)+1) * lineHeight
	}
	if px == 0 {
		return 1
	}
	// A row of h points takes ceil(4h/3.4) of excelize's pixels: a pixel
	// a row more, at most, for each of the rows the charts span.
	room := points*4/3.4 - fixed - points/lineHeight
	if room/px < minChartScale && w.pageTop == 1 && w.alarmsApart() { // the alarms leave too little room: a page of their own
		return w.chartScale(s)
	}
	return min(1, max(minChartScale, room/px))
}

// portalLabels is the column of the failures chart's labels for the
// Portal health table's rows: the table's own names (A), or, when one is
// longer than chartLabelMost or the others are summed ("17 others"), each
// row's chart label in labelCol beside the table's rows, outside the
// printed area, under the title Chart label.
func (w *summaryWriter) portalLabels(rows []portalRow) string {
	if !slices.ContainsFunc(rows, func(r portalRow) bool { return r.chart != r.name }) {
		return "A"
	}
	w.labelsApart = true
	w.setAt(labelCol, w.portalRows[0]-1, "Chart label", w.st.header)
	for i, r := range rows {
		w.setAt(labelCol, w.portalRows[0]+i, r.chart, w.st.wrap)
	}
	col, _ := excelize.ColumnNumberToName(labelCol)
	return col
}

// uprightLabels turns the failures chart's portal names, upright (rot 0:
// the first text body of that kind in excelize's chart, the category
// axis's, before the value axis'), by a 60,000th of a degree, which no one
// sees: LibreOffice breaks a category axis's labels to a width of its own
// reckoning only when they are upright, and broke a portal's name of 20
// characters mid-word beside its bar on a day of five portals
// ("Rightmove_comm" over "ercial"). Excel breaks them at spaces only.
var uprightLabels = patch{`<a:bodyPr anchor="ctr" anchorCtr="true" rot="0" `, `<a:bodyPr anchor="ctr" anchorCtr="true" rot="-1" `}

// valueAxisBelow keeps the failures chart's value axis (its counts) below
// the bars: the categories reversed to read down in the table's order, the
// axis crossing them at their first, as excelize writes it, stood at their
// top. Crossing them at the last (max), it stands below, as Excel's
// "Horizontal axis crosses: at maximum category" puts it.
var valueAxisBelow = patch{`<crosses val="autoZero"></crosses><crossBetween `, `<crosses val="max"></crosses><crossBetween `}

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
// than wholeSteps it picks whole ones; the value axis starts at 0. The
// category labels are turned by rotation degrees (-90: read upwards,
// never wrapped).
func addChart(f *excelize.File, cell string, typ excelize.ChartType, title, series, colour, categories, values string,
	height uint, most, rotation int) error {
	axisFont := excelize.Font{Family: fontFamily, Size: 9, Color: "404040"}
	// From 0, as counts are: left to the spreadsheet, an axis of close
	// counts (10 and 9 failed) started near the smaller, whose bar then
	// looked a third of the other's.
	valueAxis := excelize.ChartAxis{Font: axisFont, MajorGridLines: true, Minimum: ptr(0.0)}
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
		Legend: excelize.ChartLegend{Position: "none"},
		// A bar chart's categories run up from the value axis: reversed,
		// they read down as the table beside lists them (the value axis
		// kept below them by valueAxisBelow).
		XAxis: excelize.ChartAxis{Font: axisFont, TickLabelSkip: 1, Alignment: excelize.Alignment{TextRotation: rotation},
			ReverseOrder: typ == excelize.Bar},
		YAxis:     valueAxis,
		Format:    excelize.GraphicOptions{OffsetX: chartOffset, OffsetY: chartOffset},
		Dimension: excelize.ChartDimension{Width: 500, Height: height},
	})
	if err != nil {
		return fmt.Errorf("summary chart %q: %w", title, err)
	}
	return nil
}
