package report

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

func TestLinkCells(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	st := styles{link: 7}
	long := "https://example.com/" + strings.Repeat("a", 250)
	for _, c := range []struct {
		name, text, url string
		want            any
	}{
		{"link", "20064", "https://x.dk/a", excelize.Cell{StyleID: 7, Formula: `HYPERLINK("https://x.dk/a","20064")`, Value: "20064"}},
		{"quotes doubled", `say "hi"`, `https://x.dk/?q="1"`, excelize.Cell{StyleID: 7, Formula: `HYPERLINK("https://x.dk/?q=""1""","say ""hi""")`, Value: `say "hi"`}},
		{"no text shows the address", "", "https://x.dk/a", excelize.Cell{StyleID: 7, Formula: `HYPERLINK("https://x.dk/a","https://x.dk/a")`, Value: "https://x.dk/a"}},
		{"too long for HYPERLINK", "ref", long, "ref"},
		{"not a web address", "ref", "javascript:alert(1)", "ref"},
		{"a control character shown as a cell shows it", "", "https://x.dk/a\x00b\r\nc\u202ed", "https://x.dk/a b\ncd"},
		{"no address", "ref", "", "ref"},
	} {
		if got := link(st, c.text, c.url); got != c.want {
			t.Errorf("%s: got %#v, want %#v", c.name, got, c.want)
		}
	}
	if got := crmLink(st, "HubSpot", "https://crm/x/{id}/view", "55"); got != (excelize.Cell{StyleID: 7,
		Formula: `HYPERLINK("https://crm/x/55/view","Open in HubSpot")`, Value: "Open in HubSpot"}) {
		t.Errorf("crm link %#v", got)
	}
	if got := crmLink(st, "HubSpot", "", "55"); got != (excelize.Cell{StyleID: st.wholeNumber, Value: int64(55)}) {
		t.Errorf("crm id without template %#v", got)
	}
	if got := crmLink(st, "HubSpot", "", "c-55"); got != "c-55" {
		t.Errorf("crm id of letters without template %#v", got)
	}
}

func TestTextIsCappedToACell(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	s := strings.Repeat("æ", maxCellText+10)
	got := []rune(text(s))
	if len(got) != maxCellText || got[len(got)-1] != '…' {
		t.Fatalf("capped to %d runes ending %q", len(got), got[len(got)-1])
	}
	if short := "kort"; text(short) != short {
		t.Fatal("short text changed")
	}
}

func TestParseLeadWithoutLocationID(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	l := parseLead("lokalebasen", []byte(`{"event_type":"enquiry_created","payload":{
		"location":{"href":"https://www.lokalebasen.dk/leje/x/aebelogade-20064/"},
		"requested_location":{"href":"https://www.lokalebasen.dk/leje/x/aebelogade-20064/"},
		"enquiry":{"type":"direct"},"client":{"name":"A","email":"a@b.dk"}}}`))
	if l.property != "aebelogade-20064" || l.requested != "" || l.enquiryType != "direct" || l.name != "A" || l.message != "" ||
		l.source != "Lokalebasen" {
		t.Fatalf("%+v", l)
	}
	e := parseLead("eaf", []byte(`{"eaf_type":"email_lead","email_source":"zoopla","eaf_reference":"1","eaf_development_reference":"D9"}`))
	if e.property != "1 / development D9" || e.source != "Zoopla" || e.enquiryType != "" {
		t.Fatalf("%+v", e)
	}
}

func TestDayLengths(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	for day, hours := range map[string]int{"2026-03-29": 23, "2026-10-25": 25, "2026-06-01": 24, "2024-02-29": 24} {
		d, err := ParseDay(day)
		if err != nil {
			t.Fatal(err)
		}
		from, to := d.Bounds(loc)
		if got := int(to.Sub(from).Hours()); got != hours || d.String() != day || DayOf(from, loc) != d {
			t.Errorf("%s: %d hours, want %d", day, got, hours)
		}
	}
	for _, bad := range []string{"2026-02-30", "29-03-2026", "", "2026-3-1"} {
		if _, err := ParseDay(bad); err == nil {
			t.Errorf("ParseDay(%q) accepted", bad)
		}
	}
	if got := (Day{2026, 12, 31}).AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("AddDays over a year end: %s", got)
	}
}

