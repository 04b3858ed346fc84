package report_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestReportNamesItsAgency: an integrator running three agencies on one
// server, copied on each one's daily report, got three mails alike: the
// same subject, greeting, text, HTML and workbook, the agency named
// nowhere. With Options.Agency (the configuration's agency:) the subject
// names it after the alarms (which still come first) and before the
// figures, the text's and the HTML's title name it, and so do the
// Summary's title, the workbook's title and every sheet's printed
// header; a name with an ampersand prints as written there (& is a
// header's code), one starting with a digit at the header's size. The
// subject arrives RFC 2047 encoded, and reads back as written.
func TestReportNamesItsAgency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	day := report.Day{Year: 2026, Month: 1, Day: 2}
	made := time.Date(2026, 1, 3, 6, 0, 0, 0, loc)
	paused := report.Alarm{Since: time.Date(2026, 1, 2, 17, 0, 0, 0, time.UTC), Short: "CRM paused",
		Text: "CRM adapter hubspot is paused: authentication rejected."}
	for _, agency := range []string{"Nørrebro Erhverv & Søn", "3D Erhverv"} {
		db := openDB(t)
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: time.Date(2026, 1, 2, 10, 0, 0, 0, loc),
			body: fixture(t, "eaf/email_lead.json")})
		srv := mailtest.Start(t, "syncd", "pw")
		path, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Location: loc, Agency: agency,
			Mailer: mailer(t, srv), Now: func() time.Time { return made },
			Alarms: func(context.Context) ([]report.Alarm, error) { return []report.Alarm{paused}, nil }})
		if err != nil {
			t.Fatal(err)
		}
		m := srv.Only(t)
		if want := "CRM paused · " + agency + " · 1 lead · Fri 2 Jan 2026"; m.Subject != want {
			t.Errorf("subject %q, want %q", m.Subject, want)
		}
		if raw := m.Header.Get("Subject"); !strings.HasPrefix(raw, "=?") && agency != "3D Erhverv" {
			t.Errorf("subject sent %q, not RFC 2047 encoded", raw)
		}
		if want := "Leads report of " + agency + " for Friday 2 January 2026 (times in Europe/Copenhagen)."; !strings.Contains(m.Text, "\n\n"+want+"\n") {
			t.Errorf("text does not open with %q after its alarm:\n%s", want, m.Text)
		}
		escaped := strings.ReplaceAll(agency, "&", "&amp;")
		for _, want := range []string{"<title>Leads report " + escaped + " · Friday 2 January 2026</title>",
			"Leads report · " + escaped + " · Friday 2 January 2026</h2>"} {
			if !strings.Contains(m.HTML, want) {
				t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
			}
		}
		f := openBook(t, path)
		if r := rows(t, f, "Summary"); r[0][0] != "Leads report · "+agency+" · Friday 2 January 2026" {
			t.Errorf("Summary title %q", r[0][0])
		}
		props, err := f.GetDocProps()
		if err != nil || props.Title != "Leads report "+agency+" 2026-01-02" {
			t.Errorf("workbook title %q, %v", props.Title, err)
		}
		want := `&L&9&"Calibri,Bold"` + strings.ReplaceAll(agency, "&", "&&")
		for _, sheet := range f.GetSheetList() {
			hf, err := f.GetHeaderFooter(sheet)
			if err != nil || hf == nil || hf.OddHeader != want {
				t.Errorf("sheet %s prints the header %+v (%v), want %q", sheet, hf, err, want)
			}
		}
	}
}

// TestLongAgencyNamePrintsWholeInTheHeader: a name of the most
// characters agency: takes (60), printed by LibreOffice, is whole in the
// header of every page, the Summary's and the Leads sheet's, above the
// title, and the pages are as many as without it (3 or more: 80 leads). It needs LibreOffice (soffice) and
// poppler-utils (pdftotext): without them, or with -short, it is skipped.
func TestLongAgencyNamePrintsWholeInTheHeader(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to print a workbook")
	}
	soffice, err1 := exec.LookPath("soffice")
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err := errors.Join(err1, err2); err != nil {
		t.Skip("no LibreOffice or poppler-utils to print and read with:", err)
	}
	loc := copenhagen(t)
	db := openDB(t)
	for i := range 80 { // Leads over several pages, whose breaks the header must not move
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: time.Date(2026, 1, 2, 8, i, 0, 0, loc),
			body: with(t, fixture(t, "eaf/email_lead.json"), "eaf_id", fmt.Sprint("lead-", i))})
	}
	agency := "Nordhavn Erhvervsmæglere og Ejendomsrådgivning, Kbh. Ø & Co."
	if n := len([]rune(agency)); n != 60 {
		t.Fatalf("agency of %d characters", n)
	}
	printed := func(agency string) []string {
		dir := t.TempDir()
		out := filepath.Join(dir, "leads.xlsx")
		if _, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 1, Day: 2}, report.Options{Store: db, Out: out,
			Location: loc, Agency: agency, Now: func() time.Time { return time.Date(2026, 1, 3, 6, 0, 0, 0, loc) }}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
			"--convert-to", "pdf", "--outdir", dir, out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v: %s", err, b)
		}
		b, err := exec.Command(pdftotext, "-layout", filepath.Join(dir, "leads.pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return strings.Split(strings.TrimRight(string(b), "\f\n"), "\f")
	}
	without, with := printed(""), printed(agency)
	if len(with) != len(without) || len(with) < 3 {
		t.Errorf("%d pages with the agency named, %d without", len(with), len(without))
	}
	for i, page := range with {
		lines := strings.Split(strings.TrimLeft(page, "\n"), "\n")
		if strings.TrimSpace(lines[0]) != agency {
			t.Errorf("page %d opens with %q, want the agency whole:\n%s", i+1, lines[0], page)
		}
	}
}
