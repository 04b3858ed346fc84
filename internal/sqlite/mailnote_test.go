package sqlite_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeReadsTheMailNoteFromTheOldText: a report's mail recorded
// before migration 0015, as state and error text alone, gets its fields
// (recipients refused, held for the server, sent without the workbook)
// from that text, once, in the migration; the text stays for display.
func TestUpgradeReadsTheMailNoteFromTheOldText(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	raw := sqlite.RawWriter(db)
	for _, r := range storetest.OldMailRows {
		if err := db.RecordReport(ctx, syncd.ReportRecord{Day: r.Day, Path: "/r/x.xlsx", Mail: syncd.MailPending}); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, `UPDATE reports SET mail_state = ?, mail_error = ? WHERE day = ?`,
			string(r.State), r.Text, r.Day); err != nil {
			t.Fatal(err)
		}
	}
	// As a syncd before 0015 left it.
	if _, err := raw.ExecContext(ctx, `ALTER TABLE reports DROP COLUMN mail_refused;
ALTER TABLE reports DROP COLUMN mail_refused_who; ALTER TABLE reports DROP COLUMN mail_held;
ALTER TABLE reports DROP COLUMN mail_unattached;
DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key; PRAGMA user_version = 14`); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	db, err := sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatalf("open a database at schema 14: %v", err)
	}
	defer db.Close()
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