func TestSheetPastItsRowLimit(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := newStreamSheet(f, st, readerNumbers(time.UTC), "Sheet1", "", []column{{Title: "N", Min: 5, Max: 5}})
	if err != nil {
		t.Fatal(err)
	}
	sh.maxRows = 5 // header, 3 rows, the note
	for i := 1; i <= 7; i++ {
		if err := sh.row(unsized, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := sh.close("none"); err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"N", "1", "2", "3", "4 more rows are not shown: a sheet holds at most 5 rows."}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i, w := range want {
		if rows[i][0] != w {
			t.Errorf("row %d = %q, want %q", i+1, rows[i][0], w)
		}
	}
}

func TestWrappedLines(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	for _, c := range []struct {
		line string
		per  float64
		want int
	}{
		{"", 10, 1},
		{"one two three", 13, 1},
		{"one two three", 10, 2},       // "one two" then "three"
		{"abcdefghijklmnopqrst", 8, 3}, // a word longer than a line is cut
		{"ab abcdefghijklmnop", 8, 3},  // "ab", then the long word over two
		{"æøå æøå", 4, 2},              // letters, not bytes
		{"ææææ", 4, 2},                 // Carlito's æ is a digit and a half: two lines, not one
		{"ØØØ", 3, 2},                  // Ø is 1.31 digits
		{"illicit illicit", 10, 1},     // narrow letters: more to a line
		{"MEMO MEMO", 10, 2},           // wide ones: fewer
	} {
		if got := wrappedLines(c.line, c.per); got != c.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", c.line, c.per, got, c.want)
		}
	}
	// Two paragraphs in a 12-wide column: one line each; the same width
	// takes fewer capitals and an email address wraps.
	if got := textLines("Hello there,\nsee you soon", 12); got != 2 {
		t.Errorf("prose lines %d", got)
	}
	if got := textLines("invalid email", 12); got != 1 {
		t.Errorf("small letters' lines %d", got)
	}
	if got := textLines("INVALID EMAIL", 12); got != 2 {
		t.Errorf("capitals' lines %d", got)
	}
	// Printed by LibreOffice on two lines of the 60-wide Reason column:
	// counted at 1.2 letters a digit it got one, and overlapped the next row.
	if got := textLines("crm 400 INVALID_EMAIL: Email address sophie.jensen23@example.com is invalid", 60); got != 2 {
		t.Errorf("error message lines %d", got)
	}
	if got := rowHeight([]any{"x", "a\nb\nc"}, []float64{5, 20}); got != 3*lineHeight {
		t.Errorf("row height %v", got)
	}
	if got := rowHeight([]any{"x"}, []float64{5}); got != 0 {
		t.Errorf("a one-line row gets height %v, want the default", got)
	}
}

// TestWrappedLinesAsWordByWord: the byte-by-byte count agrees with
// counting the words strings.Fields finds, letter by letter, each
// character of a wide script a piece of its own next to the others, on
// text of every kind of letter and space (and on bytes that are not
// UTF-8).
func TestWrappedLinesAsWordByWord(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	type piece struct {
		w      float64
		spaced bool
	}
	pieces := func(line string) []piece {
		var out []piece
		for i, word := range strings.Fields(line) {
			spaced := i > 0
			run := 0.0
			for _, r := range word {
				if !wide(r) {
					run += runeWidth(r)
					continue
				}
				if run > 0 {
					out, spaced, run = append(out, piece{run, spaced}), false, 0
				}
				out, spaced = append(out, piece{runeWidth(r), spaced}), false
			}
			if run > 0 {
				out = append(out, piece{run, spaced})
			}
		}
		return out
	}
	ref := func(line string, per float64) int {
		lines, used := 1, 0.0
		for _, p := range pieces(line) {
			w, sep := p.w, 0.0
			if p.spaced {
				sep = runeWidth(' ')
			}
			switch {
			case used > 0 && used+sep+w <= per:
				used += sep + w
			case used == 0 && w <= per:
				used = w
			default:
				if used > 0 {
					lines++
				}
				cut := int((w - 0.001) / per)
				lines += cut
				used = w - float64(cut)*per
			}
		}
		return lines
	}
	parts := []string{"a", "MEMO", "illicit", " ", "  ", "\t", "\u00a0", "\u0085", "\u3000", "æøå", "日本語", "\xff", "x@y.dk",
		"https://www.lokalebasen.dk/leje/kontorlokaler/2100", "—", "\v", "150", "，"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		line, per := b.String(), float64(1+rng.IntN(40))+0.5
		if got, want := wrappedLines(line, per), ref(line, per); got != want {
			t.Fatalf("wrappedLines(%q, %v) = %d, word by word %d", line, per, got, want)
		}
	}
}

// TestPrintedColumnsReadable: each detail sheet's printed columns, at
// their widest (a column that stretches at its narrowest, one with Keep
// at Keep: they give up what the others take past the page, shrink), fit A4 landscape one page wide
// at four fifths of their size or more, so that its 10-point text prints
// at 8 points or more. (One 100-wide message column once shrank the Leads
// sheet to half its size: 5-point text, three pages nobody could read.)
func TestPrintedColumnsReadable(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	page := (11.69 - 2*marginSide) * 96 // A4 landscape between the margins, in pixels at 96 dpi
	for _, c := range []struct {
		sheet string
		cols  []column
	}{
		{SheetLeads, leadColumns[:leadPrintedCols]}, {SheetLeads + " (clocks change)", zonedLeadColumns()[:leadPrintedCols]},
		{SheetFailures, failureColumns[:failurePrintedCols]},
		{SheetFeeds, feedColumns[:feedPrintedCols]}, {SheetAttention, attentionColumns[:attentionPrintedCols]},
	} {
		px := 0.0
		for _, col := range c.cols { // Excel: 7 pixels a unit of width (a digit of 11-point Calibri), 5 of padding
			w := col.Max
			if col.Stretch {
				w = col.Min
			}
			if col.Keep > 0 { // it gives back what the page lacks down to Keep, after the columns that stretch
				w = col.Keep
			}
			px += math.Trunc(max(w, titleWidth(col.Title))*7 + 5)
		}
		if scale := page / px; scale < 0.8 {
			t.Errorf("%s prints at %.0f%% of its size, its text at %.1f points: want 80%% or more", c.sheet,
				100*scale, fontSize*scale)
		}
	}
}

