package report_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

func mailer(t testing.TB, srv *mailtest.Server) *mail.Sender {
	t.Helper()
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
		From:      "syncd@example.com", To: []string{"agency@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMailedWorkbookReopens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	srv := mailtest.Start(t, "syncd", "pw")
	day := report.Day{Year: 2026, Month: 3, Day: 29}
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	paused := report.Alarm{Since: time.Date(2026, 3, 29, 21, 10, 0, 0, time.UTC), Until: time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC),
		Short: "CRM paused", Text: "CRM adapter hubspot is paused: authentication rejected."}
	path, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Location: loc, Mailer: mailer(t, srv),
		Now:    func() time.Time { return made },
		Alarms: func(context.Context) ([]report.Alarm, error) { return []report.Alarm{paused}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !slices.Equal(msgs[0].To, []string{"agency@example.com"}) {
		t.Fatalf("messages %+v", msgs)
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	// The subject says what matters: the alarm, leads, listings failing by portal.
	if want := "CRM paused · 4 leads · 1 listing failing on Rightmove, 1 on Zoopla · Sun 29 Mar 2026"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	// The alarm in local time: 21:10 UTC is 23:10 CEST; it ends 09:00 CEST.
	alarm := "ALARM: Since 2026-03-29 23:10 CEST, until 2026-03-30 09:00 CEST: CRM adapter hubspot is paused: authentication rejected."
	for _, want := range []string{alarm, "Leads: 4 (Lokalebasen 2, Rightmove 1, Zoopla 1)", "Lokalebasen: 1 direct (the client asked), 1 extra (Lokalebasen suggested)",
		"CRM: 1 sent to HubSpot, 1 waiting to be sent, 1 not sent: dead, 1 not sent: incomplete",
		"Rightmove: 2 submissions, 1 failed; 1 listing failed: 1 still failing", "Feed imports: 1 (2 records changed)",
		"For whoever runs syncd: 1 quarantined, 1 incomplete, 1 dead operation", "leads-2026-03-29.xlsx is attached"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, p.Text)
		}
	}
	// The HTML part: the key figures, the alarm, and the portals as a table.
	for _, want := range []string{"<strong>4 leads</strong>", alarm, ">Lokalebasen</td><td align=\"right\">2</td>",
		">Still failing</th>", ">Rightmove</td></tr>",
		"<tr><td align=\"right\">2</td><td align=\"right\">1</td><td align=\"right\">1</td>",
		"made 2026-03-30 06:00 CEST", "leads-2026-03-29.xlsx is attached"} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, p.HTML)
		}
	}
	for _, part := range []string{p.Text, p.HTML} {
		if strings.Contains(part, "Angela") || strings.Contains(part, "@") {
			t.Errorf("the mail carries personal data:\n%s", part)
		}
	}
	att, ok := p.Attachments["leads-2026-03-29.xlsx"]
	onDisk, err := os.ReadFile(path)
	if err != nil || !ok || !bytes.Equal(att, onDisk) {
		t.Fatalf("attachment (%d bytes, present %v) differs from the file (%d bytes, %v)", len(att), ok, len(onDisk), err)
	}
	mailed, err := excelize.OpenReader(bytes.NewReader(att))
	if err != nil {
		t.Fatal(err)
	}
	defer mailed.Close()
	kept := openBook(t, path)
	if !slices.Equal(mailed.GetSheetList(), wantSheets) {
		t.Fatalf("mailed sheets %q", mailed.GetSheetList())
	}
	for _, sheet := range wantSheets {
		a, b := rows(t, mailed, sheet), rows(t, kept, sheet)
		if len(a) < 2 || !slices.EqualFunc(a, b, slices.Equal) {
			t.Errorf("sheet %s differs or is empty: mailed %d rows, kept %d", sheet, len(a), len(b))
		}
	}
	recs, err := db.Reports(ctx, "2026-03-29")
	if err != nil || len(recs) != 1 || recs[0].Mail != report.MailSent || recs[0].Attempts != 1 || recs[0].MailedAt.IsZero() {
		t.Fatalf("recorded %+v, %v", recs, err)
	}
}

func TestMailFailureKeepsTheFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	srv.FailNext(3)
	day := report.Day{Year: 2026, Month: 4, Day: 1}
	opts := report.Options{Store: db, Dir: t.TempDir(), Mailer: mailer(t, srv), MailAttempts: 2, MailBackoff: time.Millisecond}
	path, err := report.Make(ctx, day, opts)
	if err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("err = %v, want the mail's 451", err)
	}
	if _, serr := os.Stat(path); path == "" || serr != nil {
		t.Fatalf("the workbook is gone: %q, %v", path, serr)
	}
	recs, _ := db.Reports(ctx, day.String())
	if len(recs) != 1 || recs[0].Mail != report.MailFailed || recs[0].Attempts != 2 || !strings.Contains(recs[0].MailError, "451") {
		t.Fatalf("recorded %+v", recs)
	}
	// By hand, later: a fresh set of attempts; the third refusal is retried.
	if err := report.Mail(ctx, day, opts); err != nil {
		t.Fatal(err)
	}
	recs, _ = db.Reports(ctx, day.String())
	if recs[0].Mail != report.MailSent || recs[0].Attempts != 4 || recs[0].MailError != "" {
		t.Fatalf("recorded %+v", recs)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages arrived, want 1", n)
	}
}

func TestPermanentMailRefusalIsNotRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
		From:      "syncd@example.com", To: []string{"gone@refused.example"}})
	if err != nil {
		t.Fatal(err)
	}
	day := report.Day{Year: 2026, Month: 4, Day: 2}
	path, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 5, MailBackoff: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("err = %v, want the 550", err)
	}
	if _, serr := os.Stat(path); serr != nil {
		t.Fatal(serr)
	}
	recs, _ := db.Reports(ctx, day.String())
	if len(recs) != 1 || recs[0].Mail != report.MailFailed || recs[0].Attempts != 1 {
		t.Fatalf("recorded %+v, want failed after one attempt", recs)
	}
}

