package main_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestValidateConnectsToPostgres: on PostgreSQL, validate only named the
// database (host and name from the DSN), so a wrong password, host or
// database name showed at the first serve. It now connects, read-only,
// and says what serve would find: an empty database (created by nothing
// but the first serve), the schema and whether it is this syncd's, or why
// not (exit 1 for a refusal, 4 for a server not answering), never the
// password; -offline checks only the files.
func TestValidateConnectsToPostgres(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	empty, migrated, newer, lowly := pgtest.DSN(t), pgtest.DSN(t), pgtest.DSN(t), pgtest.DSN(t)
	older, readOnly := pgtest.DSN(t), pgtest.DSN(t)
	pgMigrate(t, migrated, "")
	pgMigrate(t, readOnly, `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$`)
	n := latestSchema(t, "../../internal/postgres/migrations") // this syncd's schema
	pgMigrate(t, older, fmt.Sprintf(`DELETE FROM schema_version WHERE version = %d`, n))
	pgMigrate(t, newer, `INSERT INTO schema_version (version) VALUES (999)`)
	lowly = noCreateRole(t, lowly)
	closed, silent := freeAddr(t), silentServer(t)
	refusing := refusingServer(t, true, "28P01", `password authentication failed for user "syncd"`)
	peer := refusingServer(t, false, "28000", `Peer authentication failed for user "syncd"`)
	for _, c := range []struct {
		name, dsn string
		offline   bool
		code      int
		says      string
	}{
		{"empty", empty, false, 0, "reachable, empty: the first serve creates the schema"},
		{"migrated", migrated, false, 0, fmt.Sprintf("reachable, schema %d (this syncd's)", n)},
		{"older", older, false, 0, fmt.Sprintf("reachable, schema %d (older: serve migrates it to %d", schemaBefore(t, "../../internal/postgres/migrations"), n)},
		{"newer", newer, false, 2, fmt.Sprintf("schema 999 is newer than this syncd's %d", n)},
		{"no create", lowly, false, 2, "may not create tables in schema public"},
		{"read-only", readOnly, false, 1, "but it takes no writes: default_transaction_read_only is on for user"},
		{"no role", withUser(migrated, "nosuchrole"), false, 2, `the server refused user nosuchrole (no such role`},
		{"no database", strings.Replace(empty, "/syncd_test_", "/missing_", 1), false, 2, "no database missing_"},
		{"wrong password", "postgres://syncd:pw-not-shown@" + refusing + "/syncd?sslmode=disable", false, 2,
			"the server refused the password of user syncd"},
		{"peer", "postgres://syncd@" + peer + "/syncd?sslmode=disable", false, 2,
			"peer authentication admits only the system user syncd: run syncd as that user (sudo -u syncd)"},
		{"refused", "postgres://syncd:pw-not-shown@" + closed + "/syncd?sslmode=disable", false, 4, // serve waits: it said serve would not start
			"does not answer: connection refused: nothing listens at that address and port"},
		{"silent", "postgres://syncd:pw-not-shown@" + silent + "/syncd?sslmode=disable", false, 4, "does not answer: no answer in time"},
		{"offline", "postgres://syncd:pw-not-shown@" + closed + "/syncd?sslmode=disable", true, 0, "not checked: -offline"},
	} {
		file := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, c.dsn)), 0o600)
		args := []string{"validate", "-config", file}
		if c.offline {
			args = append(args, "-offline")
		}
		began := time.Now()
		stdout, stderr, code := syncdRun(t, args...)
		took := time.Since(began)
		out := stdout + stderr
		if code != c.code || !strings.Contains(out, c.says) || strings.Contains(out, "pw-not-shown") || took > 20*time.Second {
			t.Errorf("%s: exit %d after %s, want %d saying %q; output:\n%s", c.name, code, took.Round(time.Second), c.code, c.says, out)
		}
	}
	if n := pgTables(t, empty); n != 0 {
		t.Errorf("validate made %d tables in the empty database: it must only read", n)
	}
}