func TestAlarmConcernsItsDays(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	from := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	to, next := from.Add(24*time.Hour), from.Add(30*time.Hour)
	for _, c := range []struct {
		name string
		a    Alarm
		made time.Time
		want bool
	}{
		{"began during the day", Alarm{Since: from.Add(20 * time.Hour)}, next, true},
		{"began the next morning", Alarm{Since: to.Add(5 * time.Hour)}, next, false},
		{"ended before the day", Alarm{Since: from.Add(-48 * time.Hour), Until: from.Add(-time.Hour)}, next, false},
		{"began long before and lasts", Alarm{Since: from.Add(-48 * time.Hour)}, next, true},
		{"start unknown, the morning report", Alarm{}, next, true},
		{"start unknown, an old day's report", Alarm{}, to.Add(72 * time.Hour), false},
	} {
		if got := concerns(c.a, from, to, c.made); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestSentValues: the contact's fields as syncd sent them, whichever CRM's
// property names they came under; what was not sent stays as received
// (the name whole, without a function to split it).
func TestSentValues(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	received := lead{name: "Angela Baker", email: " Angela@Example.com ", phone: "52 25 05 59", company: "Bakers"}
	for _, c := range []struct {
		props string
		want  lead
	}{
		{``, lead{first: "Angela Baker", email: received.email, phone: received.phone, company: "Bakers"}},
		{`{}`, lead{first: "Angela Baker", email: received.email, phone: received.phone, company: "Bakers"}},
		{`{"email":"angela@example.com","phone":"+4552250559","firstname":"Angela","lastname":"Baker"}`,
			lead{first: "Angela", last: "Baker", email: "angela@example.com", phone: "+4552250559", company: "Bakers"}},
		{`{"first_name":"Angela","last_name":"Baker","company":"Bakers Inc."}`,
			lead{first: "Angela", last: "Baker", email: received.email, phone: received.phone, company: "Bakers Inc."}},
		{`{"name":"Angela B."}`, lead{first: "Angela B.", email: received.email, phone: received.phone, company: "Bakers"}},
		{`{"first_name":"Second","firstname":"First","name":"Name"}`,
			lead{first: "First", email: received.email, phone: received.phone, company: "Bakers"}},
	} {
		l := received
		l.sent([]byte(c.props))
		l.names(nil)
		if l.name = ""; l != c.want {
			t.Errorf("sent(%s) = %+v, want %+v", c.props, l, c.want)
		}
	}
}

// BenchmarkRowHeight measures a lead's row as the Leads sheet does for
// each of a day's leads (its message and email wrap).
//
//	go test ./internal/report -run '^$' -bench RowHeight
func BenchmarkRowHeight(b *testing.B) {
	row := []any{"Lokalebasen", "extra", "Angela Baker 123456", "angela123456@hotmail.com", "52 25 05 59", "Bakers Inc.",
		"123456 / EJ-123456", "dampfaergevej-123456", "I would like something with a grand view over the city.",
		"Synced with HubSpot", int64(123456), "1123456", "1123457"}
	widths := []float64{6, 13, 8, 9, 10, 22, 14, 12, 10, 10, 43, 16, 5, 16, 16}
	for b.Loop() {
		rowHeight(row, widths)
	}
}

func TestClipTextFillsTheTallestRow(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	for _, s := range []string{
		strings.Repeat("Jeg søger et kontor på Østerbro med udsigt 🏠. ", 300),
		strings.Repeat("x", 5000),
		strings.Repeat("line\n", 100),
	} {
		got := clipText(readerNumbers(time.UTC), s, 60, "")
		n := textLines(got, 60)
		body, note, _ := strings.Cut(got, "\n… [")
		if n > maxLines || n < maxLines-2 || !utf8.ValidString(got) || !strings.HasPrefix(s, body) ||
			!strings.HasSuffix(note, "more characters: too long for a row]") {
			t.Errorf("clipped to %d lines (a row shows %d), valid %v, ending %q", n, maxLines, utf8.ValidString(got), got[max(0, len(got)-60):])
		}
	}
}

// TestParseDaySaysWhy: `syncd report -date 2026-02-30` answered "want
// YYYY-MM-DD", which the operator had written; a date the calendar lacks
// says so.
func TestParseDaySaysWhy(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	for in, want := range map[string]string{
		"2026-02-30": "2026-02-30 is not a date (day out of range)",
		"2026-13-01": "2026-13-01 is not a date (month out of range)",
		"30-11-2026": `parse day "30-11-2026": want YYYY-MM-DD`,
		"2026-11-3":  `parse day "2026-11-3": want YYYY-MM-DD`,
	} {
		if _, err := ParseDay(in); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}
