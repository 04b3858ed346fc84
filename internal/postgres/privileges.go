package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/syncd-dev/syncd/internal/migration"
)

// createSchemaVersion creates the table of applied migrations where it
// is missing. PostgreSQL checks the right to create before it looks for
// the table (CREATE TABLE IF NOT EXISTS is refused to a role that may
// not create in the schema, the table there or not), so a role that may
// only read and write syncd's tables, which runs syncd on a schema its
// owner made, would be refused at every start.
func createSchemaVersion(ctx context.Context, conn *pgx.Conn) error {
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil || exists {
		return err
	}
	_, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`)
	return err
}

// denied is deniedTo for the DSN's role and database, in the schema
// syncd's tables are in (the first of the search path).
func (db *DB) denied(ctx context.Context, doing string, from, to int, err error) error {
	schema := "public"
	var in *string
	if db.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&in) == nil && in != nil {
		schema = *in
	}
	return deniedTo(db.cfg.User, db.cfg.Database, schema, doing, from, to, err)
}

// deniedTo puts first, in err, when the server refused it for want of a
// privilege (SQLSTATE 42501), what user may not do in database and how
// it is given the right: doing says what was refused, "create" (the
// first start's tables), "read" (syncd's tables, which another role
// owns) or "migrate" (from schema from to to, which only the tables'
// owner may). Any other error is returned as it is.
func deniedTo(user, database, schema, doing string, from, to int, err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		return err
	}
	switch doing {
	case "create":
		return fmt.Errorf("user %s may not create tables in schema %s of database %s (where the first start "+
			"creates syncd's): make %s the database's owner (ALTER DATABASE %s OWNER TO %s) or GRANT CREATE ON SCHEMA "+
			"%s TO %s: %w", user, schema, database, user, database, user, schema, user, err)
	case "read":
		return fmt.Errorf("user %s may not read syncd's tables in database %s (another role owns them): run syncd as "+
			"that role, or as it GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %s and GRANT "+
			"USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %s TO %s: %w", user, database, schema, user, schema, user, err)
	}
	return fmt.Errorf("user %s may not migrate the schema of database %s from %d to %d (only the owner of syncd's "+
		"tables may): start this syncd once with the DSN of the tables' owner, which migrates it, or make %s their "+
		"owner: %w", user, database, from, to, user, err)
}

// createTable and dropTable find the tables a migration creates or drops.
var (
	createTable = regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)`)
	dropTable   = regexp.MustCompile(`(?i)\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\w+)`)
)

// syncdTables names the tables syncd reads and writes, as the embedded
// migrations leave them (schema_version, which only a migration writes,
// apart), in the order they were created.
func syncdTables() ([]string, error) {
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var tables []string
	for _, f := range files {
		sql, err := fs.ReadFile(migrations, f.Path)
		if err != nil {
			return nil, err
		}
		for _, m := range createTable.FindAllStringSubmatch(string(sql), -1) {
			tables = append(tables, strings.ToLower(m[1]))
		}
		for _, m := range dropTable.FindAllStringSubmatch(string(sql), -1) {
			tables = slices.DeleteFunc(tables, func(t string) bool { return t == strings.ToLower(m[1]) })
		}
	}
	return tables, nil
}

// ddl finds a statement only a table's owner may run in a migration: one
// that creates, alters or drops (a table, an index, a column).
var ddl = regexp.MustCompile(`(?im)^\s*(CREATE|ALTER|DROP)\b`)

// ownersMigrationAfter reports whether a migration newer than schema
// holds a statement only the tables' owner may run. Those that rewrite
// rows alone (0021, the stored types) a role that may write syncd's
// tables makes itself, as serve then does.
func ownersMigrationAfter(schema int) (bool, error) {
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		return false, err
	}
	for _, f := range files {
		if f.Version <= schema {
			continue
		}
		sql, err := fs.ReadFile(migrations, f.Path)
		if err != nil {
			return false, err
		}
		if ddl.Match(sql) {
			return true, nil
		}
	}
	return false, nil
}

// missingRightsSQL lists, for each of the tables $1 (in the search path),
// the rights syncd uses that the current user lacks, and for the
// sequences their ids are drawn from, nextval's (USAGE or UPDATE).
// has_table_privilege is asked one right at a time: given several, it is
// true when any is held.
const missingRightsSQL = `
SELECT t, string_agg(p, ', ' ORDER BY o) FROM unnest($1::text[]) WITH ORDINALITY AS tb(t, n)
  CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) WITH ORDINALITY AS pr(p, o)
WHERE to_regclass(t) IS NOT NULL AND NOT has_table_privilege(to_regclass(t), p)
GROUP BY t, n
UNION ALL
SELECT 'sequence ' || s.oid::regclass::text, 'USAGE' FROM unnest($1::text[]) AS tb(t)
  JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass(t)::oid
    AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class s ON s.oid = d.objid
WHERE CASE WHEN s.relkind = 'S' THEN NOT has_sequence_privilege(s.oid, 'USAGE, UPDATE') END` // the kind first: the planner may ask it of a TOAST table

// missingRights names each of syncd's tables (and id sequences) the
// current user may not use as syncd does, with the rights it lacks:
// "crm_links (INSERT)". A role granted some tables but not others passes
// the reads of a check, and serve then fails on the others, "permission
// denied for table".
func missingRights(ctx context.Context, q querier) ([]string, error) {
	tables, err := syncdTables()
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, missingRightsSQL, tables)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var what, rights string
		err := r.Scan(&what, &rights)
		return what + " (" + rights + ")", err
	})
}

// mayServe refuses a role lacking a right serve uses on one of syncd's
// tables or id sequences, naming each (missingRights) and the grant.
func (db *DB) mayServe(ctx context.Context) error {
	missing, err := missingRights(ctx, db.pool)
	if err != nil || len(missing) == 0 {
		return err
	}
	schema := "public"
	var in *string
	if db.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&in) == nil && in != nil {
		schema = *in
	}
	return marked{fmt.Errorf("user %s may not use every table of syncd's in database %s: %s: it would take leads it cannot "+
		"send; as their owner %s", db.cfg.User, db.cfg.Database, strings.Join(missing, ", "), Grants(schema, db.cfg.User)), ErrRightsMissing}
}

// Grants is what the owner of syncd's tables in schema runs to let user
// run syncd on them.
func Grants(schema, user string) string {
	return fmt.Sprintf("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %s and GRANT USAGE, SELECT, "+
		"UPDATE ON ALL SEQUENCES IN SCHEMA %s TO %s", schema, user, schema, user)
}
