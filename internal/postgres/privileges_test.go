package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestOpenWithARoleThatMayNotCreateTables: a database whose schema an
// owner made (a DBA migrated it, or the tables belong to another role),
// used by a role that may read and write syncd's tables but not create
// tables in the schema. validate said `reachable, schema N (this
// syncd's)`, exit 0, yet serve and every command refused it at once,
// `migrate: ERROR: permission denied for schema public`: each asked to
// create schema_version even where it was there. Open now creates it only
// where it is missing, so that role runs syncd on the current schema;
// where a table must be made or a migration applied and the role may not,
// the error names the role, the database and the fix.
func TestOpenWithARoleThatMayNotCreateTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	current := pgtest.DSN(t)
	owner, err := postgres.Open(ctx, current)
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	dml := limitedRole(t, current, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s`)
	db, err := postgres.Open(ctx, dml)
	if err != nil {
		t.Fatalf("a role that may write syncd's tables could not open the current schema: %v", err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStateValue(ctx, "privileges_test", "written"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OutboxDepths(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	empty := pgtest.DSN(t)
	noCreate := limitedRole(t, empty, ``)
	openRefused(t, noCreate, "may not create tables in schema public of database",
		"GRANT CREATE ON SCHEMA public TO ")

	older := pgtest.DSN(t)
	if db, err := postgres.Open(ctx, older); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	// back before the newest migration only the tables' owner may make: a
	// migration that rewrites rows alone (0021) the writer makes itself
	exec(t, older, fmt.Sprintf(`DELETE FROM schema_version WHERE version >= %d`, newestOwnersMigration(t)))
	writer := limitedRole(t, older, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s`)
	openRefused(t, writer, "may not migrate the schema of database", "with the DSN of the tables' owner")

	stranger := limitedRole(t, current, ``) // no grant on the owner's tables
	openRefused(t, stranger, "may not read syncd's tables in database",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ")
}

// openRefused opens dsn, wanting a refusal that says both want and fix.
func openRefused(t *testing.T, dsn, want, fix string) {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err == nil {
		db.Close()
		t.Fatalf("opened %s", dsn)
	}
	if msg := err.Error(); !strings.Contains(msg, want) || !strings.Contains(msg, fix) || !strings.Contains(msg, "SQLSTATE 42501") {
		t.Fatalf("error %q:\nwant it to say %q and %q, with the server's own words", msg, want, fix)
	}
}

// roles numbers the roles limitedRole makes (a role is the cluster's, not a database's).
var roles atomic.Int64

