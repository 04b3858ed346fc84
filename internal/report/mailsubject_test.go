package report_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// phoneSubject is how many characters of a subject a phone's mail list
// shows on its line (iOS Mail, Gmail's app: some 35 to 45).
const phoneSubject = 40

// TestSubjectSaysTheAlarmsFirst: on a day the CRM was paused and three
// portals with long names refused listings, the subject listed the
// portals first, and "CRM paused" came after some 150 characters, past
// what any mail program shows of a subject: in the inbox the day read as
// one of failing listings. The alarms now open the subject, within what
// a phone shows of it, the day's leads and failing portals after them.
func TestSubjectSaysTheAlarmsFirst(t *testing.T) {
	report.LayoutOnly(t)
	srv := mailtest.Start(t, "syncd", "pw")
	loc := copenhagen(t)
	db := openDB(t)
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, loc)
	for i, p := range []string{"Rightmove_commercial_overseas_lettings", "Zoopla_commercial_overseas_sales_listings", "OnTheMarket_new_homes_and_developments"} {
		submission(t, db, loc, day.Add(time.Duration(8+i)*time.Hour), p, strconv.Itoa(7000+i), "error", "ERR_X")
	}
	paused := report.Alarm{Since: day.Add(-time.Hour), Short: "CRM paused", Text: "CRM adapter hubspot is paused: authentication rejected."}
	doubt := report.Alarm{Short: "CRM creates in doubt", Text: "2 CRM create(s) in doubt"}
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) },
		Alarms: func(context.Context) ([]report.Alarm, error) { return []report.Alarm{paused, doubt}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	subject := srv.Only(t).Subject
	at := strings.Index(subject, paused.Short)
	if at < 0 || utf8.RuneCountInString(subject[:at+len(paused.Short)]) > phoneSubject {
		t.Errorf("subject %q: want the alarm %q within its first %d characters", subject, paused.Short, phoneSubject)
	}
	if want := "CRM paused · CRM creates in doubt · No leads · 1 listing failing on "; !strings.HasPrefix(subject, want) {
		t.Errorf("subject %q: want it to start %q, the alarms, then the leads and the failing portals", subject, want)
	}
	if !strings.HasSuffix(subject, " · Mon 2 Nov 2026") {
		t.Errorf("subject %q: want it to end with the day", subject)
	}
}
