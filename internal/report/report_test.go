package report_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

func copenhagen(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var (
	wantSheets = []string{"Summary", "Leads", "Portal failures", "Feed imports", "Needs attention"}
	wantLeads  = []string{"Time", "Source", "Enquiry", "First name", "Last name", "Email", "Phone", "Company",
		"Property", "Asked about", "Message", "CRM", "Lead", "Contact", "Deal", "Received", "CRM status", "Whole message"}
	wantFailures = []string{"Status", "Portal", "Property", "Portal ref", "Action", "Submitted at", "Failed", "Errors",
		"What to do", "Fixed at", "Listing", "Submitted on", "Fixed on"}
	wantFeeds     = []string{"Time", "Source", "Agent", "Format", "Records changed", "Feed", "Date and time"}
	wantAttention = []string{"Time", "Problem", "ID", "Source", "Detail", "Reason", "Lead", "Inspect with", "Date and time"}
)

// day0329 fills db with a day of events on 2026-03-29 in Copenhagen (the
// clocks go forward at 02:00: a 23-hour day), plus events just outside it.
// It returns the ids it needs to check.
type day0329 struct {
	enquiry, dead, unmappable, quarantine, deadOp int64
}

func fill0329(t *testing.T, db *sqlite.DB, loc *time.Location) day0329 {
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 29, h, m, s, 0, loc) }
	enquiry := fixture(t, "lokalebasen/enquiry_created.json")
	email := fixture(t, "eaf/email_lead.json")
	var d day0329

	// Just outside the day, on both sides: must not appear.
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: enquiry, at: at(0, 0, 0).Add(-time.Microsecond)})
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: email, at: time.Date(2026, 3, 30, 0, 0, 0, 0, loc)})

	// 01:30 CET: the documented enquiry, trailing commas and all; synced.
	d.enquiry = insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: enquiry, at: at(1, 30, 0)})
	insertOp(t, db, d.enquiry, op{kind: "contact", state: "done", crmID: "101", at: at(1, 31, 0),
		props: `{"email":"angela7913@hotmail.com","phone":"+4552250559","firstname":"Angela","lastname":"Baker","company":"Bakers Inc."}`})
	insertOp(t, db, d.enquiry, op{kind: "deal", state: "done", crmID: "202", at: at(1, 31, 0)})
	// 03:15 CEST: a direct enquiry for the property it was asked about; pending.
	e2 := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", source: "lokalebasen-dk", at: at(3, 15, 0),
		body: with(t, enquiry, "payload.enquiry.type", "direct", "payload.client.name", "Bo Jensen",
			"payload.requested_location.href", "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064")})
	insertOp(t, db, e2, op{kind: "contact", state: "done", crmID: "103", at: at(3, 16, 0)})
	insertOp(t, db, e2, op{kind: "deal", state: "pending", at: at(3, 16, 0)})
	// 10:00: an email lead whose contact was dead-lettered.
	d.dead = insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: email, at: at(10, 0, 0)})
	d.deadOp = insertOp(t, db, d.dead, op{kind: "contact", state: "dead", lastError: "crm 400 VALIDATION_ERROR: email invalid", at: at(10, 5, 0)})
	// 23:59:59: an email lead from zoopla no mapping could use.
	d.unmappable = insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at(23, 59, 59), mapState: "unmappable",
		mapError: "contact: no email or phone", body: with(t, email, "email_source", "zoopla", "contact_email", nil)})

	// Portal submissions: one success, two failures (one with two errors).
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: fixture(t, "eaf/portal_submission_success.json"), at: at(12, 5, 0), mapState: "ignored"})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: fixture(t, "eaf/portal_submission_error.json"), at: at(12, 0, 0), mapState: "ignored"})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", at: at(14, 0, 0), mapState: "ignored",
		body: with(t, fixture(t, "eaf/portal_submission_error.json"), "eaf_target", "zoopla", "eaf_reference", "555",
			"eaf_errors", []any{
				map[string]any{"eaf_code": "ERR_ACCOUNT_ALLOWANCE", "eaf_message": "Over the allowance."},
				map[string]any{"eaf_code": "ERR_MISSING_PRICE", "eaf_message": "The listing has no price."},
			})})
	// A feed import, and a body that never parsed.
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", body: fixture(t, "eaf/feed_import.json"), at: at(8, 0, 0), mapState: "ignored"})
	d.quarantine = insertQuarantine(t, db, at(9, 0, 0), "invalid JSON at byte 13")
	return d
}

