package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storetest"
)

// benchPeople stores 200,000 events of ~700 bytes, one person each
// (personN@example.com), and, withOps, each event's contact and deal
// operations (~400 bytes of properties each, delivered) and their CRM
// links, as a year unpurged holds.
func benchPeople(b *testing.B, conn *pgx.Conn, withOps bool) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	_, err := conn.Exec(ctx, `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'lb', 'lokalebasen', 'enquiry_created', 'sha256:' || g,
			convert_to('{"payload":{"client":{"email":"person' || g || '@example.com","comment":"' ||
				encode(sha512(int4send(g)), 'hex') || repeat('x', 472) || '"}}}', 'UTF8'),
			'strict', $1, $1, 'ignored' FROM generate_series(1, 200000) g`, now)
	if err == nil && withOps {
		_, err = conn.Exec(ctx, `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
			mapping_hash, state, next_attempt_at, created_at, updated_at, done_at)
			SELECT id, 'hubspot', k.kind, CASE WHEN k.kind = 'contact' THEN 'person' || id || '@example.com' ELSE 'lead-' || id END,
				CASE WHEN k.kind = 'contact' THEN '' ELSE 'person' || id || '@example.com' END,
				'{"email":"person' || id || '@example.com","message":"' || encode(sha512(int8send(id)), 'hex') || repeat('y', 232) || '"}',
				k.kind || id, 'lokalebasen.yaml', 'h', 'done', $1, $1, $1, $1
			FROM events, (VALUES ('contact'), ('deal')) k(kind) ORDER BY id, k.kind`, now)
		if err == nil {
			_, err = conn.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at) SELECT target, kind, key, id, updated_at FROM outbox`)
		}
	}
	if err == nil {
		_, err = conn.Exec(ctx, `VACUUM ANALYZE`)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEraseSearch measures finding one person among 200,000 stored
// events of ~700 bytes (the search erase and export run), as the SQLite
// store's benchmark of the same name:
//
//	go test ./internal/postgres -run '^$' -bench EraseSearch -benchtime 3x
func BenchmarkEraseSearch(b *testing.B) {
	ctx := context.Background()
	db, conn := benchDB(b)
	defer db.Close()
	defer conn.Close(ctx)
	benchPeople(b, conn, false)
	s := storetest.BenchSubject(777)
	b.ResetTimer()
	for range b.N {
		pd, err := db.PersonData(ctx, s)
		if err != nil || len(pd.Events) != 1 {
			b.Fatalf("%d events, %v", len(pd.Events), err)
		}
	}
}

// BenchmarkErase erases one person after another among 200,000 events and
// their 400,000 operations, end to end as syncd erase does: the person's
// data read (what erase decides on and reports), then the erase. read-ms
// is the read's share. As the
// SQLite store's benchmark of the same name:
//
//	go test ./internal/postgres -run '^$' -bench 'Erase$' -benchtime 3x
func BenchmarkErase(b *testing.B) {
	ctx := context.Background()
	db, conn := benchDB(b)
	defer db.Close()
	defer conn.Close(ctx)
	benchPeople(b, conn, true)
	storetest.BenchErase(b, db)
}
