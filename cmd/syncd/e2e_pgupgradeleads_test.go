package main_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestPostgresUpgradeSaysHowManyLeadsItHandsToTheMapper: on PostgreSQL,
// the first instance (or command) on the syncd with migrations 0022 and
// 0023 keys the leads an older syncd stored with their eaf_type written
// "Email_Lead" by their delivery id, and hands those it ignored for that
// to the mapper. It says how many, where it says it migrated the schema:
// serve in its log, their deals made as it starts; a command on stderr
// (it said nothing of the migration at all, though docs/postgresql.md
// said it did), syncd serve making their deals.
func TestPostgresUpgradeSaysHowManyLeadsItHandsToTheMapper(t *testing.T) {
	t.Parallel()
	cfg, err := os.ReadFile(writeConfig(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	// a database of schema 21 (0022 and 0023 are SQL of no effect: their
	// work is done in Go, after them) holding two such leads, ignored
	atSchema21 := func(t *testing.T) string {
		t.Helper()
		ctx := context.Background()
		dsn := pgtest.DSN(t)
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		conn := pgtest.Conn(t, dsn)
		for i, typ := range []string{"Email_Lead", "EMAIL_LEAD"} {
			body := fmt.Sprintf(`{"eaf_type":%q,"eaf_id":"%d","contact_email":"lead%d@example.com","contact_name":"Lead %d"}`,
				typ, 901+i, i, i)
			sum := sha256.Sum256([]byte(body))
			if _, err := conn.Exec(ctx, `WITH e AS (
				INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state, map_error)
				VALUES ('eaf', 'eaf', 'email_lead', $1, $2, 'strict', now() - interval '1 day', now() - interval '1 day', 'ignored', $3)
				RETURNING id, idem_key, received_at)
				INSERT INTO intake_keys (source, idem_key, event_id, received_at) SELECT 'eaf', idem_key, id, received_at FROM e`,
				"sha256:"+hex.EncodeToString(sum[:]), []byte(body), "no rule for eaf "+typ); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := conn.Exec(ctx, `DELETE FROM schema_version WHERE version > 21`); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "postgres.yaml")
		if err := os.WriteFile(file, append(append([]byte{}, cfg...), pgStore(t, dir, dsn)...), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	const leads = "; 2 leads keyed by their delivery id (eaf:<eaf_id>), which an older syncd keyed by their body's hash: " +
		"the sender sending one again is the same lead, not a second deal; 2 leads an older syncd ignored for their " +
		"type's spelling (Email_Lead for email_lead) are handed to the mapper"

	t.Run("command", func(t *testing.T) {
		file := atSchema21(t)
		out, stderr, code := syncdRun(t, "events", "list", "-config", file)
		if code != 0 {
			t.Fatalf("syncd events list on PostgreSQL of schema 21: exit %d\n%s%s", code, out, stderr)
		}
		mustContain(t, "events list's stderr", stderr, "database schema migrated 21 -> ",
			": instances on an older syncd go on, but one restarted no longer starts"+leads+
				": syncd serve maps them with the rules in use as it starts (deals made where a rule maps them)\n")
	})
	t.Run("serve", func(t *testing.T) {
		file := atSchema21(t)
		d := start(t, file)
		waitFor(t, "serve to say it migrated the schema", func() bool { return strings.Contains(d.log(), "database schema migrated") })
		mustContain(t, "serve's log", d.log(), `"schema":"21 -> `,
			"database schema migrated: instances on an older syncd go on, but one restarted no longer starts"+leads+
				", which maps them now with the rules in use (deals made where a rule maps them)")
	})
}