func TestWorkbookOfADSTDay(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	ids := fill0329(t, db, loc)
	dir := filepath.Join(t.TempDir(), "reports")
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	opts := report.Options{Store: db, Dir: dir, Location: loc, Now: func() time.Time { return made },
		CRMWeb: map[string]report.CRMWeb{"hubspot": {Deal: "https://app.hubspot.com/contacts/42/record/0-3/{id}"}}}
	path, err := report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: 29}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "leads-2026-03-29.xlsx") {
		t.Fatalf("path %s", path)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Fatalf("stat: %v, %v; want mode 0640", fi.Mode(), err)
	}
	f := openBook(t, path)
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets %q, want %q", got, wantSheets)
	}

	leads := rows(t, f, "Leads")
	wantHeader(t, leads, wantLeads)
	if len(leads) != 5 {
		t.Fatalf("Leads has %d rows, want header and 4 leads:\n%q", len(leads), leads)
	}
	// The documented enquiry: local time (its zone named on a day the
	// clocks change), the source a person knows, the
	// values as sent to the CRM (split name, E.164 phone), links, CRM ids.
	wantRow(t, leads[1], "01:30 CET", "Lokalebasen", "extra", "Angela", "Baker", "angela7913@hotmail.com",
		"+4552250559", "Bakers Inc.", "20064 / EJ-593915GV", "dampfaergevej-10559",
		"I would like something with a grand view over the city.", "Sent to HubSpot", strconv.FormatInt(ids.enquiry, 10),
		"101", "Open in HubSpot")
	wantDate(t, f, "Leads", "A2", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC))
	wantDate(t, f, "Leads", "A3", time.Date(2026, 3, 29, 3, 15, 0, 0, time.UTC)) // CEST wall time, not 01:15 UTC
	wantFormula(t, f, "Leads", "I2", `HYPERLINK("https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064","20064 / EJ-593915GV")`)
	wantFormula(t, f, "Leads", "J2", `HYPERLINK("https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559","dampfaergevej-10559")`)
	wantFormula(t, f, "Leads", "N2", "") // no contact template configured: plain id
	wantFormula(t, f, "Leads", "O2", `HYPERLINK("https://app.hubspot.com/contacts/42/record/0-3/202","Open in HubSpot")`)
	// The direct enquiry asked about the property it got: nothing asked about
	// besides. Not mapped to CRM values yet: the name as received.
	wantRow(t, leads[2], "03:15 CEST", "Lokalebasen", "direct", "Bo Jensen", "")
	if leads[2][9] != "" || leads[2][11] != "Waiting to be sent" || leads[2][13] != "103" || leads[2][14] != "" ||
		len(leads[2]) != 17 || leads[2][15] != "2026-03-29 03:15 CEST" || leads[2][16] != "Waiting to be sent" {
		t.Errorf("direct enquiry: %q", leads[2])
	}
	wantRow(t, leads[3], "10:00 CEST", "Rightmove", "", "EAF Support", "", "support@estateagentfeeds.com",
		"+44(0)20 3870 4550", "", "87654321", "", "This is an enquiry message.",
		"Not sent: dead\ncrm 400 VALIDATION_ERROR: email invalid")
	wantRow(t, leads[4], "23:59 CEST", "Zoopla", "", "EAF Support", "", "")
	if leads[4][11] != "Not sent: incomplete\ncontact: no email or phone" {
		t.Errorf("unmappable lead: %q", leads[4])
	}

	fails := rows(t, f, "Portal failures")
	wantHeader(t, fails, wantFailures)
	if len(fails) != 3 {
		t.Fatalf("Portal failures has %d rows, want a row per failing listing:\n%q", len(fails), fails)
	}
	// The specification's own example: no eaf_reference, so the property
	// reference comes from the portal reference; the time is eaf_date's.
	wantRow(t, fails[1], "Still failing", "Rightmove", "87654321", "87654321_EAF_67004", "create", "2021-09-03 23:07", "1",
		"ERR_ACCOUNT_ALLOWANCE: Unable to add the listing as you've reached your visible or invisible account allowance.")
	wantRow(t, fails[2], "Still failing", "Zoopla", "555", "87654321_EAF_67004", "create", "2021-09-03 23:07", "1",
		"ERR_ACCOUNT_ALLOWANCE: Over the allowance.\nERR_MISSING_PRICE: The listing has no price.")
	if !strings.Contains(fails[2][8], "allowance") || !strings.Contains(fails[2][8], "price") {
		t.Errorf("what to do: %q", fails[2][8])
	}

	feeds := rows(t, f, "Feed imports")
	wantHeader(t, feeds, wantFeeds)
	if len(feeds) != 2 {
		t.Fatalf("Feed imports: %q", feeds)
	}
	wantRow(t, feeds[1], "2021-09-06 07:28", "Estate Agent Feeds", "Estate Agent Feeds", "xml_eaf_spec", "2",
		"https://estateagentfeeds.com/docs/eaf_xml_import_sample.xml")
	wantNumber(t, f, "Feed imports", "E2", 2)

	att := rows(t, f, "Needs attention")
	if len(att) != 5 || !strings.HasPrefix(att[0][0], "For whoever runs syncd") {
		t.Fatalf("Needs attention: %q", att)
	}
	wantHeader(t, att[1:], wantAttention)
	q, dead, unm := strconv.FormatInt(ids.quarantine, 10), strconv.FormatInt(ids.deadOp, 10), strconv.FormatInt(ids.unmappable, 10)
	deadLead := strconv.FormatInt(ids.dead, 10)
	wantRow(t, att[2], "09:00 CEST", "quarantined", q, "eaf", "eaf", "invalid JSON at byte 13", "", "syncd events show -quarantined "+q)
	wantRow(t, att[3], "10:05 CEST", "dead", dead, "eaf", "hubspot contact", "crm 400 VALIDATION_ERROR: email invalid",
		"lead "+deadLead+"\n(10:00 CEST)", "syncd outbox show "+dead) // the lead's time, as Leads prints it
	wantRow(t, att[4], "23:59 CEST", "incomplete", unm, "eaf", "email_lead", "contact: no email or phone", "lead "+unm+"\n(23:59 CEST)", "syncd events show "+unm)
	wantDate(t, f, "Needs attention", "A3", time.Date(2026, 3, 29, 9, 0, 0, 0, time.UTC)) // shown as hh:mm, a real date-time
	wantNumber(t, f, "Needs attention", "C3", float64(ids.quarantine))
	// The dead operation links back to its lead's row on the Leads sheet.
	wantFormula(t, f, "Needs attention", "G4", `IFERROR(HYPERLINK("#'Leads'!A"&MATCH(`+deadLead+`,'Leads'!$M:$M,0),"lead `+
		deadLead+`"&CHAR(10)&"(10:00 CEST)"),"lead `+deadLead+` (another day)")`)

	sum := summaryMap(t, f)
	for k, want := range map[string]string{
		"All sources": "4 – – – –", "Lokalebasen": "2", "Rightmove": "2 1 1 1 0", "Zoopla": "1 1 1 1 0",
		"Direct (the client asked)": "1", "Extra (Lokalebasen suggested)": "1",
		"Sent to HubSpot": "1", "Waiting to be sent": "1", "Not sent: dead": "1", "Not sent: incomplete": "1",
		"Listings by error code": "Rightmove Zoopla", "ERR_ACCOUNT_ALLOWANCE": "1 1", "ERR_MISSING_PRICE": "0 1",
	} {
		if got, ok := sum[k]; !ok || got != want {
			t.Errorf("Summary %q = %q, want %q", k, got, want)
		}
	}
	if _, ok := sum["Feed imports: 1, changing 2 property records."]; !ok {
		t.Errorf("Summary lacks the feed imports: %q", sum)
	}
	// Listed under the charts, at its own time: another year's (the
	// fixture's 2021), with its date and year (TestFeedImportOfAnotherYearSaysItsYear).
	if got := feedListed(t, f, 1); len(got) < 2 || got[1] != "6 Sep 2021" {
		t.Errorf("the feed import listed on the Summary %q, want its date 6 Sep 2021", got)
	}
	hours := hoursMap(t, f)
	for k, want := range map[string]string{"01 CET": "1", "03 CEST": "1", "10 CEST": "1", "23 CEST": "1", "00 CET": "0"} {
		if got := hours[k]; got != want {
			t.Errorf("leads per hour %q = %q, want %q", k, got, want)
		}
	}
	if _, ok := hours["02 CET"]; ok || len(hours) != 23 {
		t.Errorf("%d hours, want 23 and no 02:00: %q", len(hours), hours)
	}
	wantLayout(t, path, 2)

	made2, err := db.ReportMade(ctx, "2026-03-29")
	if err != nil || !made2 {
		t.Fatalf("report not recorded: %v", err)
	}
	recs, err := db.Reports(ctx, "2026-03-29")
	if err != nil || len(recs) != 1 || recs[0].Leads != 4 || recs[0].Mail != report.MailNone ||
		!strings.Contains(recs[0].Summary, "Leads: 4") || !strings.HasPrefix(recs[0].Subject, "4 leads · ") {
		t.Fatalf("recorded %+v, %v", recs, err)
	}
}

