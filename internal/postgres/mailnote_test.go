package postgres_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestUpgradeReadsTheMailNoteFromTheOldText: a report's mail recorded
// before migration 0014, as state and error text alone, gets its fields
// from that text, once, in the migration (the SQLite store's test of the
// same name).
func TestUpgradeReadsTheMailNoteFromTheOldText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, conn := postgres.AtSchema(t, 13) // as a syncd before 0014 left it
	for _, r := range storetest.OldMailRows {
		if _, err := conn.Exec(ctx, `INSERT INTO reports (day, path, created_at, mail_state, mail_error)
			VALUES ($1, '/r/x.xlsx', now(), $2, $3)`, r.Day, string(r.State), r.Text); err != nil {
			t.Fatal(err)
		}
	}
	db := upgraded(t, dsn)
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