// A report the server took for some recipients and refused for one is
// recorded as sent, with the refusal kept beside it: later attempts (a
// restart, syncd report -mail) would mail the others a second time.
func TestPartlyRefusedMailIsSentNotRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
		From:      "syncd@example.com", To: []string{"boss@example.com", "gone@refused.example"}})
	if err != nil {
		t.Fatal(err)
	}
	day := report.Day{Year: 2026, Month: 4, Day: 3}
	_, err = report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 5, MailBackoff: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "gone@refused.example") || !mail.Partial(err) {
		t.Fatalf("err = %v, want the partial refusal", err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "boss@example.com" {
		t.Fatalf("messages %+v, want one to boss@", msgs)
	}
	recs, _ := db.Reports(ctx, day.String())
	if len(recs) != 1 || recs[0].Mail != report.MailSent || recs[0].Attempts != 1 || !strings.Contains(recs[0].MailError, "550") {
		t.Fatalf("recorded %+v, want sent after one attempt, with the refusal", recs)
	}
	if n, who := report.Refused(recs[0]); n != 1 || who != "gone@refused.example (550 5.1.1 no such user)" {
		t.Errorf("Refused = %d, %q; want 1 and the refused address with the server's answer", n, who)
	}
}

// TestRefusedReadsWhatWasRecorded: the refusals recorded beside a mail
// sent are read from its fields, not its error text; none for a mail that
// failed, or waits. (Rows recorded as text alone are converted by the
// stores' migrations: see their tests.)
func TestRefusedReadsWhatWasRecorded(t *testing.T) {
	t.Parallel()
	refused := report.MailNote{Refused: 2, RefusedWho: "a@x.dk (550 no); b@x.dk (553 bad)"}
	for _, tc := range []struct {
		rec report.Record
		n   int
		who string
	}{
		{report.Record{Mail: report.MailSent, MailError: "refused for 2 recipient(s): a@x.dk (550 no); b@x.dk (553 bad)",
			MailNote: refused}, 2, refused.RefusedWho},
		{report.Record{Mail: report.MailSent, MailError: "refused for 9 recipient(s): display only"}, 0, ""},
		{report.Record{Mail: report.MailSent}, 0, ""},
		{report.Record{Mail: report.MailFailed, MailError: "refused for 2 recipient(s): a@x.dk (550 no)", MailNote: refused}, 0, ""},
		{report.Record{Mail: report.MailPending, MailError: "mail smtp.x.dk:587: 451 try later"}, 0, ""},
	} {
		if n, who := report.Refused(tc.rec); n != tc.n || who != tc.who {
			t.Errorf("Refused(%+v) = %d, %q; want %d, %q", tc.rec, n, who, tc.n, tc.who)
		}
	}
}

func TestDueDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	s, err := report.NewScheduler("", 7, report.Options{Store: db, Dir: t.TempDir(), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	record := func(day string) {
		if err := db.RecordReport(ctx, report.Record{Day: day, Path: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	due := func(now time.Time) []string {
		t.Helper()
		days, err := s.Due(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range days {
			out = append(out, d.String())
		}
		return out
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	for _, c := range []struct {
		now  time.Time
		want []string
	}{
		{at(30, 5, 59), []string{"2026-03-28"}}, // a new installation reports from its first run on
		{at(30, 6, 0), []string{"2026-03-29"}},  // 06:00 local, the morning after the short day
	} {
		if got := due(c.now); !slices.Equal(got, c.want) {
			t.Errorf("due at %v: %q, want %q", c.now, got, c.want)
		}
	}
	record("2026-03-25")
	record("2026-03-27") // made by hand
	if got, want := due(at(30, 7, 0)), []string{"2026-03-26", "2026-03-28", "2026-03-29"}; !slices.Equal(got, want) {
		t.Errorf("after a stop: %q, want %q", got, want)
	}
	// Down for weeks: at most 7 days back.
	if got := due(time.Date(2026, 4, 20, 6, 30, 0, 0, loc)); len(got) != 7 || got[0] != "2026-04-13" || got[6] != "2026-04-19" {
		t.Errorf("after weeks down: %q", got)
	}
	// The schedule is read in the report's zone: 06:00 Copenhagen is 04:00 UTC in summer.
	if got := due(time.Date(2026, 4, 20, 3, 59, 0, 0, time.UTC)); len(got) != 6 || got[5] != "2026-04-18" {
		t.Errorf("before 06:00 local: %q", got)
	}
}

// TestScheduledInTheSkippedHour: a report scheduled at 02:30 in Copenhagen
// has no 02:30 on the morning the clocks go forward; robfig/cron then
// skipped the whole day, and Saturday's report came on Monday. It is made
// as the clocks jump (03:00 summer time), and once in the hour repeated in
// autumn.
func TestScheduledInTheSkippedHour(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	type step struct {
		recorded string    // a report recorded before now, made at
		made     time.Time //
		now      time.Time
		want     []string
	}
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }
	for season, steps := range map[string][]step{
		"spring": {
			{"2026-03-27", utc(3, 28, 1, 30), utc(3, 29, 0, 59), nil},   // 01:59 CET
			{"", time.Time{}, utc(3, 29, 1, 0), []string{"2026-03-28"}}, // 03:00 CEST
			{"2026-03-28", utc(3, 29, 1, 0), utc(3, 30, 0, 29), nil},
		},
		"autumn": {
			{"2026-10-23", utc(10, 24, 0, 30), utc(10, 25, 0, 29), nil},
			{"", time.Time{}, utc(10, 25, 0, 30), []string{"2026-10-24"}}, // 02:30 CEST
			{"2026-10-24", utc(10, 25, 0, 30), utc(10, 25, 1, 30), nil},   // 02:30 CET
		},
	} {
		db := openDB(t)
		s, err := report.NewScheduler("30 2 * * *", 7, report.Options{Store: db, Dir: t.TempDir(), Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range steps {
			if c.recorded != "" {
				if err := db.RecordReport(ctx, report.Record{Day: c.recorded, Path: "x", CreatedAt: c.made}); err != nil {
					t.Fatal(err)
				}
			}
			days, err := s.Due(ctx, c.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range days {
				got = append(got, d.String())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: due at %v: %q, want %q", season, c.now.In(loc), got, c.want)
			}
		}
	}
}

// TestHandMadeReportDoesNotReplaceTheScheduledOne: `syncd report -date`
// run before a day's scheduled report (for today, to see it so far, or
// for yesterday at 05:00 without -mail) recorded the day as made, so the
// scheduler never made the whole day's report nor mailed it. Such a report
// is made again at the run; one made after the day with its mail stands.
func TestHandMadeReportDoesNotReplaceTheScheduledOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, 5, d, h, m, 0, 0, loc) }
	s, err := report.NewScheduler("", 7, report.Options{Store: db, Dir: t.TempDir(), Location: loc,
		Mailer: mailer(t, mailtest.Start(t, "syncd", "pw"))})
	if err != nil {
		t.Fatal(err)
	}
	record := func(day string, made time.Time, st report.MailState) {
		if err := db.RecordReport(ctx, report.Record{Day: day, Path: "x", CreatedAt: made, Mail: st}); err != nil {
			t.Fatal(err)
		}
	}
	record("2026-05-08", at(9, 6, 0), report.MailPending)   // the scheduler's own
	record("2026-05-09", at(9, 14, 0), report.MailPending)  // by hand with -mail, the day not over
	record("2026-05-10", at(10, 23, 0), report.MailNone)    // by hand, the day not over
	record("2026-05-11", at(12, 5, 30), report.MailNone)    // by hand before the 06:00 run, not mailed
	record("2026-05-12", at(13, 5, 30), report.MailPending) // by hand before the run, mailed: it stands
	record("2026-05-13", at(14, 7, 0), report.MailNone)     // by hand after the run: it stands
	days, err := s.Due(ctx, at(14, 8, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range days {
		got = append(got, d.String())
	}
	if want := []string{"2026-05-09", "2026-05-10", "2026-05-11"}; !slices.Equal(got, want) {
		t.Fatalf("due %q, want %q", got, want)
	}
}

// TestFirstStartReportsNoDayBeforeIt: a new installation's first start does
// not make (and mail) a report of the day before it existed; its first
// report is of its first day.
func TestFirstStartReportsNoDayBeforeIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	installed := time.Date(2026, 3, 30, 10, 0, 0, 0, loc)
	s, err := report.NewScheduler("", 7, report.Options{Store: openDB(t), Dir: t.TempDir(), Location: loc, Installed: installed})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		now  time.Time
		want []string
	}{
		{installed.Add(time.Minute), nil},
		{time.Date(2026, 3, 31, 5, 59, 0, 0, loc), nil},
		{time.Date(2026, 3, 31, 6, 0, 0, 0, loc), []string{"2026-03-30"}},
	} {
		days, err := s.Due(ctx, c.now)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range days {
			got = append(got, d.String())
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("due at %v: %q, want %q", c.now, got, c.want)
		}
	}
}

func TestSchedulerCatchesUpAndResumesMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	dir := t.TempDir()
	srv := mailtest.Start(t, "syncd", "pw")
	now := time.Date(2026, 3, 30, 6, 0, 30, 0, loc)
	opts := report.Options{Store: db, Dir: dir, Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return now }}
	// A report made before a stop, whose mailing the stop interrupted.
	pendingPath := filepath.Join(dir, "leads-2026-03-26.xlsx")
	if _, err := report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: 26}, report.Options{Store: db, Out: pendingPath}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordReport(ctx, report.Record{Day: "2026-03-26", Path: pendingPath, Mail: report.MailPending, Attempts: 1}); err != nil {
		t.Fatal(err)
	}
	s, err := report.NewScheduler("0 6 * * *", 7, opts)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	// Wait for the store to record every mailing, not for the messages
	// alone: the server has a message before the scheduler records it sent.
	allSent := func() bool {
		recs, err := db.Reports(ctx, "2026-03-01")
		if err != nil || len(recs) != 4 {
			return false
		}
		for _, r := range recs {
			if r.Mail != report.MailSent {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(20 * time.Second)
	for !allSent() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after its context ended", err)
	}
	var subjects []string
	for _, m := range srv.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, p.Subject)
	}
	// The report made before the stop was recorded without a subject: it
	// gets the plain one.
	want := []string{"Leads report 2026-03-26: 0 leads", "No leads · Fri 27 Mar 2026", "No leads · Sat 28 Mar 2026", "No leads · Sun 29 Mar 2026"}
	if !slices.Equal(subjects, want) {
		t.Fatalf("mailed %q, want %q", subjects, want)
	}
	recs, err := db.Reports(ctx, "2026-03-01")
	if err != nil || len(recs) != 4 {
		t.Fatalf("reports %+v, %v", recs, err)
	}
	for _, r := range recs {
		wantAttempts := 1
		if r.Day == "2026-03-26" {
			wantAttempts = 2
		}
		if r.Mail != report.MailSent || r.Attempts != wantAttempts {
			t.Errorf("report %+v", r)
		}
		if _, err := os.Stat(filepath.Join(dir, "leads-"+r.Day+".xlsx")); err != nil {
			t.Error(err)
		}
	}
}

func TestNewSchedulerRejectsBadSpec(t *testing.T) {
	t.Parallel()
	_, err := report.NewScheduler("61 6 * * *", 0, report.Options{Store: openDB(t), Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), `"61 6 * * *"`) {
		t.Fatalf("err = %v", err)
	}
}
