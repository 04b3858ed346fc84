package report_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// submission is a portal_submission as Estate Agent Feeds sends it,
// received a few minutes after the submission.
func submission(t *testing.T, db *sqlite.DB, loc *time.Location, at time.Time, target, ref, status string, codes ...string) {
	t.Helper()
	submissionReceived(t, db, loc, at, at.Add(7*time.Minute), target, ref, status, codes...)
}

// submissionReceived is submission received at received.
func submissionReceived(t *testing.T, db *sqlite.DB, loc *time.Location, at, received time.Time, target, ref, status string, codes ...string) {
	t.Helper()
	body := map[string]any{"eaf_type": "portal_submission", "eaf_status": status, "eaf_action": "update",
		"eaf_target": target, "eaf_id": fmt.Sprint(at.UnixNano()), "eaf_date": at.In(time.FixedZone("", 3600)).Format(time.RFC3339),
		"eaf_portal_reference": ref + "_EAF_67004"}
	if !strings.HasPrefix(ref, "noref") {
		body["eaf_reference"] = ref
	}
	if status == "success" {
		body["eaf_remote_url"] = "https://www.rightmove.co.uk/properties/" + ref
	}
	var errs []any
	for _, c := range codes {
		errs = append(errs, map[string]any{"eaf_code": c, "eaf_message": "message of " + c})
	}
	if errs != nil {
		body["eaf_errors"] = errs
	}
	js := with(t, []byte(`{}`))
	js = with(t, js, flatten(body)...)
	// The sheet shows eaf_date, not when it was received.
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: js, at: received, mapState: "ignored"})
}

func flatten(m map[string]any) []any {
	var kv []any
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv
}

