package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestMigrateStoreCopiesRowsHoldingANUL: an older syncd stored in SQLite
// an Estate Agent Feeds event whose type and id held a NUL (valid JSON,
// \u0000), and a contact whose email held one, in its operations' keys
// and CRM link. PostgreSQL's text holds no NUL: syncd migrate-store
// failed as a whole on them. Now the NUL is copied as U+FFFD, the same in
// every table, so the operations still find their CRM link.
func TestMigrateStoreCopiesRowsHoldingANUL(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	lite := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, lite)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead in the CRM", func() bool {
		s := fake.State()
		return len(s.Contacts) == 1 && len(s.Deals) == 1
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, filepath.Join(dir, "data", "syncd.db"))
	for _, q := range []string{ // as the older version stored them
		`UPDATE events SET type = 'email' || char(0) || 'lead', idem_key = idem_key || char(0)`,
		`UPDATE outbox SET key = replace(key, '@', char(0) || '@'), contact_key = replace(contact_key, '@', char(0) || '@')`,
		`UPDATE crm_links SET key = replace(key, '@', char(0) || '@')`,
	} {
		if res, err := db.Exec(q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("%s: no row", q)
		}
	}
	db.Close()

	pg := filepath.Join(dir, "postgres.yaml")
	cfg, _ := os.ReadFile(lite)
	os.WriteFile(pg, append(cfg, []byte(pgStore(t, dir, dsn))...), 0o600)
	out, errOut, code := syncdRun(t, "migrate-store", "-to", "postgres", "-config", pg)
	if code != 0 || !strings.Contains(out, "events     1 row") {
		t.Fatalf("migrate-store: exit %d\n%s%s", code, out, errOut)
	}
	var types, linked int
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		err := conn.QueryRow(ctx, `SELECT count(*) FROM events WHERE type = 'email' || chr(65533) || 'lead'`).Scan(&types)
		if err != nil {
			return err
		}
		return conn.QueryRow(ctx, `SELECT count(*) FROM outbox o JOIN crm_links l USING (target, kind, key)
			WHERE strpos(o.key, chr(65533)) > 0`).Scan(&linked)
	})
	if types != 1 || linked == 0 {
		t.Errorf("copied: %d event(s) of the type with U+FFFD for its NUL, %d operation(s) with their CRM link", types, linked)
	}
}
