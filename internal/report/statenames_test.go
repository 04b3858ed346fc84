package report_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestIncompleteLeadNamedAlikeEverywhere: a lead no mapping could make CRM
// records of was "Not sent: incomplete" on the Leads sheet and the
// Summary, but "unmappable" on Needs attention and in the mail's line for
// whoever runs syncd: two names for one state, one of them syncd's own
// word. Every sheet and the mail now say "incomplete".
func TestIncompleteLeadNamedAlikeEverywhere(t *testing.T) {
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	ids := fill0329(t, db, loc)
	srv := mailtest.Start(t, "syncd", "pw")
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	path, err := report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: 29}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return made }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	id := strconv.FormatInt(ids.unmappable, 10)
	var status, problem string
	for _, r := range rows(t, f, "Leads") {
		if len(r) > 12 && r[12] == id {
			status = r[11]
		}
	}
	for _, r := range rows(t, f, "Needs attention") {
		if len(r) > 2 && r[2] == id {
			problem = r[1]
		}
	}
	if !strings.HasPrefix(status, "Not sent: incomplete\n") || problem != "incomplete" {
		t.Errorf("the lead is %q on Leads and %q on Needs attention; want \"Not sent: incomplete\" and \"incomplete\"", status, problem)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
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