// limitedRole makes a login role that may connect to dsn's database but
// not create tables in its schema public (PostgreSQL 15's default for a
// role that does not own the database), runs grants (%[1]s: the role) on
// that database, and returns dsn as that role.
func limitedRole(t *testing.T, dsn, grants string) string {
	t.Helper()
	role := fmt.Sprintf("syncd_limited_%d_%d", os.Getpid(), roles.Add(1))
	exec(t, dsn, `CREATE ROLE `+role+` LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC`)
	if grants != "" {
		exec(t, dsn, fmt.Sprintf(grants, role))
	}
	t.Cleanup(func() {
		exec(t, dsn, `DROP OWNED BY `+role+`; DROP ROLE IF EXISTS `+role)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

// exec runs sql (several statements) on dsn's database as dsn's user.
func exec(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatal(err)
	}
}

// TestCheckNamesEveryTableARoleMayNotUse: validate read two of syncd's
// tables (schema_version and outbox), so a role granted those but not
// another (a GRANT of some tables by name, a table a later migration
// added before ALTER DEFAULT PRIVILEGES) passed it, and serve then failed
// at every heartbeat and sync, "permission denied for table". Check now
// names every table of syncd's schema, as the database holds it, and each
// id sequence, whose rights the role lacks: here one right is revoked from
// each table in turn, and USAGE and UPDATE from one sequence.
func TestCheckNamesEveryTableARoleMayNotUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	owner, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	role := limitedRole(t, dsn, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s`)
	name, _ := url.Parse(role)
	found, err := postgres.Check(ctx, role)
	if err != nil || len(found.Denied) != 0 {
		t.Fatalf("a role granted every table: denied %q, %v; want none", found.Denied, err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'
		ORDER BY tablename`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	conn.Close(ctx)
	if err != nil || len(tables) < 10 {
		t.Fatalf("syncd's tables: %q, %v", tables, err)
	}
	rights := []string{"SELECT", "INSERT", "UPDATE", "DELETE"}
	var want []string
	for i, table := range tables {
		exec(t, dsn, fmt.Sprintf(`REVOKE %s ON %s FROM %s`, rights[i%4], table, name.User.Username()))
		want = append(want, fmt.Sprintf("%s (%s)", table, rights[i%4]))
	}
	exec(t, dsn, `REVOKE USAGE, UPDATE ON SEQUENCE outbox_id_seq FROM `+name.User.Username())
	want = append(want, "sequence outbox_id_seq (USAGE)")
	found, err = postgres.Check(ctx, role)
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(found.Denied)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("denied:\n%q\nwant:\n%q", got, want)
	}
}

// TestServingRefusesARoleMissingARight: serve started as a role lacking
// a right on one of syncd's tables took leads, failed at every heartbeat
// and sync, and a lead sent whose CRM id it may not record went out again
// once its lease ended. Opened to serve, such a role is refused, naming
// the table, the right and the grant; a command (Open) still opens it.
func TestServingRefusesARoleMissingARight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	owner, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	role := limitedRole(t, dsn, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s; REVOKE INSERT ON crm_links FROM %[1]s`)
	db, err := postgres.OpenWith(ctx, role, postgres.Options{Serving: true})
	if err == nil {
		db.Close()
		t.Fatal("served as a role that may not record CRM links")
	}
	if msg := err.Error(); !strings.Contains(msg, "crm_links (INSERT)") || !strings.Contains(msg, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ") {
		t.Fatalf("refusal %q: want the table, the right and the grant", msg)
	}
	if db, err = postgres.Open(ctx, role); err != nil {
		t.Fatalf("a command as that role: %v", err)
	}
	db.Close()
}

// newestOwnersMigration is the number of the newest migration that only
// the tables' owner may make: one with a CREATE, ALTER or DROP statement.
func newestOwnersMigration(t *testing.T) int {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	ddl := regexp.MustCompile(`(?im)^\s*(CREATE|ALTER|DROP)\b`)
	for i := len(names) - 1; i >= 0; i-- {
		body, err := os.ReadFile(names[i])
		if err != nil {
			t.Fatal(err)
		}
		if ddl.Match(body) {
			n, err := strconv.Atoi(strings.SplitN(filepath.Base(names[i]), "_", 2)[0])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no migration only the tables' owner may make")
	return 0
}

// TestValidateForeseesWhatARoleThatWritesTablesMigrates: validate's
// reading of a database (Check) says whether the DSN's role may migrate
// an older schema, and serve's Open then does as it said. Check asked for
// the owner of syncd's tables whatever the migrations did, and so said
// "user … may not migrate: serve would refuse it" of a schema whose
// migrations rewrite rows alone (0021), which that role's serve made.
// Each schema from the one before the newest migration only the owner
// may make up to this syncd's is tried.
func TestValidateForeseesWhatARoleThatWritesTablesMigrates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(names) < 2 {
		t.Fatalf("migrations: %v", err)
	}
	version := func(name string) int {
		n, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	owners := newestOwnersMigration(t)
	for i := len(names) - 1; i > 0 && version(names[i]) >= owners; i-- {
		from := version(names[i-1])
		t.Run(fmt.Sprint(from), func(t *testing.T) {
			t.Parallel()
			dsn := pgtest.DSN(t)
			if db, err := postgres.Open(ctx, dsn); err != nil {
				t.Fatal(err)
			} else {
				db.Close()
			}
			exec(t, dsn, fmt.Sprintf(`DELETE FROM schema_version WHERE version > %d`, from))
			writer := limitedRole(t, dsn, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %[1]s;
				GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %[1]s`)
			f, err := postgres.Check(ctx, writer)
			if err != nil {
				t.Fatal(err)
			}
			if f.Schema != from {
				t.Fatalf("Check read schema %d, want %d", f.Schema, from)
			}
			db, err := postgres.Open(ctx, writer)
			if err == nil {
				db.Close()
			}
			if f.CanMigrate != (err == nil) {
				t.Errorf("from schema %d: Check said CanMigrate %v, and Open by that role: %v", from, f.CanMigrate, err)
			}
		})
	}
}