// TestPortalFailuresAsAToDoList: one row per listing per portal with all
// its errors, the submission's time (hh:mm, on the report's day), and what
// became of it by the end of the day; those still failing first, a
// listing the portal only timed out on among them, those fixed by a later
// success last, with when.
func TestPortalFailuresAsAToDoList(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := func(h, m int) time.Time { return time.Date(2026, 6, 2, h, m, 0, 0, loc) }
	submission(t, db, loc, at(9, 0), "rightmove", "100", "error", "ERR_MISSING_PRICE")
	submission(t, db, loc, at(10, 0), "rightmove", "100", "error", "ERR_MISSING_IMAGES", "ERR_MISSING_PRICE")
	submission(t, db, loc, at(11, 15), "rightmove", "100", "success") // fixed
	submission(t, db, loc, at(8, 0), "zoopla", "200", "success")      // a success before the failure fixes nothing
	submission(t, db, loc, at(9, 30), "zoopla", "200", "error", "ERR_ACCOUNT_ALLOWANCE")
	submission(t, db, loc, at(12, 0), "zoopla", "300", "error", "ERR_PORTAL_TIMEOUT") // still failing: no later success
	submission(t, db, loc, at(13, 0), "rightmove", "noref400", "error", "ERR_SOMETHING_NEW")
	submission(t, db, loc, at(14, 0), "zoopla", "100", "error", "ERR_MISSING_PRICE") // same listing, other portal
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Portal failures")
	wantHeader(t, r, wantFailures)
	var got []string
	for _, row := range r[1:] {
		got = append(got, strings.Join(row[:7], "|"))
	}
	want := []string{
		"Still failing|Rightmove|noref400|noref400_EAF_67004|update|13:00|1",
		"Still failing|Zoopla|200|200_EAF_67004|update|09:30|1",
		"Still failing|Zoopla|300|300_EAF_67004|update|12:00|1",
		"Still failing|Zoopla|100|100_EAF_67004|update|14:00|1",
		"Fixed|Rightmove|100|100_EAF_67004|update|10:00|2",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	fixed := r[5]
	if fixed[7] != "ERR_MISSING_PRICE: message of ERR_MISSING_PRICE\nERR_MISSING_IMAGES: message of ERR_MISSING_IMAGES" ||
		fixed[8] != "Nothing: a later submission succeeded." || fixed[9] != "11:15" || fixed[10] != "Open listing" {
		t.Errorf("fixed listing: %q", fixed)
	}
	wantFormula(t, f, "Portal failures", "K6", `HYPERLINK("https://www.rightmove.co.uk/properties/100","Open listing")`)
	if !strings.Contains(r[1][8], "Estate Agent Feeds support") || !strings.Contains(r[2][8], "allowance") ||
		!strings.Contains(r[3][8], "if no later submission of it succeeds, resubmit it") {
		t.Errorf("next steps: %q / %q / %q", r[1][8], r[2][8], r[3][8])
	}
	for cell, fill := range map[string]string{"A2": "FFC7CE", "A4": "FFC7CE", "A6": "C6EFCE"} {
		if st := cellStyle(t, f, "Portal failures", cell); len(st.Fill.Color) == 0 || st.Fill.Color[0] != fill {
			t.Errorf("%s fill %v, want %s", cell, st.Fill.Color, fill)
		}
	}
	sum := summaryMap(t, f)
	if sum["Rightmove"] != "4 3 2 1 1" || sum["Zoopla"] != "4 3 3 3 0" {
		t.Errorf("portal health: Rightmove %q, Zoopla %q", sum["Rightmove"], sum["Zoopla"])
	}
	if sum["ERR_MISSING_PRICE"] != "1 1" || sum["ERR_PORTAL_TIMEOUT"] != "0 1" {
		t.Errorf("portal x code: %q", sum)
	}
}

// TestLeadsReadable: messages as text with their line breaks (the HTML
// variant preferred), rows tall enough for them, widths that fit within a
// maximum, and the leads that did not reach the CRM highlighted.
func TestLeadsReadable(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := func(h int) time.Time { return time.Date(2026, 6, 2, h, 0, 0, 0, loc) }
	enquiry := fixture(t, "lokalebasen/enquiry_created.json")
	email := fixture(t, "eaf/email_lead.json")
	long := strings.Repeat("word ", 60)
	a := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at(9),
		body: with(t, enquiry, "payload.comment", "<p>Hej</p><p>Vi søger kontor<br>med &amp; uden møbler</p><p>"+long+"</p>")})
	insertOp(t, db, a, op{kind: "contact", state: "done", crmID: "1", at: at(9)})
	insertOp(t, db, a, op{kind: "deal", state: "pending", lastError: "crm 503: try later", at: at(9)})
	b := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at(10),
		body: with(t, email, "contact_message_html", "Line one<br>Line two", "contact_message_flat", "Line one Line two",
			"contact_email", "x@"+strings.Repeat("y", 30)+".example")})
	insertOp(t, db, b, op{kind: "contact", state: "dead", lastError: "crm 400 INVALID_EMAIL", at: at(10)})
	dir := t.TempDir()
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(dir, "r.xlsx"), Location: loc, HTMLText: mapping.HTMLText})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Leads")
	if r[1][10] != "Hej\n\nVi søger kontor\nmed & uden møbler\n\n"+strings.TrimSpace(long) || r[2][10] != "Line one\nLine two" {
		t.Errorf("messages %q, %q", r[1][10], r[2][10])
	}
	// The message column takes what the other printed columns leave of a
	// page at 4/5 of its size (they print one page wide at 80% or more): 24
	// wide here, the 47 it had less the 20 the property and the slug asked
	// about take to show on one line ("20064 / EJ-593915GV",
	// "dampfaergevej-10559": 19 each), and the 3 the phone as sent
	// ("+44(0)20 3870 4550", 17) takes past 14, five of the words "word" (4.9
	// digits each with its space) a line, so 60 take twelve lines, after
	// the three short ones and the empty line after each of the first two
	// paragraphs. Each line takes 12.75 points, Excel's line of
	// 10-point Calibri, with nothing added; a row of one line takes the
	// sheet's default height, the same. In the next row the 40-letter email
	// address wraps once in its column, at its maximum, 36 wide, and the
	// CRM status takes three lines in its, 16 wide: "Not sent: dead",
	// "crm 400", "INVALID_EMAIL".
	if w, _ := f.GetColWidth("Leads", "K"); w != 24 {
		t.Errorf("message column %v wide, want what the others leave, 24", w)
	}
	if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 || px < printWidth/0.8-7 {
		t.Errorf("the Leads sheet's printed columns take %v pixels, want all of what prints at 80%%, %.0f", px, printWidth/0.8)
	}
	if h, _ := f.GetRowHeight("Leads", 2); h != 17*12.75 {
		t.Errorf("a row of 17 lines is %v points tall, want %v", h, 17*12.75)
	}
	if h, _ := f.GetRowHeight("Leads", 3); h != 3*12.75 {
		t.Errorf("a row of 3 lines is %v points tall, want %v", h, 3*12.75)
	}
	if p, err := f.GetSheetProps("Leads"); err != nil || *p.DefaultRowHeight != 12.75 || !*p.CustomHeight {
		t.Errorf("default row height %v (custom %v), want 12.75: %v", *p.DefaultRowHeight, *p.CustomHeight, err)
	}
	if w, _ := f.GetColWidth("Leads", "F"); w != 36 {
		t.Errorf("email column %v wide, want its maximum, 36", w)
	}
	if w, _ := f.GetColWidth("Leads", "C"); w != 8 {
		t.Errorf("enquiry column %v wide, want its title's, 8", w)
	}
	// The property and the slug asked about show whole on one line
	// (TestSlugsShowWhole).
	for col, v := range map[string]string{"I": "20064 / EJ-593915GV", "J": "dampfaergevej-10559"} {
		if w, _ := f.GetColWidth("Leads", col); w < report.FitWidth(v) || r[1][col[0]-'A'] != v {
			t.Errorf("Leads!%s2 %q in a column %v wide, want %q on one line", col, r[1][col[0]-'A'], w, v)
		}
	}
	if r[1][11] != "Waiting to be sent\ncrm 503: try later" || r[2][11] != "Not sent: dead\ncrm 400 INVALID_EMAIL" {
		t.Errorf("CRM column %q, %q", r[1][11], r[2][11])
	}
	for cell, fill := range map[string]string{"L2": "FFEB9C", "L3": "FFC7CE"} {
		if st := cellStyle(t, f, "Leads", cell); len(st.Fill.Color) == 0 || st.Fill.Color[0] != fill {
			t.Errorf("%s fill %v, want %s", cell, st.Fill.Color, fill)
		}
	}
	// Without an HTML converter the flattened variant is shown.
	path, err = report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(dir, "r2.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	if r := rows(t, openBook(t, path), "Leads"); r[2][10] != "Line one Line two" {
		t.Errorf("flat message %q", r[2][10])
	}
}