func TestWorkbookOfTheLongDay(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	enquiry := fixture(t, "lokalebasen/enquiry_created.json")
	// 2026-10-25: the clocks go back at 03:00 CEST to 02:00 CET, so 02:30
	// happens twice; both are leads of this 25-hour day.
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST
	for _, at := range []time.Time{first, first.Add(time.Hour), time.Date(2026, 10, 25, 22, 59, 0, 0, time.UTC)} {
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: enquiry, at: at, mapState: "pending"})
	}
	written := 0 // what a progress line counts
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 25},
		report.Options{Store: db, Dir: t.TempDir(), Location: loc, Progress: func(n int) { written += n }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	if len(leads) != 4 || written != 3 {
		t.Fatalf("Leads: %q; progress counted %d rows, want 3", leads, written)
	}
	// The hour that repeats reads apart, each time named by its zone, and
	// each is still a real time of its wall clock.
	for i, want := range []string{"02:30 CEST", "02:30 CET", "23:59 CET"} {
		if leads[i+1][0] != want || leads[i+1][11] != "Not processed yet" {
			t.Errorf("lead %d: %q, want received at %s, not processed yet", i, leads[i+1], want)
		}
	}
	wantDate(t, f, "Leads", "A2", time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC))
	wantDate(t, f, "Leads", "A3", time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC))
	if sum := summaryMap(t, f); sum["Not processed yet"] != "3" || sum["All sources"] != "3 – – – –" {
		t.Errorf("summary %q", sum)
	}
	hours := hoursMap(t, f)
	for k, want := range map[string]string{"02 CEST": "1", "02 CET": "1", "03 CET": "0", "23 CET": "1"} {
		if got := hours[k]; got != want {
			t.Errorf("leads per hour %q = %q, want %q", k, got, want)
		}
	}
	if len(hours) != 25 {
		t.Errorf("%d hours, want 25", len(hours))
	}
}

