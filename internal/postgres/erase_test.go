package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEraseRecordsTheAudit: each erase leaves one row in erasures, with
// its counts and the subject's salted hash, and no personal data.
func TestEraseRecordsTheAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(postgres.IntakeOptions{})
	ictx, stop := context.WithCancel(ctx)
	defer stop()
	go in.Run(ictx)
	if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: "k1",
		Body: []byte(`{"email":"jane@example.com"}`), Parse: syncd.ParseStrict}); err != nil {
		t.Fatal(err)
	}
	s := syncd.Subject{ID: "jane@example.com", Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "jane@example.com"}}, Patterns: []string{"jane@example.com"}}
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	er, err := db.Erase(ctx, s, pd, "")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var hash string
	var events, n int
	if err := conn.QueryRow(ctx, `SELECT subject_hash, events, (SELECT count(*) FROM erasures) FROM erasures`).Scan(&hash, &events, &n); err != nil {
		t.Fatal(err)
	}
	if n != 1 || hash != er.SubjectHash || events != 1 || hash == s.ID {
		t.Fatalf("audit: %d rows, hash %s events %d; want one row of %s with 1 event", n, hash, events, er.SubjectHash)
	}
}