// TestWorkbookFile: every style names a real font; every sheet's dimension
// spans its cells (openpyxl's read-only mode reads only that far); the
// header row repeats on every printed page; the document says what it is
// and that syncd made it.
func TestWorkbookFile(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 29},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	parts := zipParts(t, path)
	fonts := regexp.MustCompile(`(?s)<font>.*?</font>`).FindAllString(parts["xl/styles.xml"], -1)
	if len(fonts) < 5 {
		t.Fatalf("%d fonts", len(fonts))
	}
	for _, font := range fonts {
		if !strings.Contains(font, `<name val="Calibri"`) || !strings.Contains(font, `<sz val=`) {
			t.Errorf("a style's font has no name or size: %s", font)
		}
	}
	for part, want := range map[string]string{
		"xl/worksheets/sheet1.xml": `<dimension ref="A1:S` + strconv.Itoa(len(rows(t, openBook(t, path), "Summary"))) + `"`,
		"xl/worksheets/sheet2.xml": `<dimension ref="A1:R5"`, // the lead numbers, CRM links, dates, CRM statuses and whole messages, M to R, do not print
		"xl/worksheets/sheet3.xml": `<dimension ref="A1:M3"`, // the listing's link and the dates, K to M, do not print
		"xl/worksheets/sheet4.xml": `<dimension ref="A1:G2"`, // the date, G, does not print
		"xl/worksheets/sheet5.xml": `<dimension ref="A1:I5"`, // the date, I, does not print
	} {
		if !strings.Contains(parts[part], want) {
			t.Errorf("%s lacks %s: %.300s", part, want, parts[part])
		}
	}
	wb := parts["xl/workbook.xml"]
	for i, titles := range []string{"", "&#39;Leads&#39;!$1:$1", "&#39;Portal failures&#39;!$1:$1",
		"&#39;Feed imports&#39;!$1:$1", "&#39;Needs attention&#39;!$2:$2"} {
		if titles == "" {
			continue
		}
		if want := `<definedName localSheetId="` + strconv.Itoa(i) + `" name="_xlnm.Print_Titles">` + titles; !strings.Contains(wb, want) {
			t.Errorf("workbook lacks %s", want)
		}
	}
	if !strings.Contains(wb, `name="_xlnm.Print_Area">&#39;Leads&#39;!$A:$L<`) {
		t.Errorf("the Leads sheet prints its lead numbers or CRM links: %s", wb)
	}
	if !strings.Contains(wb, `name="_xlnm.Print_Area">&#39;Portal failures&#39;!$A:$J<`) {
		t.Errorf("the Portal failures sheet prints its listing links: %s", wb)
	}
	// Narrow margins; every sheet numbers its pages, the Summary's one
	// page among them (TestSummaryPageIsNumberedWithTheOthers).
	for i := 1; i <= 5; i++ {
		sheet := parts["xl/worksheets/sheet"+strconv.Itoa(i)+".xml"]
		if !strings.Contains(sheet, `<pageMargins left="0.25" right="0.25" top="0.3" bottom="0.45"`) {
			t.Errorf("sheet%d margins: %s", i, regexp.MustCompile(`<pageMargins[^>]*>`).FindString(sheet))
		}
		if footer := strings.Contains(sheet, `Page &amp;P of &amp;N</oddFooter>`); !footer {
			t.Errorf("sheet%d has a page number footer: %v", i, footer)
		}
	}
	if !strings.Contains(wb, `name="_xlnm.Print_Area">&#39;Summary&#39;!$A$1:$P$`) {
		t.Errorf("the summary has no print area: %s", wb)
	}
	// The Summary, A to P, prints one page wide at 80% of its size or more:
	// its 10-point text at 8 points or more (Excel: 7 pixels a unit of
	// width, 5 of padding; A4 landscape between the margins at 96 dpi).
	f := openBook(t, path)
	px := 0.0
	for c := 'A'; c <= 'P'; c++ {
		w, err := f.GetColWidth("Summary", string(c))
		if err != nil {
			t.Fatal(err)
		}
		px += math.Trunc(w*7 + 5)
	}
	if scale := (11.69 - 2*0.25) * 96 / px; scale < 0.8 {
		t.Errorf("the Summary prints at %.0f%% of its size", 100*scale)
	}
	if !strings.Contains(parts["xl/worksheets/sheet1.xml"], `fitToHeight="1"`) {
		t.Error("the summary does not print on one page")
	}
	core := parts["docProps/core.xml"]
	for _, want := range []string{"<dc:title>Leads report 2026-03-29</dc:title>", "<dc:creator>syncd</dc:creator>",
		"lastModifiedBy>syncd</"} {
		if !strings.Contains(core, want) {
			t.Errorf("document properties lack %s:\n%s", want, core)
		}
	}
	if app := parts["docProps/app.xml"]; !strings.Contains(app, "<Application>syncd</Application>") {
		t.Errorf("app properties %s", app)
	}
}