// TestWorkbookOfAnEmptyDay: an empty day is one short page that says so:
// no tables, no charts, and the empty detail sheets hidden (they would
// print a page each to say nothing).
func TestWorkbookOfAnEmptyDay(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	out := filepath.Join(t.TempDir(), "by-hand.xlsx")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 1, Day: 2},
		report.Options{Store: db, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if path != out {
		t.Fatalf("path %s, want %s", path, out)
	}
	f := openBook(t, path)
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets %q", got)
	}
	for sheet, header := range map[string][]string{"Leads": wantLeads, "Portal failures": wantFailures,
		"Feed imports": wantFeeds, "Needs attention": wantAttention} {
		r := rows(t, f, sheet)
		if sheet == "Needs attention" {
			r = r[1:]
		}
		wantHeader(t, r, header)
		if len(r) != 2 || !strings.HasPrefix(r[1][0], "No") && !strings.HasPrefix(r[1][0], "Nothing") {
			t.Errorf("%s of an empty day: %q, want the header and a note", sheet, r)
		}
		if visible, err := f.GetSheetVisible(sheet); err != nil || visible {
			t.Errorf("%s of an empty day is visible (%v)", sheet, err)
		}
	}
	sum := rows(t, f, "Summary")
	if len(sum) > 4 {
		t.Errorf("the summary of an empty day has %d rows, want a short page: %q", len(sum), sum)
	}
	last := sum[len(sum)-1][0]
	if want := "Nothing was received on Friday 2 January 2026: no leads, no portal submissions, no feed imports."; last != want {
		t.Errorf("the summary ends %q, want %q", last, want)
	}
	wantLayout(t, path, 0)
	// Written by hand to -out: not recorded as the day's report.
	if made, err := db.ReportMade(context.Background(), "2026-01-02"); err != nil || made {
		t.Errorf("a report written to -out was recorded: %v %v", made, err)
	}
}

