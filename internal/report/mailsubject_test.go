package report_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// phoneSubject is how many characters of a subject a phone's mail list
// shows on its line (iOS Mail, Gmail's app: some 35 to 45).
const phoneSubject = 40

// alarmDayMail mails the report of a day the CRM was paused (pausedAlarm)
// and had creates in doubt, and three portals with long names refused a
// listing each, and returns the message.
func alarmDayMail(t *testing.T) *mailtest.Parsed {
	t.Helper()
	srv := mailtest.Start(t, "syncd", "pw")
	loc := copenhagen(t)
	db := openDB(t)
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, loc)
	for i, p := range []string{"Rightmove_commercial_overseas_lettings", "Zoopla_commercial_overseas_sales_listings", "OnTheMarket_new_homes_and_developments"} {
		submission(t, db, loc, day.Add(time.Duration(8+i)*time.Hour), p, strconv.Itoa(7000+i), "error", "ERR_X")
	}
	doubt := report.Alarm{Short: "CRM creates in doubt", Text: "2 CRM create(s) in doubt"}
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) },
		Alarms: func(context.Context) ([]report.Alarm, error) {
			return []report.Alarm{{Since: day.Add(-time.Hour), Short: pausedAlarm.Short, Text: pausedAlarm.Text}, doubt}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Only(t)
}

// pausedAlarm is the CRM's alarm of alarmDayMail's day.
var pausedAlarm = report.Alarm{Short: "CRM paused", Text: "CRM adapter hubspot is paused: authentication rejected."}

// TestSubjectSaysTheAlarmsFirst: on a day the CRM was paused and three
// portals with long names refused listings, the subject listed the
// portals first, and "CRM paused" came after some 150 characters, past
// what any mail program shows of a subject: in the inbox the day read as
// one of failing listings. The alarms now open the subject, within what
// a phone shows of it, the day's leads and failing portals after them.
func TestSubjectSaysTheAlarmsFirst(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	subject := alarmDayMail(t).Subject
	at := strings.Index(subject, pausedAlarm.Short)
	if at < 0 || utf8.RuneCountInString(subject[:at+len(pausedAlarm.Short)]) > phoneSubject {
		t.Errorf("subject %q: want the alarm %q within its first %d characters", subject, pausedAlarm.Short, phoneSubject)
	}
	if want := "CRM paused · CRM creates in doubt · No leads · 1 listing failing on "; !strings.HasPrefix(subject, want) {
		t.Errorf("subject %q: want it to start %q, the alarms, then the leads and the failing portals", subject, want)
	}
	if !strings.HasSuffix(subject, " · Mon 2 Nov 2026") {
		t.Errorf("subject %q: want it to end with the day", subject)
	}
}

// TestMailsPreviewSaysTheAlarmsFirst: a mail program's list shows, under
// the subject, the first words of the message. The HTML part opened with
// its title and when the report was made ("Leads report · Monday 2
// November 2026 Times are Europe/Copenhagen · made 2026-11-03 06:00
// CET"), the day the subject already gives, and its alarms came after:
// the preview of a day the CRM was paused said nothing of it. Both parts
// now open with the alarms.
func TestMailsPreviewSaysTheAlarmsFirst(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	p := alarmDayMail(t)
	doc, err := html.Parse(strings.NewReader(p.HTML))
	if err != nil {
		t.Fatal(err)
	}
	var body *html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "body" {
			body = n
		}
	}
	if body == nil {
		t.Fatalf("no body in the HTML part:\n%s", p.HTML)
	}
	var words []string
	for n := range body.Descendants() {
		if n.Type == html.TextNode {
			words = append(words, strings.Fields(n.Data)...)
		}
	}
	preview := strings.Join(words, " ")
	if want := "ALARM: Since "; !strings.HasPrefix(preview, want) || !strings.Contains(preview[:min(len(preview), 120)], pausedAlarm.Text[:20]) {
		t.Errorf("the HTML part's text starts %q: want it to open with the alarm, %q", preview[:min(len(preview), 120)], want+"...: "+pausedAlarm.Text)
	}
	first, _, _ := strings.Cut(p.Text, "\n")
	if !strings.HasPrefix(first, "ALARM: ") || !strings.Contains(first, "CRM adapter hubspot") {
		t.Errorf("the text part's first line is %q: want the alarm", first)
	}
}
