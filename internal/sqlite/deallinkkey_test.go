package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeKeysDealLinksByTheirContact: migration 0018 gives each deal
// link the key of its contact from the deal operation still held, and of
// the deal links whose operation the retention deleted (none to read it
// from) records when it ran, for erase and export to tell of them.
func TestUpgradeKeysDealLinksByTheirContact(t *testing.T) {
	ctx := context.Background()
	// As 0017 left it, with the operations of lead-1, held, and the links
	// of lead-1's deal and of lead-2's, whose operation the retention deleted.
	path, raw := oldSchema(t, 17)
	oldOps(t, raw, opTestLead(oldEvent(t, raw, "test", syncd.KindEAF, "portal_submission", "test:0", "{}"), "hubspot", 1))
	if _, err := raw.ExecContext(ctx, `INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES
			('hubspot', 'deal', 'lead-1', '2001', '2026-01-01T00:00:00.000000000Z'),
			('hubspot', 'deal', 'lead-2', '2002', '2026-01-01T00:00:00.000000000Z'),
			('hubspot', 'contact', 'lead1@example.com', '1001', '2026-01-01T00:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	db := upgraded(t, path, raw)
	keys := map[string]string{}
	rows, err := sqlite.RawWriter(db).QueryContext(ctx, `SELECT key, contact_key FROM crm_links WHERE kind = 'deal'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, c string
		if err := rows.Scan(&k, &c); err != nil {
			t.Fatal(err)
		}
		keys[k] = c
	}
	rows.Close()
	if keys["lead-1"] != "lead1@example.com" || keys["lead-2"] != "" {
		t.Errorf("deal links' contacts %v; want lead-1's from its operation, none for lead-2", keys)
	}
	v, ok, err := db.StateValue(ctx, "deal_links_unkeyed")
	if at, perr := time.Parse(time.RFC3339Nano, v); err != nil || !ok || perr != nil || time.Since(at).Abs() > time.Hour {
		t.Errorf("state deal_links_unkeyed %q, %v, %v; want when the migration ran, as RFC 3339", v, ok, err)
	}
	fresh := openTest(t)
	if v, ok, err := fresh.StateValue(ctx, "deal_links_unkeyed"); err != nil || ok {
		t.Errorf("a new database holds state deal_links_unkeyed %q, %v; want none", v, err)
	}
}
