package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeKeysContactsAsTheMapperDoesToday: links and create intents an
// older syncd keyed by an email as the sender wrote it ("mailto:", a soft
// hyphen, a zero-width space, NFD, the other IDNA form, ...) are, after
// the upgrade (migration 0016), under the key today's mapper gives the
// same email, so the person's next lead finds its CRM record; where a
// person has two, today's key's link is kept, else the one written last,
// and a second CRM record is reported (KeyClashes), never dropped silently.
func TestUpgradeKeysContactsAsTheMapperDoesToday(t *testing.T) {
	ctx := context.Background()
	path, raw := oldSchema(t, 15)
	for i, l := range storetest.OldContactLinks {
		at := fmt.Sprintf("2026-11-%02dT10:00:00.000000Z", i+1)
		if _, err := raw.ExecContext(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
			VALUES (?, 'contact', ?, ?, ?)`, l.Target, l.Key, l.CRMID, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO crm_intents (target, kind, key, sent_at) VALUES
		('pipedrive', 'contact', 'mailto:new@x.dk', '2026-11-30T10:00:00.000000Z'),
		('pipedrive', 'deal', 'mailto:lead@x.dk', '2026-11-30T10:00:00.000000Z');
		INSERT INTO crm_links (target, kind, key, crm_id, updated_at)
		VALUES ('pipedrive', 'deal', 'mailto:lead@x.dk', '77', '2026-11-30T10:00:00.000000Z')`); err != nil {
		t.Fatal(err)
	}
	// An operation the older syncd queued and had not sent: a contact
	// keyed "mailto:", and its deal naming that key.
	ops := opTestLead(oldEvent(t, raw, "test", syncd.KindEAF, "portal_submission", "test:0", "{}"), "pipedrive", 1)
	ops[0].Key, ops[0].Properties["email"], ops[1].ContactKey = "mailto:lead1@example.com", "mailto:lead1@example.com", "mailto:lead1@example.com"
	oldOps(t, raw, ops)
	db := upgraded(t, path, raw)
	links := map[[2]string]string{}
	rows, err := sqlite.RawWriter(db).QueryContext(ctx, `SELECT target, key, crm_id FROM crm_links WHERE kind = 'contact'`)
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
	if err := sqlite.RawWriter(db).QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM crm_intents WHERE kind = 'contact' AND key = 'new@x.dk'),
		(SELECT count(*) FROM crm_links WHERE kind = 'deal' AND key = 'mailto:lead@x.dk') +
		(SELECT count(*) FROM crm_intents WHERE kind = 'deal' AND key = 'mailto:lead@x.dk')`).Scan(&intents, &deals); err != nil {
		t.Fatal(err)
	}
	var contacts, dealsOn int
	if err := sqlite.RawWriter(db).QueryRowContext(ctx, `SELECT
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
