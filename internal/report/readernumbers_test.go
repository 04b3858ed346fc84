package report_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMailWritesNumbersAsItsReaderDoes: the mail wrote its numbers the
// English way ("2,009 leads", "83.4 a day", "5.6 hours") whatever
// report.time_zone, while a Danish reader's Excel shows the workbook's
// same figures as "2.009" and "83,4": in Copenhagen "1,001 leads" read as
// one lead and a bit, and "1,083.4 a day" as nonsense. The subject, the
// text and the HTML part, and the Summary's sentences, write them as the
// reader of report.time_zone's country does; the words stay English.
func TestMailWritesNumbersAsItsReaderDoes(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct {
		zone string
		// the day's 1001 leads, the day before's 1234, the week's
		// average, a stop of 5 h 36 min, 45678 records changed
		leads, before, average, hours, records string
	}{
		{"Europe/Copenhagen", "1.001", "1.234", "1.083,4", "5,6", "45.678"},
		{"Europe/London", "1,001", "1,234", "1,083.4", "5.6", "45,678"},
	} {
		t.Run(c.zone, func(t *testing.T) {
			loc, err := time.LoadLocation(c.zone)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			db := openDB(t)
			at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, loc) }
			// The week before: 1234 the day before, 7584 in all.
			for i, n := range []int{1234, 1000, 1050, 1100, 1050, 1100, 1050} {
				if err := db.RecordReport(ctx, report.Record{Day: fmt.Sprintf("2026-11-%02d", 30-i), Leads: n,
					CreatedAt: time.Date(2026, 12, 1-i, 6, 0, 0, 0, loc)}); err != nil {
					t.Fatal(err)
				}
			}
			storeLeads(t, db, at(1, 9, 0), 1001)
			insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: at(1, 12, 0), mapState: "ignored",
				body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_records_modified", 45678)})
			runs := []report.Span{{From: at(20, 0, 0).AddDate(0, -1, 0), To: at(1, 2, 10)}, {From: at(1, 7, 46), To: at(2, 6, 0)}}
			srv := mailtest.Start(t, "syncd", "pw")
			path, err := report.Make(ctx, report.Day{Year: 2026, Month: 12, Day: 1}, report.Options{Store: db, Dir: t.TempDir(),
				Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return at(2, 6, 0) },
				Ran: func(context.Context) ([]report.Span, error) { return runs, nil }})
			if err != nil {
				t.Fatal(err)
			}
			m := srv.Only(t)
			change := c.before + " the day before, " + c.average + " a day on average over the week before"
			stop := "syncd did not receive from 02:10 to 07:46 (" + c.hours + " hours)"
			for _, w := range []struct{ part, got, want string }{
				{"subject", m.Subject, c.leads + " leads · syncd not receiving " + c.hours + " hours · Tue 1 Dec 2026"},
				{"text", m.Text, "Leads: " + c.leads + " (Lokalebasen " + c.leads + "); " + change},
				{"text", m.Text, stop},
				{"text", m.Text, "CRM: " + c.leads + " not processed yet"},
				{"text", m.Text, "Feed imports: 1 (" + c.records + " records changed)"},
				{"HTML", m.HTML, "<strong>" + c.leads + " leads</strong>"},
				{"HTML", m.HTML, `<td align="right">` + c.leads + `</td>`},
				{"HTML", m.HTML, "CRM: " + c.leads + " not processed yet."},
				{"HTML", m.HTML, "(" + change + ")"},
				{"HTML", m.HTML, stop},
				{"HTML", m.HTML, "Feed imports: 1 (" + c.records + " records changed)"},
				{"Summary", summaryOf(t, openBook(t, path)), stop},
				{"Summary", summaryOf(t, openBook(t, path)), "Feed imports: 1, changing " + c.records + " property records."},
			} {
				if !strings.Contains(w.got, w.want) {
					t.Errorf("the %s in %s lacks %q:\n%s", w.part, c.zone, w.want, w.got)
				}
			}
		})
	}
}

// storeLeads stores n Lokalebasen enquiries received at when, through one
// intake.
func storeLeads(t *testing.T, db *sqlite.DB, when time.Time, n int) {
	t.Helper()
	body := fixture(t, "lokalebasen/enquiry_created.json")
	at(db, when, func() {
		ctx, cancel := context.WithCancel(context.Background())
		in := db.NewIntake(sqlite.IntakeOptions{})
		done := make(chan struct{})
		go func() { in.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		for i := range n {
			inc := syncd.Incoming{Source: "lokalebasen", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
				Key: fmt.Sprint("many:", i), Body: body, Parse: syncd.ParseStrict, ReceivedAt: when}
			if r, err := in.Store(ctx, inc); err != nil || r.Outcome == syncd.Duplicate {
				t.Fatalf("store = %+v, %v", r, err)
			}
		}
	})
}

// TestCutMessageCountsWhatIsLeftOutAsItsReaderDoes: a message too long
// for its row ends saying how many characters are left out, "[4,196 more
// characters: too long for a row]", which a Danish reader took for four
// and a bit. The count is written as report.time_zone's country writes
// numbers, as the mail's are.
func TestCutMessageCountsWhatIsLeftOutAsItsReaderDoes(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for zone, count := range map[string]*regexp.Regexp{
		"Europe/Copenhagen": regexp.MustCompile(`^[1-9][0-9]{0,2}(\.[0-9]{3})+$`),
		"Europe/London":     regexp.MustCompile(`^[1-9][0-9]{0,2}(,[0-9]{3})+$`),
	} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			db := openDB(t)
			long := strings.Repeat("Jeg søger et kontor på Østerbro med udsigt over byen og plads til tyve. ", 90)
			insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: time.Date(2026, 12, 1, 10, 0, 0, 0, loc),
				body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.comment", long)})
			path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 12, Day: 1}, report.Options{Store: db,
				Dir: t.TempDir(), Location: loc, Now: func() time.Time { return time.Date(2026, 12, 2, 6, 0, 0, 0, loc) }})
			if err != nil {
				t.Fatal(err)
			}
			r := rows(t, openBook(t, path), report.SheetLeads)
			got := r[1][cellIndex(t, r[0], "Message")]
			m := regexp.MustCompile(`… \[(\S+) more characters: too long for a row(\]|; )`).FindStringSubmatch(got)
			if m == nil || !count.MatchString(m[1]) {
				t.Errorf("the cut message in %s ends %q: want its count of characters left out as %s", zone,
					got[max(0, len(got)-60):], count)
			}
		})
	}
}
