package postgres

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCopyKeepsTheReportsMailNote: syncd migrate-store copies how a
// report's mail stood (recipients refused, sent without the workbook) with
// it: left out, status on PostgreSQL said the last report's mail went to
// everyone with its workbook.
func TestCopyKeepsTheReportsMailNote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	note := syncd.MailNote{Refused: 1, RefusedWho: "gone@x.dk (550 no)", Unattached: "too large; kept at /r/a.xlsx"}
	if err := src.RecordReport(ctx, syncd.ReportRecord{Day: "2026-03-01", Path: "/r/a.xlsx", Mail: syncd.MailPending}); err != nil {
		t.Fatal(err)
	}
	if err := src.SetMailState(ctx, "2026-03-01", syncd.MailSent, 1, "refused, for display", note); err != nil {
		t.Fatal(err)
	}
	held := syncd.MailNote{Held: true}
	if err := src.RecordReport(ctx, syncd.ReportRecord{Day: "2026-03-02", Path: "/r/b.xlsx", Mail: syncd.MailPending}); err != nil {
		t.Fatal(err)
	}
	if err := src.SetMailState(ctx, "2026-03-02", syncd.MailPending, 5, "held, for display", held); err != nil {
		t.Fatal(err)
	}
	dst, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := dst.CopyFrom(ctx, src.Reader()); err != nil {
		t.Fatal(err)
	}
	recs, err := dst.Reports(ctx, "2026-03-01")
	if err != nil || len(recs) != 2 || recs[0].MailNote != note || recs[1].MailNote != held {
		t.Fatalf("reports copied = %+v, %v; want notes %+v, %+v", recs, err, note, held)
	}
}