// TestValidateRefusesADSNThatDoesNotParse: a PostgreSQL DSN serve cannot
// parse (a port that is not a number) was said "ok" by validate, exit 0,
// with no database line at all; serve then stopped at once ("open db:
// cannot parse the DSN"). It is a problem of the file: exit 2, the reason,
// never the password, and no "ok".
func TestValidateRefusesADSNThatDoesNotParse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	dsn := "postgres://syncd:pw-not-shown@127.0.0.1:notaport/syncd"
	os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, dsn)), 0o600)
	for _, offline := range []string{"-offline=false", "-offline"} {
		stdout, stderr, code := syncdRun(t, "validate", "-config", file, offline)
		out := stdout + stderr
		if code != 2 || !strings.Contains(stderr, file+": store: cannot parse the DSN: invalid port") ||
			strings.Contains(out, ": ok (") || strings.Contains(out, "pw-not-shown") {
			t.Errorf("validate %s: exit %d, want 2 naming the DSN's problem; output:\n%s", offline, code, out)
		}
	}
}

// pgMigrate opens dsn as serve does (making the schema), then runs sql.
func pgMigrate(t *testing.T, dsn, sql string) {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if sql != "" {
		pgExec(t, dsn, sql)
	}
}

// pgExec runs sql on the database dsn names.
func pgExec(t *testing.T, dsn, sql string) {
	t.Helper()
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, sql)
		return err
	})
}

// pgTables counts the tables in the database's public schema.
func pgTables(t *testing.T, dsn string) int {
	t.Helper()
	var n int
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n)
	})
	return n
}

// pgQuery runs fn on a connection to the database dsn names.
func pgQuery(t *testing.T, dsn string, fn func(context.Context, *pgx.Conn) error) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := fn(ctx, conn); err != nil {
		t.Fatal(err)
	}
}

// noCreateRole makes a login role that may connect to dsn's database but
// not create tables in it (PostgreSQL 15's default for a role that does
// not own the database) and returns dsn as that role.
func noCreateRole(t *testing.T, dsn string) string {
	t.Helper()
	role := fmt.Sprintf("syncd_lowly_%d", os.Getpid())
	pgExec(t, dsn, `CREATE ROLE `+role+` LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC`)
	t.Cleanup(func() { pgExec(t, dsn, `DROP ROLE IF EXISTS `+role) })
	return withUser(dsn, role)
}

// withUser returns dsn (a URL) connecting as user.
func withUser(dsn, user string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	u.User = url.UserPassword(user, "pw-not-shown")
	return u.String()
}

// silentServer accepts connections on 127.0.0.1 and never answers, as a
// firewall dropping packets or a hung server seems to a client.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn // kept open, unanswered, until the test ends
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				break
			}
			held = append(held, c)
		}
		for _, c := range held {
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return l.Addr().String()
}

// refusingServer is a PostgreSQL server on 127.0.0.1 that refuses every
// connection at its start with an error of code and message, first asking
// for a password when ask is set (as with a password the role does not
// have), else at once (as peer authentication for another OS user).
func refusingServer(t *testing.T, ask bool, code, message string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	refusal := &pgproto3.ErrorResponse{Severity: "FATAL", Code: code, Message: message}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go refuse(c, ask, refusal)
		}
	}()
	return l.Addr().String()
}

// refuse answers one connection's startup with the refusal.
func refuse(c net.Conn, ask bool, refusal *pgproto3.ErrorResponse) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	b := pgproto3.NewBackend(c, c)
	if _, err := b.ReceiveStartupMessage(); err != nil {
		return
	}
	if ask {
		b.Send(&pgproto3.AuthenticationCleartextPassword{})
		b.SetAuthType(pgproto3.AuthTypeCleartextPassword)
		if b.Flush() != nil {
			return
		}
		if _, err := b.Receive(); err != nil {
			return
		}
	}
	b.Send(refusal)
	b.Flush()
}