func TestRetentionKeepsNDays(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	dir := t.TempDir()
	loc := copenhagen(t)
	others := []string{"leads-2025-12-01.xlsx", "notes.txt", "leads-2026-01-04.xlsx.bak"}
	for _, name := range append([]string{"leads-2026-01-01.xlsx", "leads-2026-01-02.xlsx", "leads-2026-01-03.xlsx"}, others...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 1, 5, 6, 0, 0, 0, loc)
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 1, Day: 4},
		report.Options{Store: db, Dir: dir, Location: loc, Keep: 3, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	// Three days kept: the one just made and the two before it.
	want := []string{"leads-2026-01-02.xlsx", "leads-2026-01-03.xlsx", "leads-2026-01-04.xlsx", "leads-2026-01-04.xlsx.bak", "notes.txt"}
	if !slices.Equal(got, want) {
		t.Fatalf("left %q, want %q", got, want)
	}
}

// TestMakeDeletesTemporaryFilesLeftByACrash: a process killed while
// writing a workbook leaves its temporary file, a day's leads, beside the
// reports; the next report deletes it once it is an hour old, not one
// being written now, and whatever keep_days says.
func TestMakeDeletesTemporaryFilesLeftByACrash(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	dir := t.TempDir()
	now := time.Date(2026, 1, 5, 6, 0, 0, 0, time.UTC)
	files := map[string]time.Time{
		".leads-2026-01-03.xlsx.2718281828.tmp": now.Add(-2 * 24 * time.Hour),
		".leads-2026-01-04.xlsx.3141592653.tmp": now.Add(-time.Minute),
		".notes.tmp":                            now.Add(-48 * time.Hour),
	}
	for name, at := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("PK"), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 1, Day: 4},
		report.Options{Store: db, Dir: dir, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{".leads-2026-01-04.xlsx.3141592653.tmp", ".notes.tmp", "leads-2026-01-04.xlsx"}
	if !slices.Equal(got, want) {
		t.Fatalf("left %q, want %q", got, want)
	}
}

