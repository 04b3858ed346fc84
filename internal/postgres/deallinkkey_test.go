package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestUpgradeKeysDealLinksByTheirContact: migration 0016 gives each deal
// link the key of its contact from the deal operation still held, and of
// the deal links whose operation the retention deleted records when it
// ran (SQLite's 0018 alike).
func TestUpgradeKeysDealLinksByTheirContact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fresh := upgraded(t, pgtest.DSN(t)) // a new database
	_, newest := fresh.Migrated()
	if v, ok, err := fresh.StateValue(ctx, "deal_links_unkeyed"); err != nil || ok {
		t.Errorf("a new database holds state deal_links_unkeyed %q (%v); want none", v, err)
	}
	// As 0015 left it: the link of lead-1's deal, whose operation is held,
	// and that of lead-2's, whose operation the retention deleted.
	dsn, conn := postgres.AtSchema(t, 15)
	oldEvent(t, conn, "test", "eaf", "email_lead", "eaf:1", []byte("{}"), time.Now())
	if _, err := conn.Exec(ctx, `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
			state, next_attempt_at, created_at, updated_at)
			SELECT id, 'hubspot', 'deal', 'lead-1', 'lead1@example.com', '{}', 'h', 'eaf.yaml', 'h1', 'done', now(), now(), now()
			FROM events;
		INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES
			('hubspot', 'deal', 'lead-1', '2001', now()), ('hubspot', 'deal', 'lead-2', '2002', now())`); err != nil {
		t.Fatal(err)
	}
	db := upgraded(t, dsn)
	if from, to := db.Migrated(); from != 15 || to != newest {
		t.Fatalf("migrated %d -> %d, want 15 -> %d", from, to, newest)
	}
	keys := map[string]string{}
	rows, _ := conn.Query(ctx, `SELECT key, contact_key FROM crm_links WHERE kind = 'deal'`)
	for rows.Next() {
		var k, c string
		if err := rows.Scan(&k, &c); err != nil {
			t.Fatal(err)
		}
		keys[k] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if keys["lead-1"] != "lead1@example.com" || keys["lead-2"] != "" {
		t.Errorf("deal links' contacts %v; want lead-1's from its operation, none for lead-2", keys)
	}
	v, err := stateRow(ctx, conn)
	if at, perr := time.Parse(time.RFC3339Nano, v); err != nil || perr != nil || time.Since(at).Abs() > time.Hour {
		t.Errorf("state deal_links_unkeyed %q (%v, %v); want when the migration ran, as RFC 3339", v, err, perr)
	}
}

// stateRow reads the state row deal_links_unkeyed.
func stateRow(ctx context.Context, conn *pgx.Conn) (string, error) {
	var v string
	err := conn.QueryRow(ctx, `SELECT value FROM state WHERE name = 'deal_links_unkeyed'`).Scan(&v)
	return v, err
}
