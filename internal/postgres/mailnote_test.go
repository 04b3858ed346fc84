package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeReadsTheMailNoteFromTheOldText: a report's mail recorded
// before migration 0014, as state and error text alone, gets its fields
// from that text, once, in the migration (the SQLite store's test of the
// same name).
func TestUpgradeReadsTheMailNoteFromTheOldText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range storetest.OldMailRows {
		if err := db.RecordReport(ctx, syncd.ReportRecord{Day: r.Day, Path: "/r/x.xlsx", Mail: syncd.MailPending}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, r := range storetest.OldMailRows {
		if _, err := conn.Exec(ctx, `UPDATE reports SET mail_state = $1, mail_error = $2 WHERE day = $3`,
			string(r.State), r.Text, r.Day); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `ALTER TABLE reports DROP COLUMN mail_refused, DROP COLUMN mail_refused_who,
		DROP COLUMN mail_held, DROP COLUMN mail_unattached; DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		DELETE FROM schema_version WHERE version >= 14`); err != nil {
		t.Fatal(err)
	}
	if db, err = postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey}); err != nil {
		t.Fatal(err)
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
