package report_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestIncompleteLeadNamedAlikeEverywhere: a lead no mapping could make CRM
// records of was "Not sent: incomplete" on the Leads sheet and the
// Summary, but "unmappable" on Needs attention and in the mail's line for
// whoever runs syncd: two names for one state, one of them syncd's own
// word. Every sheet and the mail now say "incomplete".
func TestIncompleteLeadNamedAlikeEverywhere(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ids, f, p := namedOn0329(t)
	id := strconv.FormatInt(ids.unmappable, 10)
	status, problem := leadAndProblem(t, f, id, id)
	if !strings.HasPrefix(status, "Not sent: incomplete\n") || problem != "incomplete" {
		t.Errorf("the lead is %q on Leads and %q on Needs attention; want \"Not sent: incomplete\" and \"incomplete\"", status, problem)
	}
	for _, want := range []string{"1 not sent: incomplete", "For whoever runs syncd: 1 quarantined, 1 incomplete, 1 dead operation"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("the mail lacks %q:\n%s", want, p.Text)
		}
	}
	if strings.Contains(p.Text, "unmappable") {
		t.Errorf("the mail names the state unmappable too:\n%s", p.Text)
	}
}

// TestLeadNamesSplitAsTheMappingsSplitThem: the leads whose name syncd did
// not send split in two (not processed yet, failed before the contact
// went, incomplete, or sent whole as Pipedrive's "name") showed the whole
// name as the first name; with SplitName they show it split as the
// mappings split it, and a name sent split stays as sent.
func TestLeadNamesSplitAsTheMappingsSplitThem(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	at := time.Date(2026, 3, 29, 18, 0, 0, 0, loc)
	pd := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at,
		body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.name", "Hr. Åse Ørsted-Hansen")})
	insertOp(t, db, pd, op{kind: "contact", state: "done", crmID: "9", at: at, props: `{"name":"Dr Ludwig van Beethoven"}`})
	path, err := report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: 29}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, SplitName: mapping.SplitName, Now: func() time.Time { return time.Date(2026, 3, 30, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, r := range rows(t, openBook(t, path), "Leads")[1:] {
		got = append(got, [2]string{r[3], r[4]})
	}
	want := [][2]string{{"Angela", "Baker"}, {"Bo", "Jensen"}, {"EAF", "Support"}, {"Ludwig", "van Beethoven"}, {"EAF", "Support"}}
	if !slices.Equal(got, want) {
		t.Errorf("first and last names %q, want %q", got, want)
	}
}

// TestDeadOperationNamedAlikeEverywhere: a lead whose contact the CRM will
// never take was "Not sent: failed" on the Leads sheet, the Summary and in
// the mail, but "dead" on Needs attention, as syncd status and syncd
// outbox list -state dead name it: two words for one state. The report
// now says "dead" wherever it speaks of it.
func TestDeadOperationNamedAlikeEverywhere(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ids, f, p := namedOn0329(t)
	status, problem := leadAndProblem(t, f, strconv.FormatInt(ids.dead, 10), strconv.FormatInt(ids.deadOp, 10))
	if !strings.HasPrefix(status, "Not sent: dead\n") || problem != "dead" {
		t.Errorf("the lead is %q on Leads and %q on Needs attention; want \"Not sent: dead\" and \"dead\"", status, problem)
	}
	if sum := summaryMap(t, f); sum["Not sent: dead"] != "1" {
		t.Errorf("the Summary's Leads in the CRM: %q, want 1 \"Not sent: dead\"", sum)
	}
	for _, text := range []string{p.Text, p.HTML} {
		if !strings.Contains(text, "not sent: dead") || strings.Contains(text, "not sent: failed") {
			t.Errorf("the mail does not name the dead lead \"not sent: dead\":\n%s", text)
		}
	}
}

// namedOn0329 makes and mails the report of 29 March 2026 (fill0329): the
// ids it stored, the workbook and the mail.
func namedOn0329(t *testing.T) (day0329, *excelize.File, *mailtest.Parsed) {
	t.Helper()
	loc := copenhagen(t)
	db := openDB(t)
	ids := fill0329(t, db, loc)
	srv := mailtest.Start(t, "syncd", "pw")
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 29}, report.Options{Store: db,
		Dir: t.TempDir(), Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return made }})
	if err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	return ids, openBook(t, path), p
}

// leadAndProblem is the CRM status of lead on the Leads sheet and the
// problem of the row of id on Needs attention.
func leadAndProblem(t *testing.T, f *excelize.File, lead, id string) (status, problem string) {
	t.Helper()
	for _, r := range rows(t, f, "Leads") {
		if len(r) > 12 && r[12] == lead {
			status = r[11]
		}
	}
	for _, r := range rows(t, f, "Needs attention") {
		if len(r) > 2 && r[2] == id {
			problem = r[1]
		}
	}
	return status, problem
}