// TestSummaryAgainstTheDaysBefore: the day's leads against the day before
// and the average of the seven days before, from the reports made for them.
func TestSummaryAgainstTheDaysBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	day := report.Day{Year: 2026, Month: 6, Day: 10}
	for i, n := range []int{10, 20, 30, 40, 50, 60, 8} { // 3 to 9 June
		d := day.AddDays(i - 7).String()
		if err := db.RecordReport(ctx, report.Record{Day: d, Path: "x", Leads: n}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordReport(ctx, report.Record{Day: "2026-06-02", Path: "x", Leads: 1000}); err != nil { // 8 days before
		t.Fatal(err)
	}
	enquiry := fixture(t, "lokalebasen/enquiry_created.json")
	for i := 0; i < 12; i++ {
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: enquiry,
			at: time.Date(2026, 6, 10, 9, i, 0, 0, loc)})
	}
	path, err := report.Make(ctx, day, report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	// 12 against 8 the day before (+50%) and 31.1 on average (-61%).
	if got := summaryMap(t, f)["All sources"]; got != "12 8 +50% 31.1 -61%" {
		t.Errorf("All sources %q", got)
	}
	for _, r := range rows(t, f, "Summary") {
		for _, c := range r {
			if c == "Hours in the day" || c == "no CRM" || c == "Time zone" {
				t.Errorf("jargon row %q", r)
			}
		}
	}
}

// printWidth is A4 landscape between the report's margins (a quarter of an
// inch each side), in pixels at 96 dpi.
const printWidth = (11.69 - 2*0.25) * 96

// printedPixels is the printed width at full size of sheet's columns A to
// last, in pixels (Excel: 7 a unit of width, 5 of padding).
func printedPixels(t testing.TB, f *excelize.File, sheet string, last rune) float64 {
	t.Helper()
	px := 0.0
	for c := 'A'; c <= last; c++ {
		w, err := f.GetColWidth(sheet, string(c))
		if err != nil {
			t.Fatal(err)
		}
		px += math.Trunc(w*7 + 5)
	}
	return px
}

