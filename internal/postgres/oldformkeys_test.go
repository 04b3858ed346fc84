package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeKeysContactsAsTheMapperDoesToday: links and create intents an
// older syncd keyed by an email as the sender wrote it are, after the
// upgrade (migration 0015), under the key today's mapper gives the same
// email, the clashes reported (the SQLite store's test of the same name).
func TestUpgradeKeysContactsAsTheMapperDoesToday(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, conn := postgres.AtSchema(t, 14)
	for i, l := range storetest.OldContactLinks {
		at := fmt.Sprintf("2026-11-%02dT10:00:00Z", i+1)
		if _, err := conn.Exec(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
			VALUES ($1, 'contact', $2, $3, $4::timestamptz)`, l.Target, l.Key, l.CRMID, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO crm_intents (target, kind, key, sent_at) VALUES
		('pipedrive', 'contact', 'mailto:new@x.dk', '2026-11-30T10:00:00Z'),
		('pipedrive', 'deal', 'mailto:lead@x.dk', '2026-11-30T10:00:00Z');
		INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
		VALUES ('pipedrive', 'deal', 'mailto:lead@x.dk', '77', '2026-11-30T10:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	// An operation the older syncd queued and had not sent: a contact
	// keyed "mailto:", and its deal naming that key.
	ev := oldEvent(t, conn, "lb", "lokalebasen", "", "k", []byte("{}"), time.Now())
	if _, err := conn.Exec(ctx, `INSERT INTO outbox (event_id, target, kind, key, contact_key, key_kind, properties, props_hash,
			mapping_file, mapping_hash, next_attempt_at, created_at, updated_at) VALUES
		($1, 'pipedrive', 'contact', 'mailto:lead1@example.com', '', 'email', '{"email":"mailto:lead1@example.com"}', 'h-contact', 'f', 'h', now(), now(), now()),
		($1, 'pipedrive', 'deal', 'lead-1', 'mailto:lead1@example.com', '', '{"title":"Deal"}', 'h-deal', 'f', 'h', now(), now(), now())`,
		ev); err != nil {
		t.Fatal(err)
	}
	db := upgraded(t, dsn)
	links := map[[2]string]string{}
	rows, err := conn.Query(ctx, `SELECT target, key, crm_id FROM crm_links WHERE kind = 'contact'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var target, key, id string
		if err := rows.Scan(&target, &key, &id); err != nil {
			t.Fatal(err)
		}
		links[[2]string{target, key}] = id
	}
	rows.Close()
	if diff := storetest.CheckUpgradedContactLinks(links, db.KeyClashes()); diff != "" {
		t.Error(diff)
	}
	if id, err := db.Link(ctx, "pipedrive", syncd.RecordContact, "jane@x.dk"); err != nil || id != "1" {
		t.Errorf("Link(jane@x.dk) = %q, %v; want 1", id, err)
	}
	var intents, deals int
	if err := conn.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM crm_intents WHERE kind = 'contact' AND key = 'new@x.dk'),
		(SELECT count(*) FROM crm_links WHERE kind = 'deal' AND key = 'mailto:lead@x.dk') +
		(SELECT count(*) FROM crm_intents WHERE kind = 'deal' AND key = 'mailto:lead@x.dk')`).Scan(&intents, &deals); err != nil {
		t.Fatal(err)
	}
	var contacts, dealsOn int
	if err := conn.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM outbox WHERE kind = 'contact' AND key = 'lead1@example.com'),
		(SELECT count(*) FROM outbox WHERE kind = 'deal' AND contact_key = 'lead1@example.com')`).Scan(&contacts, &dealsOn); err != nil {
		t.Fatal(err)
	}
	if contacts != 1 || dealsOn != 1 {
		t.Errorf("queued under today's key: %d contact operations, %d deals naming it; want 1 and 1", contacts, dealsOn)
	}
	if intents != 1 || deals != 2 {
		t.Errorf("contact intent under today's key: %d (want 1); deal rows left as they were: %d (want 2)", intents, deals)
	}
}
