package sqlite_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestUpgradeReadsTheMailNoteFromTheOldText: a report's mail recorded
// before migration 0015, as state and error text alone, gets its fields
// (recipients refused, held for the server, sent without the workbook)
// from that text, once, in the migration; the text stays for display.
func TestUpgradeReadsTheMailNoteFromTheOldText(t *testing.T) {
	ctx := context.Background()
	path, raw := oldSchema(t, 14) // as a syncd before 0015 left it
	for _, r := range storetest.OldMailRows {
		if _, err := raw.ExecContext(ctx, `INSERT INTO reports (day, path, created_at, mail_state, mail_error)
			VALUES (?, '/r/x.xlsx', ?, ?, ?)`, r.Day, oldAt, string(r.State), r.Text); err != nil {
			t.Fatal(err)
		}
	}
	db := upgraded(t, path, raw)
	recs, err := db.Reports(ctx, "")
	if err != nil || len(recs) != len(storetest.OldMailRows) {
		t.Fatalf("reports = %d, %v", len(recs), err)
	}
	for i, r := range storetest.OldMailRows {
		if recs[i].MailNote != r.Want || recs[i].MailError != r.Text || recs[i].Mail != r.State {
			t.Errorf("%s %q upgraded to %+v (%s, %q); want %+v", r.Day, r.Text, recs[i].MailNote, recs[i].Mail,
				recs[i].MailError, r.Want)
		}
	}
}