// TestFeedImportsOnTheSummary: a day's few feed imports are listed on the
// Summary, right of its tables under the charts (in columns I to M), and
// their own sheet, which would print a page for them, is hidden; more of
// them keep their sheet, and the Summary says where.
func TestFeedImportsOnTheSummary(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	body := fixture(t, "eaf/feed_import.json")
	make := func(t *testing.T, n int) (*excelize.File, map[string]string, string) {
		db := openDB(t)
		for i := range n {
			at := time.Date(2026, 6, 2, 9+i, 30, 0, 0, loc)
			insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: at.Add(2 * time.Minute), mapState: "ignored",
				body: with(t, body, "eaf_agent_name", fmt.Sprintf("Agency %d", i), "eaf_records_modified", 10+i,
					"eaf_date", at.Format(time.RFC3339))})
		}
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		listed := map[string]string{} // column I -> J to M
		for _, r := range rows(t, f, "Summary") {
			if len(r) > 8 && r[8] != "" {
				listed[r[8]] = strings.TrimSpace(strings.Join(r[9:min(len(r), 13)], " "))
			}
		}
		return f, listed, zipParts(t, path)["xl/workbook.xml"]
	}
	t.Run("few", func(t *testing.T) {
		f, listed, wb := make(t, 3)
		if got := listed["Feed imports"]; got != "Time Format  Records" {
			t.Errorf("Summary's feed imports header %q", got)
		}
		for i, want := range []string{"09:30 xml_eaf_spec  10", "10:30 xml_eaf_spec  11", "11:30 xml_eaf_spec  12"} {
			if got := listed[fmt.Sprintf("Agency %d", i)]; got != want {
				t.Errorf("Summary's feed import %d: %q, want %q", i, got, want)
			}
		}
		if _, ok := summaryMap(t, f)["Feed imports: 3, changing 33 property records."]; !ok {
			t.Errorf("Summary lacks the feed imports' total: %q", rows(t, f, "Summary"))
		}
		if link, _, err := f.GetCellHyperLink("Summary", "I5"); !link || err != nil {
			t.Errorf("the feed is not linked: %v %v", link, err)
		}
		if !strings.Contains(wb, `<sheet name="Feed imports" state="hidden"`) {
			t.Errorf("the Feed imports sheet prints: %s", wb)
		}
	})
	t.Run("many", func(t *testing.T) {
		f, listed, wb := make(t, 6)
		if _, ok := listed["Agency 0"]; ok {
			t.Errorf("Summary lists 6 feed imports: %q", listed)
		}
		if _, ok := summaryMap(t, f)["Feed imports: 6, changing 75 property records. They are listed on the sheet Feed imports."]; !ok {
			t.Errorf("Summary does not say where the feed imports are: %q", rows(t, f, "Summary"))
		}
		if strings.Contains(wb, `<sheet name="Feed imports" state="hidden"`) {
			t.Errorf("the Feed imports sheet is hidden: %s", wb)
		}
	})
}

// TestLeadsOnePerLine: a day of leads with one-line messages and email
// addresses as long as real ones prints one line a lead: the email column
// holds the longest address whole (it used to wrap them mid-address), and
// the message column takes the rest of a page at 80%, no more.
func TestLeadsOnePerLine(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	body := fixture(t, "eaf/email_lead.json")
	emails := []string{"mohammed.christensen13@example.com", "sophie.christensen22@example.com", "bo.wilson5@example.com"}
	for i, email := range emails {
		at := time.Date(2026, 6, 2, 9+i, 0, 0, 0, loc)
		id := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at,
			body: with(t, body, "contact_email", email, "contact_message_html", "Please call me back about this flat.",
				"contact_message_flat", "")})
		insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "1", at: at,
			props: `{"email":"` + email + `","phone":"+447627881824","firstname":"Sophie","lastname":"Baker"}`})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc, HTMLText: mapping.HTMLText})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Leads")
	for i := range emails {
		if r[i+1][5] != emails[i] {
			t.Fatalf("row %d email %q", i+2, r[i+1][5])
		}
		if h, _ := f.GetRowHeight("Leads", i+2); h != 12.75 {
			t.Errorf("the lead of %s takes %v points, want one line, 12.75", emails[i], h)
		}
	}
	if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 {
		t.Errorf("the Leads sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
	}
}