func TestFailedMakeLeavesTheOldFile(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	dir := t.TempDir()
	day := report.Day{Year: 2026, Month: 2, Day: 3}
	path, err := report.Make(context.Background(), day, report.Options{Store: db, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := report.Make(ctx, day, report.Options{Store: db, Dir: dir}); err == nil {
		t.Fatal("Make with an ended context succeeded")
	}
	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the earlier workbook changed or went: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// failingStore fails its leads query after a few rows.
type failingStore struct{ *sqlite.DB }

var errBroken = errors.New("disk on fire")

func (s failingStore) EachLead(ctx context.Context, from, to time.Time, crm string, fn func(*report.LeadRow) error) error {
	n := 0
	return s.DB.EachLead(ctx, from, to, crm, func(r *report.LeadRow) error {
		if n++; n > 2 {
			return errBroken
		}
		return fn(r)
	})
}

func TestAFailingReadMakesNoFile(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	dir := t.TempDir()
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 29},
		report.Options{Store: failingStore{db}, Dir: dir, Location: loc})
	if !errors.Is(err, errBroken) {
		t.Fatalf("err = %v, want the store's", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
	if made, _ := db.ReportMade(context.Background(), "2026-03-29"); made {
		t.Fatal("a failed report was recorded")
	}
}

// TestAlarmsComeFirst: what needs an operator now (a paused CRM adapter) is
// the first thing the Summary sheet says, as a wrapped red banner across
// the page in local time, its lines broken at spaces by the report (a
// command whole); a failure to read the alarms is itself shown,
// and does not stop the report. An old day's report does not show today's
// alarm.
func TestAlarmsComeFirst(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	day := report.Day{Year: 2026, Month: 1, Day: 2}
	made := time.Date(2026, 1, 3, 6, 0, 0, 0, loc)
	paused := report.Alarm{Since: time.Date(2026, 1, 2, 17, 0, 0, 0, time.UTC), Until: time.Date(2026, 1, 3, 8, 0, 0, 0, time.UTC),
		Short: "CRM paused", Text: "CRM adapter hubspot is paused: authentication rejected. Leads wait in the outbox; " +
			"once the token is replaced, run: syncd sync -resume"}
	today := report.Alarm{Since: time.Date(2026, 1, 3, 5, 0, 0, 0, time.UTC), Short: "disk full", Text: "The disk is full."}
	alarms := func(context.Context) ([]report.Alarm, error) {
		return []report.Alarm{paused, today}, errors.New("state table busy")
	}
	out := filepath.Join(t.TempDir(), "alarm.xlsx")
	opts := report.Options{Store: db, Out: out, Location: loc, Alarms: alarms, Now: func() time.Time { return made }}
	if _, err := report.Make(ctx, day, opts); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, out)
	r := rows(t, f, "Summary")
	want := "ALARM: Since 2026-01-02 18:00 CET, until 2026-01-03 09:00 CET: " + paused.Text
	if len(r) < 6 || strings.ReplaceAll(r[3][0], "\n", " ") != want || !strings.Contains(r[5][0], "state table busy") {
		t.Fatalf("summary starts %q, want the alarm of the day (not today's) and the read error under the title", r[:min(len(r), 6)])
	}
	// Its lines break at spaces where the report says, each short enough
	// for Excel and LibreOffice to show whole (87 characters across A to
	// G): left to wrap it, LibreOffice broke "syncd sync -resume" after
	// its hyphen, a command then copied wrong.
	for line := range strings.Lines(r[3][0]) {
		if n := len([]rune(strings.TrimSuffix(line, "\n"))); n > 87 || strings.HasPrefix(line, " ") {
			t.Errorf("alarm line of %d characters, left for the spreadsheet to wrap: %q", n, line)
		}
	}
	if !strings.Contains(r[3][0], "syncd sync -resume") {
		t.Errorf("the command is split across lines: %q", r[3][0])
	}
	for _, row := range r {
		if len(row) > 0 && strings.Contains(row[0], "disk is full") {
			t.Errorf("the report of 2 January shows an alarm that began on the 3rd: %q", row[0])
		}
	}
	// A banner: merged across the page, red, wrapped, and tall enough.
	merged, err := f.GetMergeCells("Summary")
	if err != nil || len(merged) < 1 || merged[0].GetStartAxis() != "A4" || merged[0].GetEndAxis() != "G4" {
		t.Errorf("merged %v, %v; want A4:G4", merged, err)
	}
	style := cellStyle(t, f, "Summary", "A4")
	if style.Fill.Color[0] != "C00000" || !style.Alignment.WrapText || style.Font.Family == "" {
		t.Errorf("alarm style %+v", style)
	}
	if h, _ := f.GetRowHeight("Summary", 4); h < 30 {
		t.Errorf("alarm row %v points tall, want room for its two lines", h)
	}
	// The mail text, recorded with a report made into the directory, opens with it, before its title.
	opts.Out, opts.Dir = "", t.TempDir()
	if _, err := report.Make(ctx, day, opts); err != nil {
		t.Fatal(err)
	}
	recs, err := db.Reports(ctx, "")
	if err != nil || len(recs) != 1 || !regexp.MustCompile(`^`+regexp.QuoteMeta(want)+
		`\n(ALARM: [^\n]+\n)*\nLeads report for Friday 2 January 2026 \(times in Europe/Copenhagen\)\.\nMade [^\n]+\.\n\n`).MatchString(recs[0].Summary) ||
		strings.Contains(recs[0].Summary, "disk") || !strings.Contains(recs[0].Subject, "CRM paused") {
		t.Fatalf("recorded mail text: %v %+v", err, recs)
	}
}
