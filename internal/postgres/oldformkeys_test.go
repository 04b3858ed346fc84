package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
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
	dsn := pgtest.DSN(t)
	db, err := postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	// An operation the older syncd queued and had not sent: a contact
	// keyed "mailto:", and its deal naming that key.
	inCtx, stop := context.WithCancel(ctx)
	in := db.NewIntake(postgres.IntakeOptions{})
	done := make(chan struct{})
	go func() { in.Run(inCtx); close(done) }()
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "k", Body: []byte("{}"),
		Parse: syncd.ParseStrict})
	stop()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	old := "mailto:lead1@example.com"
	ops := []syncd.Op{
		{Target: "pipedrive", Kind: syncd.RecordContact, Key: old, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": old}, MappingFile: "f", MappingHash: "h"},
		{Target: "pipedrive", Kind: syncd.RecordDeal, Key: "lead-1", ContactKey: old,
			Properties: map[string]string{"title": "Deal"}, MappingFile: "f", MappingHash: "h"},
	}
	if _, err := db.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
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
		VALUES ('pipedrive', 'deal', 'mailto:lead@x.dk', '77', '2026-11-30T10:00:00Z');
		DROP INDEX crm_links_contact; ALTER TABLE crm_links DROP COLUMN contact_key;
		DELETE FROM schema_version WHERE version >= 15`); err != nil {
		t.Fatal(err)
	}
	if db, err = postgres.OpenWith(ctx, dsn, postgres.Options{ContactKey: mapping.EmailKey}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
