package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestResumedMailRemakesAWorkbookMadeElsewhere: on a shared store the
// report leader made the day's workbook in its own reports directory and
// died while its mail was pending (the mail server was down, between
// attempts); the instance that leads next finds no such file on its host.
// It makes the workbook again in its own directory and mails it, rather
// than record the mail as failed and let nobody get the day's report.
func TestResumedMailRemakesAWorkbookMadeElsewhere(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	elsewhere := filepath.Join(t.TempDir(), "reports", "leads-2026-03-29.xlsx") // the dead leader's disk
	now := time.Date(2026, 3, 30, 6, 5, 0, 0, loc)
	if err := db.RecordReport(ctx, report.Record{Day: "2026-03-29", Path: elsewhere, CreatedAt: now.Add(-4 * time.Minute),
		Leads: 4, Mail: report.MailPending, Attempts: 1, MailError: "dial tcp: connection refused"}); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, "syncd", "pw")
	dir := t.TempDir()
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: dir, Location: loc,
		Mailer: mailer(t, srv), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	if len(p.Attachments["leads-2026-03-29.xlsx"]) == 0 {
		t.Fatalf("no workbook attached: %v", p.Attachments)
	}
	here := filepath.Join(dir, "leads-2026-03-29.xlsx")
	if _, err := os.Stat(here); err != nil {
		t.Fatal(err)
	}
	recs, err := db.Reports(ctx, "2026-03-29")
	if err != nil || len(recs) != 1 {
		t.Fatalf("reports %+v, %v", recs, err)
	}
	if r := recs[0]; r.Mail != report.MailSent || r.Attempts != 2 || r.Path != here || r.Leads != 4 {
		t.Fatalf("recorded %+v", r)
	}
}
